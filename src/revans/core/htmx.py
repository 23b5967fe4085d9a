from django.template.response import TemplateResponse


def page_or_partial(request, page: str, partial: str, context: dict, status: int = 200):
    """The whole page for a normal request, just the changed fragment for an htmx one."""
    template = partial if getattr(request, "htmx", False) else page
    return TemplateResponse(request, template, context, status=status)
