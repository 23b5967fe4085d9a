"""Attachments are sent only through an access-checked view, never from a public media URL."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from revans.journal.models import Attachment

from .conftest import share

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


@pytest.fixture
def image(settings, tmp_path, entry) -> Attachment:
    settings.MEDIA_ROOT = tmp_path
    item = Attachment(entry=entry, kind="image", content_type="image/png", size=len(PNG))
    item.file.save("photo.png", ContentFile(PNG), save=False)
    item.save()
    return item


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_author_gets_the_file_inline_with_its_type(world, image):
    response = world.client(world.mo).get(image.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")
    assert response["Cache-Control"] == "private, no-store"
    assert "sandbox" in response["Content-Security-Policy"]
    assert body(response) == PNG


def test_a_shared_reader_gets_it_too(world, log, image):
    share(log, world.nia)
    assert world.client(world.nia).get(image.get_absolute_url()).status_code == 200


def test_a_revoked_reader_keeps_no_copy_and_cannot_fetch_it_again(world, log, image):
    from revans.journal.sharing import do_revoke_share

    shared = share(log, world.nia)
    client = world.client(world.nia)
    response = client.get(image.get_absolute_url())
    assert response.status_code == 200
    # no-store: neither the browser nor any cache between may answer for the file later.
    assert "no-store" in response["Cache-Control"] and "max-age" not in response["Cache-Control"]
    do_revoke_share(shared)
    assert client.get(image.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("person", ["fran", "obi", "pam", "oli", "nia"])
def test_nobody_else_gets_it(world, image, person):
    assert world.client(getattr(world, person)).get(image.get_absolute_url()).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, image):
    response = client.get(image.get_absolute_url())
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_an_unknown_type_is_downloaded_not_shown(world, image):
    Attachment.objects.filter(pk=image.pk).update(content_type="text/html")
    response = world.client(world.mo).get(image.get_absolute_url())
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")


def test_a_file_missing_on_disk_is_404_not_500(world, image, tmp_path):
    (tmp_path / image.file.name).unlink()
    assert world.client(world.mo).get(image.get_absolute_url()).status_code == 404


def test_the_media_folder_is_not_served(world, image):
    for path in (image.file.url, f"/media/{image.file.name}", f"/{image.file.name}"):
        assert world.client(world.mo).get(path).status_code == 404, path
