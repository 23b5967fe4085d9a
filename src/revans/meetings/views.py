from datetime import time, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from revans.sets.access import manage_access

from . import facilitation, schedule, services
from .access import may_chair, may_mark_facilitation, meeting_access, meeting_content_access
from .forms import ApologiesForm, AttendanceForm, FormatForm, MeetingForm, ScheduleForm
from .insight import meeting_mix
from .models import Attendance, Meeting, MeetingFormat, Question
from .page import meeting_page, room_page
from .purge import purged_on
from .room import guidance
from .room.summary import summary_figures


def has_started(meeting: Meeting) -> bool:
    """Whether the meeting is under way or over: its time has come, or its room was opened (or
    closed) early. A cancelled meeting never starts."""
    if meeting.is_cancelled:
        return False
    return meeting.status != Meeting.Status.SCHEDULED or meeting.starts_at <= timezone.now()


def apologies_refusal(meeting: Meeting) -> str:
    """Why apologies cannot be sent for ``meeting`` now, or "" when they can: only before a
    scheduled meeting starts."""
    if meeting.is_cancelled:
        return "This meeting was cancelled: no apologies are needed."
    if meeting.status == Meeting.Status.CLOSED or meeting.is_past:
        return "Apologies are sent before a meeting starts; this one is over."
    if has_started(meeting):
        return "Apologies are sent before a meeting starts; this one has started."
    return ""


def _schedule_initial(set_) -> dict:
    """A new schedule starts from the programme's cadence, format and meeting length, and the
    set's place."""
    next_week = timezone.localdate() + timedelta(weeks=1)
    initial = {
        "place": set_.place,
        "video_link": set_.video_link,
        "first_date": next_week,
        "first_time": time(10),
        "date": next_week,
        "time": time(10),
    }
    programme = set_.programme
    slug = programme.meeting_format if programme else "one_hour"
    meeting_format = MeetingFormat.objects.shipped().filter(slug=slug).first()
    if meeting_format:
        initial.update(format=meeting_format, duration_minutes=meeting_format.total_minutes)
    if programme:
        initial["interval_weeks"] = programme.cadence_weeks
        initial["duration_minutes"] = programme.meeting_minutes
    return initial


def _programme_proposal(set_, initial: dict) -> dict | None:
    """The schedule proposed from the set's programme: from its start (never before tomorrow,
    nor before the set's last meeting plus the cadence) to its end, at its cadence, format and
    meeting length. None for a set on its own, or when no date is left before the end."""
    programme = set_.programme
    if programme is None or "format" not in initial:
        return None
    weeks = programme.cadence_weeks
    earliest = timezone.localdate() + timedelta(days=1)
    last = set_.meetings.exclude(status=Meeting.Status.CANCELLED).order_by("-starts_at").first()
    if last is not None:
        after_last = timezone.localtime(last.starts_at).date() + timedelta(weeks=weeks)
        earliest = max(earliest, after_last)
    first = max(programme.starts_on, earliest)
    count = schedule.count_until(first, programme.ends_on, weeks)
    if not count:
        return None
    data = {
        "first_date": first.isoformat(),
        "first_time": initial["first_time"].strftime("%H:%M"),
        "cadence": "weeks",
        "interval_weeks": str(weeks),
        "count": str(count),
        "duration_minutes": str(initial["duration_minutes"]),
        "format": str(initial["format"].pk),
        "place": initial["place"],
        "video_link": initial["video_link"],
        "taster": "on",  # dropped by the form when the set has meetings already
    }
    return {"programme": programme, "first": first, "count": count, "data": data}


