"""Sharing mo's log with a named assessor or supervisor by e-mail: invite, accept with the right
address only, resend, revoke at any time; a reader reads saved entries and never changes them."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from revans.accounts.models import User
from revans.journal.models import Log, Share

from .conftest import share

LINK = re.compile(r"https?://\S+/journal/shared/(\S+)/")
CSRF_TOKEN = re.compile(r"\b[A-Za-z0-9]{64}\b")


def invite(world, log, mailoutbox, email="nia@example.org", role="assessor") -> str:
    """mo shares ``log`` with ``email``; returns the link's path from the e-mail."""
    response = world.client(world.mo).post(
        reverse("share_create", args=[log.pk]), {"email": email, "role": role}
    )
    assert response.status_code == 302
    token = LINK.search(mailoutbox[-1].body).group(1)
    return reverse("share_accept", args=[token])


def test_the_owner_shares_a_log_by_email_invitation(world, log, mailoutbox):
    invite(world, log, mailoutbox)
    item = log.shares.get()
    assert (item.email, item.role, item.status, item.user) == (
        "nia@example.org",
        "assessor",
        "pending",
        None,
    )
    mail = mailoutbox[0]
    assert mail.to == ["nia@example.org"]
    assert "Mo shares a learning log" in mail.subject
    assert "sign off or return" in mail.body and "only for nia@example.org" in mail.body
    assert item.token_hash not in mail.body  # only the hash is stored, only the token is sent


def test_the_sharing_page_lists_each_share_with_its_state(world, log):
    active = share(log, world.obi, role="supervisor")
    pending = Share(log=log, email="pending@example.org")
    pending.new_token()
    pending.save()
    expired = Share(log=log, email="late@example.org")
    expired.new_token()
    expired.expires_at = timezone.now() - timedelta(days=1)
    expired.save()
    revoked = share(log, world.oli, revoked_at=timezone.now())
    html = world.client(world.mo).get(reverse("log_sharing", args=[log.pk])).content.decode()
    for item, label in ((active, "Active"), (pending, "Pending"), (expired, "Expired")):
        row = html[html.index(f'id="share-{item.pk}"') :]
        assert label in row[: row.index("</li>")]
    assert "Revoked" in html[html.index(f'id="share-{revoked.pk}"') :]
    assert "Supervisor" in html and "Obi" in html


def test_the_right_person_accepts_and_reads_the_log(world, log, entry, mailoutbox):
    link = invite(world, log, mailoutbox)
    nia = world.client(world.nia)
    page = nia.get(link)
    assert page.status_code == 200 and "Accept and read the log" in page.content.decode()
    assert nia.get(log.get_absolute_url()).status_code == 404  # not before accepting
    response = nia.post(link)
    assert response.status_code == 302 and response["Location"] == log.get_absolute_url()
    item = log.shares.get()
    assert item.status == "accepted" and item.user == world.nia
    assert entry.title in nia.get(log.get_absolute_url()).content.decode()
    journal = nia.get(reverse("journal")).content.decode()
    assert "Shared with me" in journal and log.get_absolute_url() in journal
    # The link, used again by the same person, leads to the log.
    assert nia.get(link)["Location"] == log.get_absolute_url()
    owner_page = world.client(world.mo).get(log.get_absolute_url()).content.decode()
    assert "Shared with Nia (assessor)" in owner_page


def test_someone_signed_in_with_another_address_gets_the_answer_of_a_missing_link(
    world, log, mailoutbox
):
    link = invite(world, log, mailoutbox)
    fran = world.client(world.fran)
    for response in (fran.get(link), fran.post(link)):
        assert response.status_code == 404
        # Without the page's CSRF tokens: 64 random letters and digits may well hold "Mo".
        page = CSRF_TOKEN.sub("", response.content.decode())
        assert "The link is not valid" in page
        assert str(log) not in page and "Mo" not in page
    assert log.shares.get().status == "pending"
    assert fran.get(log.get_absolute_url()).status_code == 404


