import json
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_POST

from revans.core.forms import id_from, model_choice

from .access import own_entry, own_log, readable_attachment, readable_entry, readable_log
from .forms import EntryForm, LogCreateForm, LogForm
from .markdown import MAX_LENGTH, count_words, render_markdown
from .models import EXTENSIONS, Entry, Log, Share, Submission
from .progress import glance, log_progress
from .prompts import log_templates
from .views_media import answer_range
from .waiting import do_mark_comments_seen

# As Django's json_script does: no text echoed back from a form can ever read as markup.
JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def _json(data: dict, status: int = 200) -> HttpResponse:
    text = json.dumps(data, cls=DjangoJSONEncoder).translate(JSON_ESCAPES)
    return HttpResponse(text, content_type="application/json", status=status)


def _with_totals(logs):
    """Saved words, saved entries and drafts of each log, in the same query (no N+1)."""
    saved = Q(entries__draft=False)
    return logs.annotate(
        saved_words=Sum("entries__word_count", filter=saved, default=0),
        saved_media_seconds=Sum("entries__media_seconds", filter=saved, default=0),
        saved_entries=Count("entries", filter=saved),
        draft_entries=Count("entries", filter=Q(entries__draft=True)),
    )


@login_required
def journal(request):
    """My learning logs with their progress at a glance, and the logs shared with me."""
    user = request.user
    today = timezone.localdate()
    mine = list(_with_totals(Log.objects.owned_by(user)).order_by("-updated_at"))
    role = Share.objects.active().filter(log=OuterRef("pk"), user=user).values("role")[:1]
    # The version awaiting a decision, if any: in the same query, so the count stays the same.
    pending = Submission.objects.filter(
        log=OuterRef("pk"), status=Submission.Status.SUBMITTED
    ).order_by("-number")[:1]
    shared = list(
        _with_totals(Log.objects.visible_to(user).exclude(owner=user))
        .annotate(
            share_role=Subquery(role),
            pending_number=Subquery(pending.values("number")),
            pending_id=Subquery(pending.values("pk")),
        )
        .select_related("owner")
        .order_by("owner__display_name", "title")
    )
    for log in mine + shared:
        log.glance = glance(
            log,
            log.saved_words,
            log.saved_entries,
            log.draft_entries,
            today,
            media_seconds=log.saved_media_seconds,
        )
    return TemplateResponse(
        request,
        "journal/journal.html",
        {"logs": mine, "shared": shared, "templates": log_templates().values()},
    )


@login_required
def log_create(request):
    initial = {}
    template = log_templates().get(request.GET.get("template", ""))
    if template:
        initial = {
            "template": template.slug,
            "period_months": template.period_months,
            "words_min": template.words_min,
            "words_max": template.words_max,
        }
    form = LogCreateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        form.instance.owner = request.user
        log = form.save()
        messages.success(request, f"Your log “{log}” is ready. Only you can see it.")
        return redirect(log)
    return TemplateResponse(request, "journal/log_form.html", {"form": form})


@login_required
def log_edit(request, log_id: int):
    log = own_log(request.user, log_id)
    form = LogForm(request.POST or None, instance=log)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Log saved.")
        return redirect(log)
    return TemplateResponse(request, "journal/log_form.html", {"form": form, "log": log})


def _by_section(log: Log, entries: list[Entry]) -> list[tuple[str, list[Entry]]]:
    """``(section, entries)`` in the log's order of sections; entries without one come last."""
    groups: dict[str, list[Entry]] = {title: [] for title in log.sections}
    loose: list[Entry] = []
    for entry in entries:
        groups.get(entry.section, loose).append(entry)
    rows = list(groups.items())
    if loose or not rows:
        rows.append(("", loose))
    return rows


@login_required
def log_detail(request, log_id: int):
    """The log's progress at the top, then its entries by section, newest first."""
    log = readable_log(request.user, log_id)
    entries = list(
        Entry.objects.visible_to(request.user)
        .filter(log=log)
        .select_related("meeting", "meeting__set")
        .defer("body")
        .order_by("-entry_date", "-created_at")
    )
    context = {
        "log": log,
        "is_owner": log.owner_id == request.user.pk,
        "progress": log_progress(log, entries, timezone.localdate()),
        "groups": _by_section(log, entries),
        "template": log_templates().get(log.template),
    }
    return TemplateResponse(request, "journal/log_detail.html", context)


def _editor(request, log: Log, form: EntryForm, entry: Entry | None, draft_key: str):
    chosen = form["prompt_set"].value() or ""
    context = {
        "log": log,
        "entry": entry,
        "form": form,
        "draft_key": draft_key,
        "prompt_sets": form.prompt_sets,
        "chosen_prompts": chosen,
        "preview": render_markdown(form["body"].value() or ""),
        "word_count": count_words(form["body"].value() or ""),
        "updated_ms": int(entry.updated_at.timestamp() * 1000) if entry else 0,
    }
    status = 400 if form.is_bound and form.errors else 200
    return TemplateResponse(request, "journal/entry_form.html", context, status=status)


def _save(request, form: EntryForm) -> Entry:
    entry = form.save(commit=False)
    entry.draft = "keep_draft" in request.POST
    entry.save()
    if entry.draft:
        messages.success(request, "Draft saved. Only you can see it.")
    else:
        messages.success(request, "Entry saved.")
    return entry


def _parse_key(value: str) -> str:
    try:
        return str(uuid.UUID(value))
    except (ValueError, TypeError, AttributeError):
        return ""


