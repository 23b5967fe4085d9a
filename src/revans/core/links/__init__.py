"""E-mailed links (architecture.md §6): a set's invitations, a log's shares, and every other
"accept by e-mail", written once.

- ``models.EmailLink``: the abstract model (only a hash of the token is stored; an expiry; accepted
  or revoked), with the ``pending()`` queryset.
- ``flow.send``: the one e-mail; ``flow.accept_page``: the one page a link opens.
- ``core/templates/links/``: the page, the e-mail and the messages, filled in by each kind's own
  template of words (blocks).

A new kind needs a subclass of ``EmailLink`` naming its words template, its accept route and
what it opens, an accept service (a ``do_*`` function), and its words.
"""
