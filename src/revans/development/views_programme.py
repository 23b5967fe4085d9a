"""A facilitators' programme (architecture.md §4, §6): its page for its managers, trainers and
trainees; the managers' days, people and outcomes; attendance of training days; a trainee's
outcomes and evidence; a trainer's view of one trainee with the sign-offs. Who may open each is
decided in ``access.py``."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.safestring import SafeString
from django.views.decorators.http import require_POST

from revans.accounts.http import AuthenticatedHttpRequest
from revans.accounts.models import User
from revans.journal.markdown import render_markdown
from revans.meetings.models import Meeting

from . import services
from .access import (
    DevelopmentAccess,
    development_access,
    manager_access,
    outcome_in,
    own_evidence,
    participant_in,
    trainee_access,
    trainee_in,
    trainer_access,
    trainer_or_manager_access,
    training_day_in,
)
from .forms import (
    DayAttendanceForm,
    EvidenceForm,
    OutcomeForm,
    ParticipantForm,
    RoleForm,
    SignOffForm,
    TrainingDayForm,
)
from .models import DayAttendance, Evidence, Outcome, Participant, SignOff, TrainingDay


def _back(programme_id: int) -> HttpResponse:
    return redirect("development_programme", programme_id)


# The programme's page


@dataclass
class DayRow:
    day: TrainingDay
    attendance: list[tuple[User, str]] = field(default_factory=list)  # (trainee, status or "")

    def count(self, status: str) -> int:
        return sum(1 for _, s in self.attendance if s == status)

    @property
    def present(self) -> int:
        return self.count(DayAttendance.Status.PRESENT)

    @property
    def apologies(self) -> int:
        return self.count(DayAttendance.Status.APOLOGIES)

    @property
    def absent(self) -> int:
        return self.count(DayAttendance.Status.ABSENT)


@dataclass
class TraineeRow:
    user: User
    signed_off: int


@login_required
def development_programme(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    """The programme's page: its days, trainers, trainees and practice sets. Managers and
    trainers also see attendance per day and each trainee's progress; a trainee sees the others'
    names only. Its queries do not grow with the programme's days or people."""
    access = development_access(request.user, programme_id)
    programme = access.programme
    leads = access.manages or access.trains
    places = list(programme.participants.select_related("user"))
    trainers = [p.user for p in places if p.role == Participant.Role.TRAINER]
    trainees = [p.user for p in places if p.role == Participant.Role.TRAINEE]
    rows = [DayRow(day) for day in programme.training_days.all()]
    outcomes = list(programme.outcomes.all())
    progress: list[TraineeRow] = []
    if leads:
        recorded: dict[tuple[int, int], str] = dict(
            ((day_id, user_id), status)
            for day_id, user_id, status in DayAttendance.objects.filter(
                day__programme=programme
            ).values_list("day_id", "user_id", "status")
        )
        for row in rows:
            row.attendance = [(t, recorded.get((row.day.pk, t.pk), "")) for t in trainees]
        signed = dict(
            SignOff.objects.filter(outcome__programme=programme)
            .values("trainee_id")
            .annotate(n=Count("pk"))
            .values_list("trainee_id", "n")
        )
        progress = [TraineeRow(t, signed.get(t.pk, 0)) for t in trainees]
    context = {
        "access": access,
        "programme": programme,
        "leads": leads,
        "days": rows,
        "trainers": trainers,
        "trainees": trainees,
        "progress": progress,
        "outcomes": outcomes,
        "sets": programme.sets.order_by("name", "pk"),
        "statuses": DayAttendance.Status,
    }
    return TemplateResponse(request, "development/programme.html", context)


# Training days (managers)


