from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from revans.core.mail import zone_name

from . import services
from .access import may_answer, may_decide, poll_access, propose_access
from .board import board_for
from .emails import when, zone_of
from .forms import FIRST_ROWS, PollForm, answer_choices, poll_initial, slot_formset
from .links import read_answer_token
from .models import MAX_SLOTS, Answer, Poll, Slot


def _zone_context(request: HttpRequest) -> dict:
    return {"zone": zone_name(timezone.get_current_timezone_name())}


@login_required
def poll_create(request: HttpRequest, set_id: int) -> HttpResponse:
    """Proposes times for the set's next meeting(s): several rows of a date and a time, in the
    proposer's time zone; "Add another time" gives one more row without saving."""
    access = propose_access(request.user, set_id)
    set_ = access.set
    adding = request.method == "POST" and "add" in request.POST
    if request.method == "POST":
        data = request.POST.copy()
        if adding:
            try:
                rows = int(data.get("slot-TOTAL_FORMS", FIRST_ROWS))
            except ValueError:
                rows = FIRST_ROWS
            data["slot-TOTAL_FORMS"] = str(max(1, min(rows + 1, MAX_SLOTS)))
        form = PollForm(data, set_=set_, initial=poll_initial(set_))
        formset = slot_formset(data)
    else:
        form = PollForm(set_=set_, initial=poll_initial(set_))
        formset = slot_formset()
    if request.method == "POST" and not adding and form.is_valid() and formset.is_valid():
        try:
            poll = services.do_create_poll(
                set_,
                request.user,  # type: ignore[arg-type]
                formset.starts,  # type: ignore[attr-defined]
                title=form.cleaned_data["title"],
                note=form.cleaned_data["note"],
                duration_minutes=form.cleaned_data["duration_minutes"],
                meeting_format=form.cleaned_data["format"],
                zone=timezone.get_current_timezone_name(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, "Poll opened: everyone in the set has been asked when they can come."
            )
            return redirect(poll)
    context = {
        "access": access,
        "set": set_,
        "form": form,
        "formset": formset,
        "adding": adding,
        "max_slots": MAX_SLOTS,
        "can_add": formset.total_form_count() < MAX_SLOTS,
        **_zone_context(request),
    }
    return TemplateResponse(request, "polls/poll_form.html", context)


@login_required
def poll_detail(request: HttpRequest, poll_id: int) -> HttpResponse:
    poll, access = poll_access(request.user, poll_id)
    board = board_for(poll, request.user)  # type: ignore[arg-type]
    context = {
        "poll": poll,
        "set": poll.set,
        "access": access,
        "board": board,
        "may_answer": may_answer(access) and poll.is_open,
        "may_decide": may_decide(poll, access) and poll.is_open,
        "choices": Answer.Choice.choices,
        "chosen": poll.meeting if poll.status == Poll.Status.CHOSEN else None,
        "all_past": poll.is_open and all(column.is_past for column in board.columns),
        **_zone_context(request),
    }
    return TemplateResponse(request, "polls/poll_detail.html", context)


@login_required
@require_POST
def poll_answer(request: HttpRequest, poll_id: int) -> HttpResponse:
    poll, access = poll_access(request.user, poll_id)
    if not may_answer(access):
        raise Http404("No such poll")
    choices = answer_choices(request.POST, list(poll.slots.all()))
    try:
        services.do_answer(poll, request.user, choices)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Your answers are saved.")
    return redirect(poll)


def _slot_of(poll: Poll, raw: str | None) -> Slot | None:
    try:
        return poll.slots.filter(pk=int(raw or "")).first()
    except ValueError:
        return None


@login_required
def poll_choose(request: HttpRequest, poll_id: int) -> HttpResponse:
    """Asks "make this time the meeting?", then does it."""
    poll, access = poll_access(request.user, poll_id)
    if not may_decide(poll, access):
        raise Http404("No such poll")
    raw = request.POST.get("slot") if request.method == "POST" else request.GET.get("slot")
    if request.method == "POST":
        try:
            slot_id = int(raw or "")
        except ValueError:
            messages.error(request, "Choose one of the poll's times.")
            return redirect(poll)
        try:
            meeting, made = services.do_choose(poll, slot_id, request.user)  # type: ignore[arg-type]
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(poll)
        if made:
            messages.success(
                request,
                f"Meeting {meeting.number} is in the set's calendar; everyone has been told.",
            )
        else:
            messages.info(request, f"That time is already meeting {meeting.number}.")
        return redirect(meeting)
    if not poll.is_open:
        messages.error(request, "This poll is decided: it takes no more choices.")
        return redirect(poll)
    slot = _slot_of(poll, raw)
    if slot is None:
        messages.error(request, "That time is not one of this poll's: choose one of its times.")
        return redirect(poll)
    board = board_for(poll, request.user)  # type: ignore[arg-type]
    column = next(c for c in board.columns if c.slot.pk == slot.pk)
    context = {
        "poll": poll,
        "set": poll.set,
        "column": column,
        "waiting": board.waiting,
        **_zone_context(request),
    }
    return TemplateResponse(request, "polls/poll_choose.html", context)


@login_required
@require_POST
def poll_close(request: HttpRequest, poll_id: int) -> HttpResponse:
    poll, access = poll_access(request.user, poll_id)
    if not may_decide(poll, access):
        raise Http404("No such poll")
    if services.do_close(poll, request.user):  # type: ignore[arg-type]
        messages.success(request, "The poll is closed without a date.")
    else:
        messages.info(request, "This poll was already closed.")
    return redirect(poll)


def poll_answer_link(request: HttpRequest, token: str) -> HttpResponse:
    """The e-mailed answer link (``links.py``): the person's own answers to the poll's times,
    in their own time zone, without signing in. A bad or old link, a poll they may no longer
    answer, or someone signed in as another person: the 404 of a missing poll."""
    found = read_answer_token(token)
    if found is None:
        raise Http404("No such poll")
    poll_id, user_id = found
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or (request.user.is_authenticated and request.user.pk != user.pk):
        raise Http404("No such poll")
    poll, access = poll_access(user, poll_id)
    if not may_answer(access):
        raise Http404("No such poll")
    poll_slots = list(poll.slots.all())
    if request.method == "POST" and poll.is_open:
        try:
            services.do_answer(poll, user, answer_choices(request.POST, poll_slots))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Thank you: your answers are saved.")
        return redirect(request.path)
    zone = zone_of(user)
    mine = dict(Answer.objects.filter(slot__poll=poll, user=user).values_list("slot_id", "choice"))
    rows = [
        {
            "slot": slot,
            "when": when(slot.starts_at, poll.duration_minutes, zone),
            "mine": mine.get(slot.pk, ""),
        }
        for slot in poll_slots
    ]
    context = {
        "poll": poll,
        "set": poll.set,
        "person": user,
        "rows": rows,
        "zone": zone_name(zone),
        "choices": Answer.Choice.choices,
        "signed_in": request.user.is_authenticated,
    }
    return TemplateResponse(
        request, "polls/answer_link.html", context, status=200 if poll.is_open else 410
    )
