from django.core.management import call_command
from django.urls import reverse

from revans.accounts.models import Organisation, User
from revans.programmes.models import Programme
from revans.sets.models import GroundRules, Issue, Membership, Set
from revans.site.demo import PASSWORD, load_demo


def counts():
    return [
        model.objects.count()
        for model in (User, Organisation, Programme, Set, Membership, Issue, GroundRules)
    ]


def test_demo_loads_idempotently_and_prints_the_sign_ins(db, capsys):
    call_command("demo", "--no-serve")
    first = counts()
    call_command("demo", "--no-serve")
    assert counts() == first
    out = capsys.readouterr().out
    for email in ("pam", "fran", "mo", "oli", "nia"):
        assert f"{email}@demo.revans.test" in out
    assert PASSWORD in out


def test_demo_people_are_where_the_issue_says(db, client):
    load_demo()
    programme = Programme.objects.get(name="Leading Change")
    assert programme.sets.count() == 3
    assert programme.managers.filter(email="pam@demo.revans.test").exists()
    # Fran facilitates Aurora here, and a set of a second programme (test_demo_programme.py).
    fran = Membership.objects.filter(user__email="fran@demo.revans.test", set__programme=programme)
    assert fran.get().role == "facilitator"
    assert Membership.objects.get(user__email="mo@demo.revans.test").set.name == "Aurora"
    assert Membership.objects.get(user__email="oli@demo.revans.test").set.name != "Aurora"
    assert not Membership.objects.filter(user__email="nia@demo.revans.test").exists()
    assert Set.objects.filter(mode="online").exclude(video_link="").exists()
    people_orgs = Organisation.objects.filter(people__memberships__isnull=False).distinct()
    assert people_orgs.count() >= 6
    assert {"local_government", "health", "housing", "charity"} <= set(
        people_orgs.values_list("sector", flat=True)
    )
    response = client.post(
        reverse("account_login"), {"login": "fran@demo.revans.test", "password": PASSWORD}
    )
    assert response["Location"] == reverse("dashboard")