@login_required
def schedule_create(request, set_id: int):
    """Plans a run of meetings. For a set in a programme the page opens on the dates proposed
    from the programme (its start to its end, at its cadence and format), already previewed;
    the person changes anything before saving."""
    access = manage_access(request.user, set_id)
    initial = _schedule_initial(access.set)
    proposal = None
    if request.method == "POST":
        form = ScheduleForm(request.POST, set_=access.set, initial=initial)
    else:
        proposal = _programme_proposal(access.set, initial)
        form = ScheduleForm(
            proposal["data"] if proposal else None, set_=access.set, initial=initial
        )
        if proposal and not form.is_valid():
            # The proposal does not fit (a place the set has not given yet): start from the
            # same values without errors shown before the person has done anything.
            form = ScheduleForm(set_=access.set, initial={**initial, **proposal["data"]})
    if request.method == "POST" and form.is_valid() and "confirm" in request.POST:
        meetings = services.do_create_schedule(
            access.set,
            form.starts,
            zone=timezone.get_current_timezone_name(),
            duration_minutes=form.cleaned_data["duration_minutes"],
            meeting_format=form.cleaned_data["format"],
            place=form.cleaned_data["place"],
            video_link=form.cleaned_data["video_link"],
            first_format=form.first_format(),
        )
        messages.success(request, f"{len(meetings)} meetings scheduled.")
        return redirect(access.set)
    context = {"access": access, "set": access.set, "form": form, "proposal": proposal}
    return TemplateResponse(request, "meetings/schedule_form.html", context)


@login_required
def meeting_create(request, set_id: int):
    access = manage_access(request.user, set_id)
    initial = _schedule_initial(access.set)
    form = MeetingForm(request.POST or None, set_=access.set, initial=initial)
    if request.method == "POST" and form.is_valid():
        (meeting,) = services.do_create_schedule(
            access.set,
            [form.cleaned_data["starts_at"]],
            zone=timezone.get_current_timezone_name(),
            duration_minutes=form.cleaned_data["duration_minutes"],
            meeting_format=form.cleaned_data["format"],
            place=form.cleaned_data["place"],
            video_link=form.cleaned_data["video_link"],
        )
        messages.success(request, f"Meeting {meeting.number} added.")
        return redirect(meeting)
    context = {"access": access, "set": access.set, "form": form}
    return TemplateResponse(request, "meetings/meeting_form.html", context)


@login_required
def meeting_edit(request, meeting_id: int):
    meeting, access = meeting_access(request.user, meeting_id)
    if not access.can_manage:
        raise Http404("No such meeting")
    if meeting.status != Meeting.Status.SCHEDULED:
        messages.error(request, "Only a scheduled meeting can be moved.")
        return redirect(meeting)
    form = MeetingForm(request.POST or None, instance=meeting, set_=access.set)
    if request.method == "POST" and form.is_valid():
        fields = ("duration_minutes", "format", "place", "video_link", "starts_at")
        changes = {field: form.cleaned_data[field] for field in fields}
        changes["time_zone"] = timezone.get_current_timezone_name()
        meeting = services.do_change_meeting(meeting, **changes)
        messages.success(request, "Meeting saved; calendars will pick up the change.")
        return redirect(meeting)
    context = {"access": access, "set": access.set, "form": form, "meeting": meeting}
    return TemplateResponse(request, "meetings/meeting_form.html", context)


@login_required
@require_POST
def meeting_facilitation(request, meeting_id: int):
    """Marks a meeting facilitated or run by the set itself, within the set's allowance of
    facilitated meetings: for its facilitators and its programme's managers."""
    meeting, access = meeting_access(request.user, meeting_id)
    if not may_mark_facilitation(access):
        raise Http404("No such meeting")
    choice = request.POST.get("facilitated", "")
    if choice not in ("1", "0"):
        messages.error(request, "Choose facilitated or self-facilitated.")
        return redirect(meeting)
    try:
        meeting = services.do_mark_facilitated(meeting, facilitated=choice == "1")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(meeting)
    messages.success(
        request,
        f"Meeting {meeting.number} is {meeting.facilitation.lower()}; calendars will show it.",
    )
    return redirect(meeting)