def test_a_newcomer_signs_up_with_the_invited_address(client, world, log, mailoutbox):
    link = invite(world, log, mailoutbox, email="asa@example.org")
    page = client.get(link).content.decode()
    assert "asa@example.org" in page and "Create my account" in page
    response = client.post(
        link,
        {"display_name": "Asa Assessor", "password1": "a-long-pass-1234", "password2": "x"},
    )
    assert response.status_code == 200 and not User.objects.filter(email="asa@example.org")
    response = client.post(
        link,
        {
            "display_name": "Asa Assessor",
            "password1": "a-long-pass-1234",
            "password2": "a-long-pass-1234",
        },
    )
    assert response["Location"] == log.get_absolute_url()
    asa = User.objects.get(email="asa@example.org")
    assert log.shares.get().user == asa
    assert client.get(log.get_absolute_url()).status_code == 200


def test_someone_with_an_account_is_sent_to_sign_in_first(client, world, log, mailoutbox):
    link = invite(world, log, mailoutbox)
    response = client.get(link)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={link}"
    assert log.shares.get().status == "pending"


def test_a_link_reused_after_revocation_is_refused(world, log, mailoutbox):
    link = invite(world, log, mailoutbox)
    item = log.shares.get()
    world.client(world.mo).post(reverse("share_revoke", args=[item.pk]))
    nia = world.client(world.nia)
    for response in (nia.get(link), nia.post(link)):
        assert response.status_code == 410
        assert "withdrew the share" in response.content.decode()
    assert nia.get(log.get_absolute_url()).status_code == 404


def test_an_expired_link_is_refused(world, log, mailoutbox):
    link = invite(world, log, mailoutbox)
    Share.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    response = world.client(world.nia).post(link)
    assert response.status_code == 410 and "The link has expired" in response.content.decode()
    assert log.shares.get().user is None


def test_a_made_up_link_is_refused(world, client, db):
    response = client.get(reverse("share_accept", args=["not-a-token"]))
    assert response.status_code == 404 and "The link is not valid" in response.content.decode()


def test_revoking_takes_the_log_away_at_once(world, log, entry, mailoutbox):
    link = invite(world, log, mailoutbox)
    nia = world.client(world.nia)
    nia.post(link)
    submission = world.client(world.mo).post(reverse("log_submit", args=[log.pk]))
    assert submission.status_code == 302
    version = log.submissions.get()
    urls = [
        log.get_absolute_url(),
        entry.get_absolute_url(),
        reverse("log_history", args=[log.pk]),
        reverse("submission_detail", args=[version.pk]),
    ]
    assert all(nia.get(url).status_code == 200 for url in urls)
    item = log.shares.get()
    response = world.client(world.mo).post(reverse("share_revoke", args=[item.pk]))
    assert response.status_code == 302
    assert all(nia.get(url).status_code == 404 for url in urls)
    assert nia.post(reverse("comment_create", args=[entry.pk]), {"body": "Hi"}).status_code == 404
    assert (
        nia.post(
            reverse("submission_decide", args=[version.pk]), {"decision": "sign_off"}
        ).status_code
        == 404
    )
    assert log.get_absolute_url() not in nia.get(reverse("journal")).content.decode()
    assert nia.get(link).status_code == 410


