"""The one sender and the one accept flow of e-mailed links (architecture.md §6).

The writes stay with each kind's ``do_*`` services: they save the link (``EmailLink.new_token``)
in their transaction and call ``send`` once it is closed; ``accept_page`` hands the person over to
the kind's accept service.
"""

from collections.abc import Callable

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse

from .forms import NewPersonForm
from .models import EmailLink, hash_token

User = get_user_model()


def _context(kind: type[EmailLink], link: EmailLink | None, layout: str, **context) -> dict:
    # The kind's words name the link as what it is: {{ invitation.set }}, {{ share.log }}.
    return {"layout": layout, "link": link, kind._meta.model_name: link, **context}


def say(link: EmailLink, message: str) -> str:
    """One of the kind's short texts (``subject``, ``sign_in``, ``welcome``, ``welcome_new``,
    ``name_help``), from its words template over ``links/message.txt``."""
    context = _context(type(link), link, "links/message.txt", message=message)
    return render_to_string(link.words, context).strip()


def link_maker(request, kind: type[EmailLink]) -> Callable[[str], str]:
    """Turns a token into the absolute address of ``kind``'s accept page."""
    return lambda token: request.build_absolute_uri(reverse(kind.accept_url_name, args=[token]))


def send(link: EmailLink, token: str, link_for: Callable[[str], str]) -> None:
    """E-mails ``link`` to its address; ``link_for(token)`` is the absolute address to open.

    Call it once the transaction that saved the link is closed: no e-mail for a link that was
    rolled back. The address gets the way in that suits it: sign in, or choose a password."""
    context = _context(
        type(link),
        link,
        "links/email.txt",
        url=link_for(token),
        existing=User.objects.filter(email__iexact=link.email).exists(),
        days=settings.INVITATION_DAYS,
    )
    send_mail(
        subject=f"[Revans] {say(link, 'subject')}",
        message=render_to_string(link.words, context),
        from_email=None,
        recipient_list=[link.email],
    )


def confirm_address(user) -> None:
    """The link reached ``user``'s mailbox: their address counts as verified from now on."""
    address, _ = EmailAddress.objects.get_or_create(
        user=user, email__iexact=user.email, defaults={"email": user.email, "primary": True}
    )
    if not address.verified:
        address.verified = True
        address.save(update_fields=["verified"])


def _page(request, kind: type[EmailLink], link: EmailLink | None, status=200, **context):
    """The link's page: ``closed`` (it cannot be used) or the question "accept?"."""
    return TemplateResponse(
        request, kind.words, _context(kind, link, "links/page.html", **context), status=status
    )


def accept_page(request, token: str, queryset: QuerySet, accept: Callable, refused_url: str):
    """The page the e-mailed link opens. Only the person it was sent to may accept it: signed
    in with that address, or a newcomer choosing a password on the way (the link proved the
    mailbox); someone with an account signs in first and comes back to the same link.

    ``queryset`` holds the kind's links, ``accept(link, user)`` its service (it refuses with a
    ValidationError), ``refused_url`` where a signed-in person goes when it refuses."""
    kind = queryset.model
    link = queryset.filter(token_hash=hash_token(token)).first()
    other_person = (
        link is not None
        and request.user.is_authenticated
        and request.user.email.lower() != link.email.lower()
    )
    if link is None or other_person:
        # Someone else's link answers as a missing one: it names nothing of what it opens.
        return _page(request, kind, None, status=404, closed=True)
    if link.status != "pending":
        if link.was_accepted_by(request.user):
            return redirect(link.opens())
        return _page(request, kind, link, status=410, closed=True)

    if request.user.is_authenticated:
        if request.method == "POST":
            return accept_and_go(request, link, accept, refused_url)
        return _page(request, kind, link)

    if User.objects.filter(email__iexact=link.email).exists():
        messages.info(request, say(link, "sign_in"))
        return redirect(f"{reverse('account_login')}?next={request.path}")
    form = NewPersonForm(request.POST or None, email=link.email, name_help=say(link, "name_help"))
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                user = form.save()
                accept(link, user)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
            return redirect("account_login")
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, say(link, "welcome_new"))
        return redirect(link.opens())
    return _page(request, kind, link, form=form)


def accept_and_go(request, link: EmailLink, accept: Callable, refused_url: str):
    """Accepts ``link`` for the signed-in person and takes them to what it opens."""
    try:
        accept(link, request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect(refused_url)
    messages.success(request, say(link, "welcome"))
    return redirect(link.opens())