@login_required
def entry_create(request, log_id: int):
    log = own_log(request.user, log_id)
    if request.method == "POST":
        draft_key = _parse_key(request.POST.get("draft_key", ""))
        # The editor's autosave may already have made this entry: save that one, not a second.
        existing = Entry.objects.filter(log=log, draft_key=draft_key).first() if draft_key else None
        form = EntryForm(request.POST, instance=existing, log=log, user=request.user)
        if form.is_valid():
            if existing is None:
                form.instance.draft_key = draft_key or None
            return redirect(_save(request, form))
        return _editor(request, log, form, existing, draft_key or str(uuid.uuid4()))
    template = log_templates().get(log.template)
    initial = {"prompt_set": template.prompt_set if template else ""}
    if request.GET.get("section", "") in log.sections:
        initial["section"] = request.GET["section"]
    form = EntryForm(initial=initial, log=log, user=request.user)
    slugs = {p.slug for p in form.prompt_sets}
    if request.GET.get("prompts", "") in slugs:
        form.initial["prompt_set"] = request.GET["prompts"]
    meeting = id_from(request.GET.get("meeting", ""))
    meetings = model_choice(form, "meeting").queryset
    if meeting and meetings is not None and meetings.filter(pk=meeting).exists():
        form.initial["meeting"] = meeting
    return _editor(request, log, form, None, str(uuid.uuid4()))


@login_required
def entry_edit(request, entry_id: int):
    entry = own_entry(request.user, entry_id)
    form = EntryForm(request.POST or None, instance=entry, log=entry.log, user=request.user)
    if request.method == "POST" and form.is_valid():
        return redirect(_save(request, form))
    return _editor(request, entry.log, form, entry, str(entry.draft_key or ""))


@login_required
@require_POST
def entry_autosave(request, log_id: int):
    """Save what is in the editor as it is typed: the first call makes the entry as a draft
    (found again by the editor's draft key if the answer was lost), later ones update it.
    Saving never changes whether the entry is a draft; only the editor's buttons do."""
    log = own_log(request.user, log_id)
    entry_id = request.POST.get("entry", "")
    draft_key = _parse_key(request.POST.get("draft_key", ""))
    if entry_id:
        if id_from(entry_id) is None:
            raise Http404("No such entry")
        entry = get_object_or_404(Entry.objects.owned_by(request.user).filter(log=log), pk=entry_id)
    elif draft_key:
        entry = Entry.objects.filter(log=log, draft_key=draft_key).first()
    else:
        return _json({"saved": False, "errors": {"": ["The editor sent no draft key."]}}, 400)
    form = EntryForm(request.POST, instance=entry, log=log, user=request.user, draft=True)
    if not form.is_valid():
        return _json({"saved": False, "errors": form.errors}, 400)
    try:
        with transaction.atomic():
            saved = form.save(commit=False)
            if entry is None:
                saved.draft, saved.draft_key = True, draft_key
            saved.save()
    except IntegrityError:
        # Two first saves crossed: the other one made the draft, so update that one.
        saved = Entry.objects.get(log=log, draft_key=draft_key)
        form = EntryForm(request.POST, instance=saved, log=log, user=request.user, draft=True)
        if not form.is_valid():  # pragma: no cover - the same data has just validated
            return _json({"saved": False, "errors": form.errors}, 400)
        saved = form.save()
    local = timezone.localtime(saved.updated_at)
    return _json(
        {
            "saved": True,
            "entry": saved.pk,
            "draft": saved.draft,
            "word_count": saved.word_count,
            "updated_ms": int(saved.updated_at.timestamp() * 1000),
            "saved_at": local.strftime("%H:%M"),
            "edit_url": reverse("entry_edit", args=[saved.pk]),
            "detail_url": saved.get_absolute_url(),
        }
    )


@login_required
@require_POST
def entry_preview(request):
    """The editor's live preview: the posted Markdown, rendered and sanitised, and its words."""
    body = request.POST.get("body", "")
    too_long = len(body) > MAX_LENGTH
    context = {
        "preview": "" if too_long else render_markdown(body),
        "too_long": too_long,
        "word_count": count_words(body[:MAX_LENGTH]),
    }
    return TemplateResponse(request, "journal/_preview_response.html", context)


@login_required
def entry_detail(request, entry_id: int):
    entry = readable_entry(request.user, entry_id)
    # The page shows every comment: none of them is new to this person any more (dashboard).
    do_mark_comments_seen(request.user, entry)
    context = {
        "entry": entry,
        "log": entry.log,
        "is_owner": entry.log.owner_id == request.user.pk,
        "body": render_markdown(entry.body),
        "attachments": list(entry.attachments.all()),
    }
    return TemplateResponse(request, "journal/entry_detail.html", context)


@login_required
def entry_delete(request, entry_id: int):
    entry = own_entry(request.user, entry_id)
    if request.method == "POST":
        log = entry.log
        entry.delete()
        messages.success(request, f"The entry “{entry}” is deleted.")
        return redirect(log)
    return TemplateResponse(
        request, "journal/entry_delete.html", {"entry": entry, "log": entry.log}
    )


@login_required
def attachment_file(request, attachment_id: int):
    """An attachment's file, to the people who may read its entry (never a public URL)."""
    attachment = readable_attachment(request.user, attachment_id)
    known = attachment.content_type in EXTENSIONS
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404("No such file") from None
    response = FileResponse(
        handle,
        content_type=attachment.content_type if known else "application/octet-stream",
        as_attachment=not known,
        filename=f"{attachment.kind}-{attachment.pk}{EXTENSIONS.get(attachment.content_type, '')}",
    )
    # Not kept by any cache: a reader whose share is revoked must not open it again.
    patch_cache_control(response, private=True, no_store=True)
    # Even a file that slipped past the upload checks cannot run as a page of this site.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return answer_range(request, response)  # audio and video seek by asking for parts