def test_revoking_by_htmx_swaps_the_row(world, log):
    item = share(log, world.nia)
    response = world.client(world.mo).post(
        reverse("share_revoke", args=[item.pk]), HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200 and f'id="share-{item.pk}"' in html and "Revoked" in html
    assert "<html" not in html


def test_sending_again_gives_a_new_link_and_the_old_one_stops(world, log, mailoutbox):
    old = invite(world, log, mailoutbox)
    item = log.shares.get()
    response = world.client(world.mo).post(reverse("share_resend", args=[item.pk]))
    assert response.status_code == 302 and len(mailoutbox) == 2
    new = reverse("share_accept", args=[LINK.search(mailoutbox[1].body).group(1)])
    assert new != old
    nia = world.client(world.nia)
    assert nia.get(old).status_code == 404
    assert nia.post(new).status_code == 302 and log.shares.get().user == world.nia


def test_an_accepted_share_is_not_sent_again(world, log, mailoutbox):
    item = share(log, world.nia)
    world.client(world.mo).post(reverse("share_resend", args=[item.pk]))
    assert mailoutbox == []


def test_inviting_the_same_address_again_resends_the_pending_share(world, log, mailoutbox):
    invite(world, log, mailoutbox)
    invite(world, log, mailoutbox, role="supervisor")
    assert log.shares.get().role == "supervisor" and len(mailoutbox) == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "not an address", "role": "assessor"}, "Enter a valid email address."),
        ({"email": "mo@example.org", "role": "assessor"}, "That is your own address"),
        ({"email": "nia@example.org", "role": "examiner"}, "Select a valid choice"),
    ],
)
def test_a_bad_invitation_is_refused_and_nothing_stored(world, log, mailoutbox, data, message):
    response = world.client(world.mo).post(reverse("share_create", args=[log.pk]), data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not Share.objects.exists() and mailoutbox == []


def test_sharing_again_with_a_reader_is_refused(world, log, mailoutbox):
    share(log, world.nia)
    response = world.client(world.mo).post(
        reverse("share_create", args=[log.pk]), {"email": "NIA@example.org", "role": "assessor"}
    )
    assert response.status_code == 400 and "already shared with" in response.content.decode()
    assert mailoutbox == []


def test_readers_never_see_drafts(world, log, entry, draft):
    share(log, world.nia)
    nia = world.client(world.nia)
    html = nia.get(log.get_absolute_url()).content.decode()
    assert entry.title in html and draft.title not in html
    assert nia.get(draft.get_absolute_url()).status_code == 404


def test_a_reader_reads_and_comments_but_never_changes_anything(world, log, entry, mailoutbox):
    item = share(log, world.nia)
    nia = world.client(world.nia)
    html = nia.get(entry.get_absolute_url()).content.decode()
    assert reverse("entry_edit", args=[entry.pk]) not in html
    for url in (
        reverse("entry_edit", args=[entry.pk]),
        reverse("entry_delete", args=[entry.pk]),
        reverse("entry_create", args=[log.pk]),
        reverse("log_edit", args=[log.pk]),
        reverse("log_sharing", args=[log.pk]),
    ):
        assert nia.get(url).status_code == 404, url
        assert nia.post(url, {"title": "Changed", "body": "Changed"}).status_code == 404, url
    for url in (
        reverse("entry_autosave", args=[log.pk]),
        reverse("log_submit", args=[log.pk]),
        reverse("share_create", args=[log.pk]),
        reverse("share_revoke", args=[item.pk]),
        reverse("share_resend", args=[item.pk]),
    ):
        assert (
            nia.post(url, {"body": "x", "entry": entry.pk, "email": "x@example.org"}).status_code
            == 404
        ), url
    entry.refresh_from_db()
    assert entry.title == "After meeting two" and log.submissions.count() == 0
    assert Share.objects.get().revoked_at is None and mailoutbox == []


def test_other_people_get_404_and_anonymous_is_sent_to_sign_in(world, client, log, entry):
    item = share(log, world.nia)
    urls = [
        reverse("log_sharing", args=[log.pk]),
        reverse("log_history", args=[log.pk]),
    ]
    posts = [
        reverse("share_revoke", args=[item.pk]),
        reverse("comment_create", args=[entry.pk]),
        reverse("log_submit", args=[log.pk]),
    ]
    for person in (world.fran, world.obi, world.pam):
        other = world.client(person)
        assert all(other.get(url).status_code == 404 for url in urls)
        assert all(other.post(url, {"body": "x"}).status_code == 404 for url in posts)
    for url in urls:
        assert reverse("account_login") in client.get(url)["Location"]
    assert Log.objects.get().submissions.count() == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_sharing_twice_at_the_same_moment_makes_one_share(world, mailoutbox):
    """Two "Share" clicks at once (threads with connections of their own; on PostgreSQL the
    unique constraint decides, on SQLite the write lock)."""
    import threading

    from django.db import connection

    from revans.journal import sharing

    log = Log.objects.create(owner=world.mo, title="Race")
    start = threading.Barrier(2)
    errors = []

    def share_it() -> None:
        try:
            start.wait()
            sharing.do_share(log, "asa@example.org", "assessor", lambda token: token)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=share_it) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Share.objects.filter(log=log).count() == 1


def test_a_second_open_share_to_the_same_address_is_refused_by_the_database(world):
    from django.db import IntegrityError, transaction

    log = Log.objects.create(owner=world.mo, title="Twice")
    first = Share(log=log, email="asa@example.org")
    first.new_token()
    first.save()
    second = Share(log=log, email="ASA@example.org")
    second.new_token()
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()
    Share.objects.filter(pk=first.pk).update(revoked_at=timezone.now())
    second.save()  # a revoked share no longer counts
