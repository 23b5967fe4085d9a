"""A small world of named people for tests, as in architecture.md §4.

pam manages the programme "Leading Change"; fran facilitates its set Aurora, where mo is a
member and obi observes; oli is a member of Beacon (facilitated by gus); nia is in no set.

``Facilitators(world)`` adds a facilitators' programme: pam manages "Facilitating Action
Learning"; tina trains; tara and theo are trainees. Its practice set Kestrel has tina as
facilitator and tara and theo as members, with one closed meeting two days ago.
"""

from allauth.account.models import EmailAddress
from django.test import Client

from revans.accounts.models import Organisation, User
from revans.development.models import Participant
from revans.meetings.models import Meeting
from revans.meetings.testing import make_meeting
from revans.programmes.models import Programme
from revans.sets.models import GroundRules, GroundRulesAgreement, Issue, Membership, Role, Set

PASSWORD = "a-long-test-password"


def make_person(key: str, organisation: Organisation | None = None, **fields) -> User:
    email = f"{key}@example.org"
    user = User.objects.create_user(
        email=email,
        password=PASSWORD,
        display_name=fields.pop("display_name", key.title()),
        organisation=organisation,
        **fields,
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


class World:
    pam: User
    fran: User
    mo: User
    obi: User
    oli: User
    gus: User
    nia: User

    def __init__(self) -> None:
        self.council = Organisation.objects.create(
            name="Merseyvale Council", sector="local_government"
        )
        self.trust = Organisation.objects.create(name="Northshore NHS Trust", sector="health")
        for key in ("pam", "fran", "mo", "obi", "oli", "gus", "nia"):
            setattr(
                self, key, make_person(key, self.council if key in ("pam", "mo") else self.trust)
            )
        self.programme = Programme.objects.create(
            name="Leading Change",
            sponsor=self.council,
            starts_on="2026-09-01",
            ends_on="2027-03-31",
        )
        self.programme.managers.add(self.pam)
        self.aurora = Set.objects.create(
            name="Aurora", programme=self.programme, place="Town Hall", status="active"
        )
        self.beacon = Set.objects.create(
            name="Beacon",
            programme=self.programme,
            mode=Set.Mode.ONLINE,
            video_link="https://meet.jit.si/beacon",
        )
        self.fran_in_aurora = Membership.objects.create(
            set=self.aurora, user=self.fran, role=Role.FACILITATOR
        )
        self.mo_in_aurora = Membership.objects.create(set=self.aurora, user=self.mo)
        self.obi_in_aurora = Membership.objects.create(
            set=self.aurora, user=self.obi, role=Role.OBSERVER
        )
        Membership.objects.create(set=self.beacon, user=self.gus, role=Role.FACILITATOR)
        Membership.objects.create(set=self.beacon, user=self.oli)
        self.mo_issue = Issue.objects.create(
            set=self.aurora,
            owner=self.mo,
            title="Two teams that will not merge",
            description="Rotas are still booked separately.",
            why_it_matters="I promised one service by April.",
        )
        self.rules = GroundRules.objects.create(
            set=self.aurora, version=1, rules=["Confidentiality", "Questions, not advice"]
        )
        GroundRulesAgreement.objects.create(ground_rules=self.rules, user=self.fran)

    def client(self, user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client


class Facilitators:
    def __init__(self, world: World) -> None:
        self.world = world
        self.tina: User = make_person("tina", world.trust)
        self.tara: User = make_person("tara", world.council)
        self.theo: User = make_person("theo", world.council)
        self.programme = Programme.objects.create(
            name="Facilitating Action Learning",
            kind=Programme.Kind.DEVELOPMENT,
            sponsor=world.council,
            starts_on="2026-09-01",
            ends_on="2027-05-31",
        )
        self.programme.managers.add(world.pam)
        Participant.objects.create(
            programme=self.programme, user=self.tina, role=Participant.Role.TRAINER
        )
        for trainee in (self.tara, self.theo):
            Participant.objects.create(programme=self.programme, user=trainee)
        self.outcomes = list(self.programme.outcomes.order_by("number"))
        self.kestrel = Set.objects.create(
            name="Kestrel", programme=self.programme, place="Training room", status="active"
        )
        Membership.objects.create(set=self.kestrel, user=self.tina, role=Role.FACILITATOR)
        for trainee in (self.tara, self.theo):
            Membership.objects.create(set=self.kestrel, user=trainee)
        self.practice: Meeting = make_meeting(self.kestrel, days=-2)
        Meeting.objects.filter(pk=self.practice.pk).update(status=Meeting.Status.CLOSED)
        self.practice.refresh_from_db()