@login_required
@require_POST
def meeting_cancel(request, meeting_id: int):
    meeting, access = meeting_access(request.user, meeting_id)
    if not access.can_manage:
        raise Http404("No such meeting")
    if services.do_cancel_meeting(meeting):
        messages.success(
            request, f"Meeting on {timezone.localtime(meeting.starts_at):%-d %B} cancelled."
        )
    else:
        messages.error(request, "Only a scheduled meeting can be cancelled.")
    return redirect(access.set)


@login_required
def meeting_detail(request, meeting_id: int):
    meeting, access = meeting_access(request.user, meeting_id)
    memberships = list(
        access.set.memberships.select_related("user").order_by("role", "user__display_name")
    )
    records = {
        a.user_id: a for a in Attendance.objects.visible_to(request.user).filter(meeting=meeting)
    }
    for membership in memberships:
        membership.attendance = records.get(membership.user_id)
    mine = records.get(request.user.pk)
    people = [m.user for m in memberships]
    started = has_started(meeting)
    chairs = may_chair(meeting, access)
    context = {
        "access": access,
        "set": access.set,
        "meeting": meeting,
        "memberships": memberships,
        "my_attendance": mine,
        # Apology notes are words said to the set: only its people read them.
        "show_notes": access.in_set,
        "can_send_apologies": access.in_set and not apologies_refusal(meeting),
        "apologies_form": ApologiesForm(initial={"note": mine.note if mine else ""}),
        # Attendance is recorded once the meeting has started, and may be put right after it
        # closed; "once it has started" is said only of a meeting still to come.
        "can_record": chairs and started,
        "record_later": chairs and not started and not meeting.is_cancelled,
        **_facilitation_context(meeting, access),
        "over": meeting.status == Meeting.Status.CLOSED or meeting.is_past,
        "attendance_form": AttendanceForm(
            people=people, current={uid: a.status for uid, a in records.items()}
        ),
        "can_change": access.can_manage and meeting.status == Meeting.Status.SCHEDULED,
        "figures": summary_figures(meeting.summary) if meeting.summary else None,
        "purged_on": purged_on(meeting),
        "question_mix": _question_mix(meeting, request.user) if access.in_set else None,
        **meeting_page.context(request.user, meeting, access),
    }
    return TemplateResponse(request, "meetings/meeting_detail.html", context)


def _facilitation_context(meeting: Meeting, access) -> dict:
    """Whether this person may mark the meeting facilitated or not, and the set's allowance
    used so far (counts only) for those who may."""
    can_mark = (
        may_mark_facilitation(access)
        and meeting.status == Meeting.Status.SCHEDULED
        and not access.set.self_facilitated
    )
    context: dict = {"can_mark_facilitation": can_mark}
    if can_mark:
        context["allowance"] = facilitation.allowance(access.set)
        context["allowance_used"] = facilitation.counted(access.set).count()
    return context


def _question_mix(meeting: Meeting, user) -> dict | None:
    """The mix kept in the meeting's summary; worked out now for a summary made before the mix
    was kept in it. Set content: callers check the user is in the set."""
    if not meeting.summary:
        return None
    if "question_mix" in meeting.summary:
        return meeting.summary["question_mix"]
    return meeting_mix(Question.objects.visible_to(user).filter(meeting=meeting)).as_dict()


@login_required
@require_POST
def meeting_apologies(request, meeting_id: int):
    meeting, access = meeting_access(request.user, meeting_id)
    if not access.in_set:
        raise Http404("No such meeting")
    refusal = apologies_refusal(meeting)
    if refusal:
        messages.error(request, refusal)
        return redirect(meeting)
    if request.POST.get("action") == "withdraw":
        services.do_withdraw_apologies(meeting, request.user)
        messages.success(request, "Your apologies are withdrawn: see you there.")
        return redirect(meeting)
    form = ApologiesForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Keep the note under 500 characters.")
        return redirect(meeting)
    services.do_send_apologies(meeting, request.user, form.cleaned_data["note"].strip())
    messages.success(request, "Your apologies are sent; the set will see them.")
    return redirect(meeting)


