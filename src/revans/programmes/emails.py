"""The e-mails of joining an open set: the set's facilitators and the programme's managers hear
of a request, and the person hears the answer. Sent after the request or the answer is saved
(never for one rolled back); they carry names and the person's own note, nothing said in a set."""

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.urls import reverse

from revans.accounts.models import User
from revans.sets.models import Membership, Role

from .models import JoinRequest

SUBJECT_PREFIX = "[Revans] "


def _deciders(join_request: JoinRequest) -> list[User]:
    """Who may answer: the set's facilitators and its programme's managers, active ones."""
    set_ = join_request.set
    facilitators = User.objects.filter(
        pk__in=Membership.objects.filter(set=set_, role=Role.FACILITATOR).values("user_id")
    )
    programme = set_.programme
    managers = programme.managers.all() if programme is not None else User.objects.none()
    people = {u.pk: u for u in [*facilitators, *managers] if u.is_active}
    return sorted(people.values(), key=lambda u: (u.display_name, u.pk))


def request_made(join_request: JoinRequest) -> None:
    """Tells the set's facilitators and the programme's managers, once the request is saved."""

    def send() -> None:
        set_ = join_request.set
        person = join_request.person
        link = settings.SITE_URL + reverse("join_requests", args=[set_.programme_id])
        note = f'\n\nTheir note: "{join_request.note}"' if join_request.note else ""
        body = (
            f"{person.display_name} ({person.email}) asks to join {set_.name}.{note}\n\n"
            f"Accept or decline: {link}\n"
        )
        subject = f"{SUBJECT_PREFIX}{person.display_name} asks to join {set_.name}"
        send_mass_mail(
            [
                (subject, body, settings.DEFAULT_FROM_EMAIL, [u.email])
                for u in _deciders(join_request)
            ]
        )

    transaction.on_commit(send)


def request_answered(join_request: JoinRequest) -> None:
    """Tells the person the answer, once it is saved."""

    def send() -> None:
        set_ = join_request.set
        if join_request.status == JoinRequest.Status.ACCEPTED:
            link = settings.SITE_URL + reverse("set_detail", args=[set_.pk])
            subject = f"{SUBJECT_PREFIX}Welcome to {set_.name}"
            body = (
                f"{join_request.decided_by or 'The facilitator'} accepted your request: you are now a "
                f"member of {set_.name}. Its dates and your fellow members are on its page:\n"
                f"{link}\n"
            )
        else:
            link = settings.SITE_URL + reverse("programme_open_sets", args=[set_.programme_id])
            subject = f"{SUBJECT_PREFIX}Your request to join {set_.name}"
            body = (
                f"Your request to join {set_.name} was not accepted this time. Another of the "
                f"programme's open sets may have a seat:\n{link}\n"
            )
        send_mass_mail([(subject, body, settings.DEFAULT_FROM_EMAIL, [join_request.person.email])])

    transaction.on_commit(send)
