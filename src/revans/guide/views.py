"""The guide's pages. Nothing here comes from a set, so everyone may read it, signed in or not."""

from django.http import Http404, HttpRequest
from django.template.response import TemplateResponse
from django.views.decorators.http import require_safe

from revans.core.middleware import cacheable_signed_out

from . import pages
from .search import MAX_QUERY, terms
from .search import search as search_guide


@cacheable_signed_out  # nothing of anyone's; signed in, the page has one's name
@require_safe
def index(request: HttpRequest) -> TemplateResponse:
    """Every page of the guide with its summary, and the search box."""
    return TemplateResponse(request, "guide/index.html", {"pages": pages.all_pages()})


@cacheable_signed_out  # nothing of anyone's; signed in, the page has one's name
@require_safe
def page(request: HttpRequest, slug: str) -> TemplateResponse:
    """One page, with its contents and the pages before and after it."""
    shown = pages.page(slug)
    if shown is None:
        raise Http404("No such page in the guide")
    previous, following = pages.neighbours(slug)
    slugs = [p.slug for p in pages.all_pages()]
    context = {
        "page": shown,
        "previous": previous,
        "next": following,
        "position": slugs.index(slug) + 1,
        "count": len(slugs),
    }
    return TemplateResponse(request, "guide/page.html", context)


@cacheable_signed_out  # nothing of anyone's; signed in, the page has one's name
@require_safe
def search(request: HttpRequest) -> TemplateResponse:
    """Results for ``?q=``: an empty or wordless query asks for words; a query longer than
    MAX_QUERY characters is cut there, and says so."""
    typed = request.GET.get("q", "")
    # Control characters become spaces, and runs of spaces one.
    query = " ".join("".join(c if c.isprintable() else " " for c in typed).split())
    messages = []
    if len(query) > MAX_QUERY:
        # At the last whole word, so that no half word is searched for.
        query = query[: MAX_QUERY + 1].rsplit(" ", 1)[0][:MAX_QUERY]
        messages.append(f"Only the first {MAX_QUERY} characters of your search were used.")
    words = terms(query)
    if not words:
        messages.append("Type a word or two to search the guide for.")
    context = {
        "query": query,
        "searched": bool(words),
        "results": search_guide(query),
        "messages_shown": messages,
        "pages": pages.all_pages(),
        "max_query": MAX_QUERY,
    }
    return TemplateResponse(request, "guide/search.html", context)