@login_required
@require_POST
def meeting_attendance(request, meeting_id: int):
    meeting, access = meeting_access(request.user, meeting_id)
    if not may_chair(meeting, access):
        raise Http404("No such meeting")
    if meeting.is_cancelled:
        messages.error(request, "This meeting was cancelled: there is no attendance to record.")
        return redirect(meeting)
    if not has_started(meeting):
        messages.error(request, "Attendance is recorded once the meeting has started.")
        return redirect(meeting)
    people = [m.user for m in access.set.memberships.select_related("user")]
    form = AttendanceForm(request.POST, people=people, current={})
    if not form.is_valid():
        messages.error(request, "Choose present, apologies or absent for each person.")
        return redirect(meeting)
    services.do_record_attendance(meeting, form.statuses(), request.user)
    messages.success(request, "Attendance saved.")
    return redirect(meeting)


@login_required
def format_list(request, set_id: int):
    access = manage_access(request.user, set_id)
    formats = MeetingFormat.objects.for_set(access.set)
    context = {"access": access, "set": access.set, "formats": formats}
    return TemplateResponse(request, "meetings/format_list.html", context)


@login_required
def format_copy(request, set_id: int, format_id: int):
    access = manage_access(request.user, set_id)
    source = get_object_or_404(MeetingFormat.objects.for_set(access.set), pk=format_id)
    initial = {"name": f"{source.name} ({access.set.name})", "presenters": source.presenters}
    form = FormatForm(request.POST or None, source=source, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.copy_format(
            source,
            access.set,
            form.cleaned_data["name"],
            form.phases(),
            form.cleaned_data["presenters"],
        )
        messages.success(request, "Your copy of the format is ready to use in the schedule.")
        return redirect("format_list", access.set.pk)
    context = {"access": access, "set": access.set, "form": form, "source": source}
    return TemplateResponse(request, "meetings/format_form.html", context)


@login_required
def format_edit(request, set_id: int, format_id: int):
    access = manage_access(request.user, set_id)
    own = get_object_or_404(MeetingFormat.objects.filter(set=access.set), pk=format_id)
    initial = {"name": own.name, "presenters": own.presenters}
    form = FormatForm(request.POST or None, source=own, initial=initial)
    if request.method == "POST" and form.is_valid():
        own.name = form.cleaned_data["name"]
        own.presenters = form.cleaned_data["presenters"]
        own.phases = form.phases()
        own.save(update_fields=["name", "presenters", "phases"])
        messages.success(request, "Format saved.")
        return redirect("format_list", access.set.pk)
    context = {"access": access, "set": access.set, "form": form, "source": own, "editing": True}
    return TemplateResponse(request, "meetings/format_form.html", context)


@login_required
def meeting_room(request, meeting_id: int):
    """The live room: set content, so only the people in the set (observers read only)."""
    meeting, access = meeting_content_access(request.user, meeting_id)
    if meeting.is_cancelled:
        messages.error(request, "This meeting was cancelled.")
        return redirect(meeting)
    taster = any(phase["kind"] == "ground_rules" for phase in meeting.format.phases)
    context = {
        "access": access,
        "set": access.set,
        "meeting": meeting,
        "me": {"id": request.user.pk, "role": access.role},
        "guide_links": guidance.phase_links(taster),
        "taster": taster,
        "how_it_works": guidance.how_it_works() if taster else "",
        "meeting_shape": guidance.meeting_shape() if taster else [],
        "starter_rules": guidance.starter_rules() if taster else "",
        "purged_on": purged_on(meeting),
        **room_page.context(request.user, meeting, access),
    }
    return TemplateResponse(request, "meetings/room.html", context)