def _day_form(
    request: AuthenticatedHttpRequest, access: DevelopmentAccess, day: TrainingDay | None
) -> HttpResponse:
    form = TrainingDayForm(
        request.POST if request.method == "POST" else None,
        instance=day,
        programme=access.programme,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.do_save_training_day(
                access.programme,
                title=data["title"],
                starts_at=data["starts_at"],
                hours=data["hours"],
                place=data["place"],
                video_link=data["video_link"],
                day=day,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"“{saved.title}” {'saved' if day else 'added'}.")
            return _back(access.programme.pk)
    context = {"programme": access.programme, "form": form, "day": day}
    return TemplateResponse(request, "development/training_day_form.html", context)


@login_required
def training_day_create(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    return _day_form(request, manager_access(request.user, programme_id), None)


@login_required
def training_day_edit(
    request: AuthenticatedHttpRequest, programme_id: int, day_id: int
) -> HttpResponse:
    access = manager_access(request.user, programme_id)
    return _day_form(request, access, training_day_in(access, day_id))


@login_required
def training_day_delete(
    request: AuthenticatedHttpRequest, programme_id: int, day_id: int
) -> HttpResponse:
    """Asks first (its attendance goes with it), then deletes the day."""
    access = manager_access(request.user, programme_id)
    day = training_day_in(access, day_id)
    if request.method != "POST":
        context = {
            "programme": access.programme,
            "day": day,
            "recorded": DayAttendance.objects.filter(day=day).count(),
        }
        return TemplateResponse(request, "development/training_day_delete.html", context)
    services.do_delete_training_day(day)
    messages.success(request, f"“{day.title}” deleted, with its attendance.")
    return _back(programme_id)


@login_required
def training_day_attendance(
    request: AuthenticatedHttpRequest, programme_id: int, day_id: int
) -> HttpResponse:
    """Present, apologies or absent for each trainee on one day: managers and trainers."""
    access = trainer_or_manager_access(request.user, programme_id)
    day = training_day_in(access, day_id)
    trainees = [
        p.user
        for p in access.programme.participants.filter(role=Participant.Role.TRAINEE).select_related(
            "user"
        )
    ]
    current = dict(DayAttendance.objects.filter(day=day).values_list("user_id", "status"))
    form = DayAttendanceForm(
        request.POST if request.method == "POST" else None, people=trainees, current=current
    )
    if request.method == "POST" and form.is_valid():
        services.do_record_day_attendance(day, form.statuses())
        messages.success(request, f"Attendance of “{day.title}” saved.")
        return _back(programme_id)
    context = {"programme": access.programme, "day": day, "form": form}
    return TemplateResponse(request, "development/day_attendance.html", context)


# People (managers)


@login_required
def development_people(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    """The programme's trainees and trainers, and a form to add someone by e-mail address."""
    access = manager_access(request.user, programme_id)
    form = ParticipantForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        person = form.cleaned_data["email"]
        role = form.cleaned_data["role"]
        try:
            place = services.do_add_participant(access.programme, person, role, by=request.user)
        except ValidationError as error:
            form.add_error("email", error)
        else:
            messages.success(
                request, f"{person.display_name} added as {place.get_role_display().lower()}."
            )
            return redirect("development_people", programme_id)
    context = {
        "programme": access.programme,
        "form": form,
        "places": access.programme.participants.select_related("user"),
        "roles": Participant.Role.choices,
    }
    return TemplateResponse(request, "development/people.html", context)


@login_required
@require_POST
def participant_role(
    request: AuthenticatedHttpRequest, programme_id: int, participant_id: int
) -> HttpResponse:
    access = manager_access(request.user, programme_id)
    place = participant_in(access, participant_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose trainee or trainer.")
    else:
        try:
            services.do_change_role(place, form.cleaned_data["role"], by=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request, f"{place.user.display_name} is now a {place.get_role_display().lower()}."
            )
    return redirect("development_people", programme_id)


@login_required
@require_POST
def participant_remove(
    request: AuthenticatedHttpRequest, programme_id: int, participant_id: int
) -> HttpResponse:
    access = manager_access(request.user, programme_id)
    place = participant_in(access, participant_id)
    services.do_remove_participant(place, by=request.user)
    messages.success(request, f"{place.user.display_name} is no longer in the programme.")
    return redirect("development_people", programme_id)


# Outcomes (managers)


@login_required
def outcomes_manage(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    """The programme's learning outcomes, and a form to add one after the last."""
    access = manager_access(request.user, programme_id)
    form = OutcomeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        outcome = services.do_add_outcome(access.programme, form.cleaned_data["text"])
        messages.success(request, f"Outcome {outcome.number} added.")
        return redirect("development_outcomes_manage", programme_id)
    outcomes = access.programme.outcomes.annotate(
        evidence_count=Count("evidence", distinct=True),
        sign_off_count=Count("sign_offs", distinct=True),
    )
    context = {"programme": access.programme, "form": form, "outcomes": outcomes}
    return TemplateResponse(request, "development/outcomes_manage.html", context)


@login_required
def outcome_edit(
    request: AuthenticatedHttpRequest, programme_id: int, outcome_id: int
) -> HttpResponse:
    access = manager_access(request.user, programme_id)
    outcome = outcome_in(access, outcome_id)
    form = OutcomeForm(
        request.POST if request.method == "POST" else None, initial={"text": outcome.text}
    )
    if request.method == "POST" and form.is_valid():
        services.do_edit_outcome(outcome, form.cleaned_data["text"])
        messages.success(request, f"Outcome {outcome.number} saved.")
        return redirect("development_outcomes_manage", programme_id)
    context = {"programme": access.programme, "form": form, "outcome": outcome}
    return TemplateResponse(request, "development/outcome_form.html", context)


@login_required
@require_POST
def outcome_delete(
    request: AuthenticatedHttpRequest, programme_id: int, outcome_id: int
) -> HttpResponse:
    access = manager_access(request.user, programme_id)
    outcome = outcome_in(access, outcome_id)
    try:
        services.do_delete_outcome(outcome)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"“{outcome.text}” deleted; the outcomes after it moved up.")
    return redirect("development_outcomes_manage", programme_id)


# Where a trainee stands


@dataclass
class OutcomeState:
    """One outcome for one trainee: its sign-off, or the evidence waiting for one."""

    outcome: Outcome
    sign_off: SignOff | None
    evidence: list[Evidence]
    form: EvidenceForm | SignOffForm | None = None

    @property
    def state(self) -> str:
        if self.sign_off is not None:
            return "signed"
        return "waiting" if self.evidence else "none"


@dataclass
class Progress:
    total: int
    signed: int
    waiting: int

    @property
    def remaining(self) -> int:
        return self.total - self.signed - self.waiting


def _states(
    programme_id: int, trainee: User, *, with_evidence: bool = True, for_trainer: bool = False
) -> tuple[list[OutcomeState], Progress]:
    outcomes = list(Outcome.objects.filter(programme_id=programme_id))
    sign_offs = {
        s.outcome_id: s
        for s in SignOff.objects.filter(
            outcome__programme_id=programme_id, trainee=trainee
        ).select_related("trainer")
    }
    evidence: dict[int, list[Evidence]] = defaultdict(list)
    if with_evidence:
        items = Evidence.objects.filter(outcome__programme_id=programme_id, trainee=trainee)
        if for_trainer:
            # An entry its author has turned back into a draft is out of sight until saved.
            items = items.exclude(entry__draft=True)
        for item in items.select_related(
            "entry", "observation__meeting__set", "observation__observer", "set"
        ):
            evidence[item.outcome_id].append(item)
    states = [OutcomeState(o, sign_offs.get(o.pk), evidence.get(o.pk, [])) for o in outcomes]
    progress = Progress(
        total=len(states),
        signed=sum(1 for s in states if s.state == "signed"),
        waiting=sum(1 for s in states if s.state == "waiting"),
    )
    return states, progress


def _evidence_choices(user: User) -> list:
    """The trainee's own things that may be evidence, grouped by kind, as ``kind:id`` choices."""
    entries = [
        (f"entry:{e.pk}", f"{e.entry_date:%d %b %Y} · {e}")
        for e in services.own_entries(user)
        .select_related(None)
        .only("title", "entry_date")
        .order_by("-entry_date", "-pk")[:200]
    ]
    observations = [
        (
            f"observation:{o.pk}",
            f"{o.meeting.set.name}, meeting {o.meeting.number}, observed by "
            f"{o.observer.display_name}",
        )
        for o in services.own_observations(user).select_related("meeting__set", "observer")
    ]
    sets = [(f"set:{s.pk}", s.name) for s in services.own_sets(user).order_by("name", "pk")]
    groups = [
        ("Log entries", entries),
        ("Observations of your practice", observations),
        ("Sets you facilitate", sets),
    ]
    return [(label, items) for label, items in groups if items]


@login_required
def my_outcomes(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    """Where a trainee stands: each outcome signed off, waiting with evidence, or not started;
    a form on each open outcome to attach one of their own log entries, observations or sets."""
    return _my_outcomes_page(request, trainee_access(request.user, programme_id))


def _my_outcomes_page(
    request: AuthenticatedHttpRequest,
    access: DevelopmentAccess,
    refused: EvidenceForm | None = None,
    refused_outcome_id: int | None = None,
) -> TemplateResponse:
    """Where the trainee stands; ``refused`` is an evidence form sent back with its errors, in
    the place of the empty one of outcome ``refused_outcome_id``."""
    choices = _evidence_choices(request.user)
    states, progress = _states(access.programme.pk, request.user)
    for state in states:
        if state.sign_off is None:
            if refused is not None and state.outcome.pk == refused_outcome_id:
                state.form = refused
            else:
                state.form = EvidenceForm(choices=choices, prefix=f"o{state.outcome.pk}")
    context = {
        "programme": access.programme,
        "states": states,
        "progress": progress,
        "has_choices": bool(choices),
    }
    return TemplateResponse(request, "development/my_outcomes.html", context)


@login_required
@require_POST
def evidence_add(
    request: AuthenticatedHttpRequest, programme_id: int, outcome_id: int
) -> HttpResponse:
    access = trainee_access(request.user, programme_id)
    outcome = outcome_in(access, outcome_id)
    form = EvidenceForm(
        request.POST, choices=_evidence_choices(request.user), prefix=f"o{outcome.pk}"
    )
    back = redirect("development_my_outcomes", programme_id)
    if not form.is_valid():
        # Back to the page with the choice and the note as they were, the reason beside them.
        return _my_outcomes_page(request, access, refused=form, refused_outcome_id=outcome.pk)
    kind, pk = form.chosen()
    try:
        services.do_add_evidence(outcome, request.user, kind, pk, form.cleaned_data["note"])
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"Evidence added to outcome {outcome.number}.")
    return back


@login_required
@require_POST
def evidence_remove(
    request: AuthenticatedHttpRequest, programme_id: int, evidence_id: int
) -> HttpResponse:
    access = trainee_access(request.user, programme_id)
    evidence = own_evidence(access, evidence_id)
    try:
        services.do_remove_evidence(evidence)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"Evidence taken off outcome {evidence.outcome.number}.")
    return redirect("development_my_outcomes", programme_id)


# A trainer's view of one trainee


@dataclass
class ShownEvidence:
    """Evidence as a trainer reads it: the entry's words, the observation's feedback, or the
    set's name and meetings held; nothing else of the trainee's log."""

    evidence: Evidence
    body: SafeString | None = None
    meetings_held: int = 0


@login_required
def trainee_detail(
    request: AuthenticatedHttpRequest, programme_id: int, user_id: int
) -> HttpResponse:
    """One trainee's outcomes. Trainers see the evidence in full and sign outcomes off;
    managers see the sign-offs only, never the evidence (architecture.md §4). Its queries do
    not grow with the evidence."""
    access = trainer_or_manager_access(request.user, programme_id)
    return _trainee_page(request, access, trainee_in(access, user_id))


def _trainee_page(
    request: AuthenticatedHttpRequest,
    access: DevelopmentAccess,
    trainee: User,
    refused: SignOffForm | None = None,
    refused_outcome_id: int | None = None,
) -> TemplateResponse:
    """The trainee's page; ``refused`` is a sign-off form sent back with its errors, in the
    place of the empty one of outcome ``refused_outcome_id``."""
    states, progress = _states(
        access.programme.pk, trainee, with_evidence=access.trains, for_trainer=True
    )
    shown: dict[int, list[ShownEvidence]] = {}
    if access.trains:
        set_ids = {e.set_id for s in states for e in s.evidence if e.set_id}
        held = dict(
            Meeting.objects.filter(set_id__in=set_ids)
            .order_by()
            .values("set_id")
            .annotate(n=Count("pk", filter=Q(status=Meeting.Status.CLOSED)))
            .values_list("set_id", "n")
        )
        for state in states:
            shown[state.outcome.pk] = [
                ShownEvidence(
                    e,
                    body=render_markdown(e.entry.body) if e.entry is not None else None,
                    meetings_held=held.get(e.set_id, 0) if e.set_id else 0,
                )
                for e in state.evidence
            ]
            if state.sign_off is None:
                if refused is not None and state.outcome.pk == refused_outcome_id:
                    state.form = refused
                else:
                    state.form = SignOffForm(prefix=f"o{state.outcome.pk}")
    context = {
        "access": access,
        "programme": access.programme,
        "trainee": trainee,
        "states": [(state, shown.get(state.outcome.pk, [])) for state in states],
        "progress": progress,
    }
    return TemplateResponse(request, "development/trainee.html", context)


@login_required
@require_POST
def sign_off(
    request: AuthenticatedHttpRequest, programme_id: int, user_id: int, outcome_id: int
) -> HttpResponse:
    """A trainer signs one outcome off for one trainee, with a note (required)."""
    access = trainer_access(request.user, programme_id)
    trainee = trainee_in(access, user_id)
    outcome = outcome_in(access, outcome_id)
    form = SignOffForm(request.POST, prefix=f"o{outcome.pk}")
    if not form.is_valid():
        # Back to the page with the note as typed and the reason beside it.
        return _trainee_page(request, access, trainee, refused=form, refused_outcome_id=outcome.pk)
    try:
        services.do_sign_off(outcome, trainee, request.user, form.cleaned_data["note"])
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request, f"Outcome {outcome.number} signed off for {trainee.display_name}."
        )
    return redirect("development_trainee", programme_id, trainee.pk)
