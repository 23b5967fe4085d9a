from datetime import time, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from revans.sets.access import manage_access

from . import services
from .access import meeting_access, meeting_content_access
from .forms import ApologiesForm, AttendanceForm, FormatForm, MeetingForm, ScheduleForm
from .insight import meeting_mix
from .models import Attendance, Meeting, MeetingFormat, Question
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
    """A new schedule starts from the programme's cadence and format, and the set's place."""
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
    return initial


@login_required
def schedule_create(request, set_id: int):
    access = manage_access(request.user, set_id)
    form = ScheduleForm(
        request.POST or None, set_=access.set, initial=_schedule_initial(access.set)
    )
    if request.method == "POST" and form.is_valid() and "confirm" in request.POST:
        meetings = services.do_create_schedule(
            access.set,
            form.starts,
            zone=timezone.get_current_timezone_name(),
            duration_minutes=form.cleaned_data["duration_minutes"],
            meeting_format=form.cleaned_data["format"],
            place=form.cleaned_data["place"],
            video_link=form.cleaned_data["video_link"],
        )
        messages.success(request, f"{len(meetings)} meetings scheduled.")
        return redirect(access.set)
    context = {"access": access, "set": access.set, "form": form}
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
        "can_record": access.can_chair and started,
        "record_later": access.can_chair and not started and not meeting.is_cancelled,
        "over": meeting.status == Meeting.Status.CLOSED or meeting.is_past,
        "attendance_form": AttendanceForm(
            people=people, current={uid: a.status for uid, a in records.items()}
        ),
        "can_change": access.can_manage and meeting.status == Meeting.Status.SCHEDULED,
        "figures": summary_figures(meeting.summary) if meeting.summary else None,
        "question_mix": _question_mix(meeting, request.user) if access.in_set else None,
    }
    return TemplateResponse(request, "meetings/meeting_detail.html", context)


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
    if not access.can_chair:
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
    context = {
        "access": access,
        "set": access.set,
        "meeting": meeting,
        "me": {"id": request.user.pk, "role": access.role},
    }
    return TemplateResponse(request, "meetings/room.html", context)
