"""The prompt sets a programme's managers add, and who is offered them in the entry editor."""

import pytest
from django.urls import reverse

from revans.journal.models import ProgrammePromptSet

from .conftest import make_log


def url(world, name="programme_prompts", *args):
    return reverse(name, args=[world.programme.pk, *args])


def test_a_manager_adds_a_prompt_set(world):
    response = world.client(world.pam).post(
        url(world), {"name": "  After  each meeting ", "prompts": "What moved?\n\n  What stuck? \n"}
    )
    assert response.status_code == 302
    prompts = ProgrammePromptSet.objects.get()
    assert prompts.name == "After each meeting"
    assert prompts.prompt_lines == ["What moved?", "What stuck?"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "prompts": "What moved?"}, "Give the prompt set a name."),
        ({"name": "Empty", "prompts": " \n \n"}, "Write at least one prompt."),
        ({"name": "Many", "prompts": "\n".join(f"Q{i}?" for i in range(21))}, "at most 20"),
        ({"name": "Long", "prompts": "x" * 301}, "under 300 characters"),
        ({"name": "n" * 121, "prompts": "Q?"}, "under 120 characters"),
    ],
)
def test_bad_prompt_sets_get_a_clear_message_and_nothing_is_stored(world, data, message):
    response = world.client(world.pam).post(url(world), data)
    assert response.status_code == 400
    assert message in response.text
    assert not ProgrammePromptSet.objects.exists()


def test_two_prompt_sets_of_one_programme_cannot_share_a_name(world):
    ProgrammePromptSet.objects.create(programme=world.programme, name="Weekly", prompts="Q?")
    response = world.client(world.pam).post(url(world), {"name": "weekly", "prompts": "R?"})
    assert "already has a prompt set of that name" in response.text
    assert ProgrammePromptSet.objects.count() == 1


def test_a_manager_edits_and_deletes_a_prompt_set(world):
    prompts = ProgrammePromptSet.objects.create(programme=world.programme, name="A", prompts="Q?")
    client = world.client(world.pam)
    client.post(url(world, "programme_prompt_edit", prompts.pk), {"name": "B", "prompts": "R?"})
    prompts.refresh_from_db()
    assert (prompts.name, prompts.prompts) == ("B", "R?")
    client.post(url(world, "programme_prompt_delete", prompts.pk))
    assert not ProgrammePromptSet.objects.exists()


@pytest.mark.parametrize("who", ["fran", "mo", "nia"])
def test_only_the_programmes_managers_open_the_pages(world, who):
    prompts = ProgrammePromptSet.objects.create(programme=world.programme, name="A", prompts="Q?")
    client = world.client(getattr(world, who))
    assert client.get(url(world)).status_code == 404
    assert client.post(url(world), {"name": "X", "prompts": "Y?"}).status_code == 404
    assert client.post(url(world, "programme_prompt_delete", prompts.pk)).status_code == 404
    assert ProgrammePromptSet.objects.count() == 1


def test_a_prompt_set_of_another_programme_gets_404(world):
    from revans.programmes.models import Programme

    other = Programme.objects.create(
        name="Other", sponsor=world.council, starts_on="2026-09-01", ends_on="2027-03-31"
    )
    theirs = ProgrammePromptSet.objects.create(programme=other, name="Theirs", prompts="Q?")
    response = world.client(world.pam).get(url(world, "programme_prompt_edit", theirs.pk))
    assert response.status_code == 404


def test_mo_in_the_programme_sees_pams_prompt_set_in_the_editor_and_nia_does_not(world):
    world.client(world.pam).post(
        url(world), {"name": "Leading Change check-in", "prompts": "What did you try at work?"}
    )
    for who, sees in ((world.mo, True), (world.nia, False)):
        log = make_log(who)
        html = world.client(who).get(reverse("entry_create", args=[log.pk])).text
        assert ("Leading Change check-in" in html) is sees
        assert ("What did you try at work?" in html) is sees
