"""A facilitators' peer set: marked on its edit form by those who may edit the set, and shown on
its page."""

from django.urls import reverse

FORM = {"name": "Kestrel", "mode": "in_person", "place": "Training room", "status": "active"}


def test_the_facilitator_marks_the_set_a_peer_set_and_its_page_says_so(facilitators):
    f = facilitators
    client = f.world.client(f.tina)
    assert b"peer_set" in client.get(reverse("set_edit", args=[f.kestrel.pk])).content
    response = client.post(reverse("set_edit", args=[f.kestrel.pk]), {**FORM, "peer_set": "on"})
    assert response.status_code == 302
    f.kestrel.refresh_from_db()
    assert f.kestrel.peer_set
    page = f.world.client(f.tara).get(reverse("set_detail", args=[f.kestrel.pk]))
    assert "Facilitators’ peer set" in page.content.decode().replace("&#x27;", "’").replace(
        "'", "’"
    )


def test_leaving_the_box_empty_unmarks_it(facilitators):
    f = facilitators
    f.kestrel.peer_set = True
    f.kestrel.save()
    f.world.client(f.tina).post(reverse("set_edit", args=[f.kestrel.pk]), FORM)
    f.kestrel.refresh_from_db()
    assert not f.kestrel.peer_set
    page = f.world.client(f.tara).get(reverse("set_detail", args=[f.kestrel.pk]))
    assert b"peer set" not in page.content


def test_a_member_cannot_mark_the_set(facilitators):
    f = facilitators
    response = f.world.client(f.tara).post(
        reverse("set_edit", args=[f.kestrel.pk]), {**FORM, "peer_set": "on"}
    )
    assert response.status_code == 404
    f.kestrel.refresh_from_db()
    assert not f.kestrel.peer_set
