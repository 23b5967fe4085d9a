from django.urls import reverse

from revans.sets.models import DEFAULT_GROUND_RULES, GroundRules, GroundRulesAgreement


def test_facilitator_starts_drafting_from_the_suggested_rules(world):
    world.rules.delete()
    response = world.client(world.fran).get(reverse("ground_rules_edit", args=[world.aurora.pk]))
    assert response.status_code == 200
    assert response.context["form"].initial["rules"] == "\n".join(DEFAULT_GROUND_RULES)


def test_saving_rules_makes_version_one_agreed_by_its_author(world):
    world.rules.delete()
    response = world.client(world.fran).post(
        reverse("ground_rules_edit", args=[world.aurora.pk]),
        {"rules": "Confidentiality\n\n  Questions,   not advice  \n"},
    )
    assert response.status_code == 302
    rules = GroundRules.objects.get(set=world.aurora)
    assert rules.version == 1
    assert rules.rules == ["Confidentiality", "Questions, not advice"]
    assert list(rules.agreements.values_list("user__email", flat=True)) == [world.fran.email]


def test_changing_agreed_rules_asks_everyone_again(world):
    GroundRulesAgreement.objects.create(ground_rules=world.rules, user=world.mo)
    world.client(world.fran).post(
        reverse("ground_rules_edit", args=[world.aurora.pk]),
        {"rules": "Confidentiality\nQuestions, not advice\nPhones away"},
    )
    current = GroundRules.objects.filter(set=world.aurora).order_by("-version").first()
    assert current.version == 2
    assert not current.agreements.filter(user=world.mo).exists()
    page = world.client(world.mo).get(reverse("set_detail", args=[world.aurora.pk]))
    assert "You have not agreed to the current rules yet" in page.content.decode()


def test_saving_unchanged_rules_keeps_the_agreements(world):
    GroundRulesAgreement.objects.create(ground_rules=world.rules, user=world.mo)
    world.client(world.fran).post(
        reverse("ground_rules_edit", args=[world.aurora.pk]),
        {"rules": "\n".join(world.rules.rules)},
    )
    assert GroundRules.objects.filter(set=world.aurora).count() == 1


def test_member_agrees_and_the_set_page_shows_who_and_when(world):
    client = world.client(world.mo)
    response = client.post(reverse("ground_rules_agree", args=[world.aurora.pk]), {"version": "1"})
    assert response.status_code == 200
    assert GroundRulesAgreement.objects.filter(ground_rules=world.rules, user=world.mo).exists()
    page = client.get(reverse("set_detail", args=[world.aurora.pk])).content.decode()
    assert "2 of 3 people have agreed to version 1" in page
    assert "You agreed on" in page


def test_agreeing_through_htmx_returns_only_the_agreement_panel(world):
    response = world.client(world.mo).post(
        reverse("ground_rules_agree", args=[world.aurora.pk]),
        {"version": "1"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section class="card" id="agreement"')
    assert "You agreed on" in html


def test_agreeing_twice_records_one_agreement(world):
    client = world.client(world.mo)
    for _ in range(2):
        client.post(reverse("ground_rules_agree", args=[world.aurora.pk]), {"version": "1"})
    assert GroundRulesAgreement.objects.filter(user=world.mo).count() == 1


def test_agreeing_to_an_outdated_version_is_refused_with_a_message(world):
    GroundRules.objects.create(set=world.aurora, version=2, rules=["New rule"])
    response = world.client(world.mo).post(
        reverse("ground_rules_agree", args=[world.aurora.pk]), {"version": "1"}, follow=True
    )
    assert "changed while you were reading" in response.content.decode()
    assert not GroundRulesAgreement.objects.filter(user=world.mo).exists()


def test_garbage_version_is_refused_without_saving(world):
    response = world.client(world.mo).post(
        reverse("ground_rules_agree", args=[world.aurora.pk]), {"version": "\x00drop"}
    )
    assert response.status_code == 302
    assert not GroundRulesAgreement.objects.filter(user=world.mo).exists()


def test_empty_rules_are_refused_with_a_message(world):
    response = world.client(world.fran).post(
        reverse("ground_rules_edit", args=[world.aurora.pk]), {"rules": "  \n \n"}
    )
    assert response.status_code == 200
    assert "Write at least one ground rule." in response.content.decode()
    assert GroundRules.objects.filter(set=world.aurora).count() == 1


def test_too_many_or_too_long_rules_are_refused(world):
    url = reverse("ground_rules_edit", args=[world.aurora.pk])
    client = world.client(world.fran)
    too_many = client.post(url, {"rules": "\n".join(f"Rule {i}" for i in range(21))})
    assert "Keep to 20 rules or fewer" in too_many.content.decode()
    too_long = client.post(url, {"rules": "x" * 301})
    assert "Keep each rule under 300 characters" in too_long.content.decode()
    assert GroundRules.objects.filter(set=world.aurora).count() == 1


def test_in_a_self_facilitated_set_members_edit_the_rules(world):
    world.aurora.self_facilitated = True
    world.aurora.save()
    response = world.client(world.mo).get(reverse("ground_rules_edit", args=[world.aurora.pk]))
    assert response.status_code == 200


def test_programme_manager_sees_no_ground_rules_on_the_set_page(world):
    page = world.client(world.pam).get(reverse("set_detail", args=[world.aurora.pk]))
    html = page.content.decode()
    assert "Questions, not advice" not in html
    assert "Ground rules" not in html


def test_people_who_left_do_not_count_as_agreeing(world):
    GroundRulesAgreement.objects.create(ground_rules=world.rules, user=world.mo)
    world.mo_in_aurora.delete()
    html = world.client(world.fran).get(reverse("set_detail", args=[world.aurora.pk])).content
    assert b"1 of 2 people have agreed to version 1" in html
