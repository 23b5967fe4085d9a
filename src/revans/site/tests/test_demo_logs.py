"""The demo's learning logs: Fran's ILM log half-way, shared with Asa; Mo's set journal."""

from django.core.management import call_command

from revans.journal.models import Attachment, Comment, Entry, Log, Share
from revans.site.demo import load_demo
from revans.site.demo_log import unwrap


def counts():
    return [m.objects.count() for m in (Log, Entry, Attachment, Share, Comment)]


def test_the_demo_logs_load_once(db, capsys):
    call_command("demo", "--no-serve")
    first = counts()
    call_command("demo", "--no-serve")
    assert counts() == first
    assert "asa@demo.revans.test" in capsys.readouterr().out


def test_frans_ilm_log_is_half_way_and_shared_with_asa(db):
    load_demo()
    log = Log.objects.get(owner__email="fran@demo.revans.test", template="ilm-facilitator-log")
    entries = log.entries.filter(draft=False)
    words = sum(entries.values_list("word_count", flat=True))
    assert 2500 <= words <= 3500
    assert len({e.section for e in entries}) == len(log.sections)  # every section has writing
    months = {e.entry_date.replace(day=1) for e in entries}
    assert len(months) >= 4
    assert entries.filter(meeting__set__name="Aurora").count() >= 1
    kinds = sorted(Attachment.objects.filter(entry__log=log).values_list("kind", flat=True))
    assert kinds == ["image", "image", "sketch"]
    for attachment in Attachment.objects.filter(entry__log=log):
        assert attachment.file.read(8) == b"\x89PNG\r\n\x1a\n"
    share = Share.objects.active().get(log=log)
    assert share.user.email == "asa@demo.revans.test" and share.role == "assessor"
    assert Comment.objects.get(entry__log=log).author == share.user
    assert set(Log.objects.visible_to(share.user)) == {log}


def test_asa_reads_frans_log(db, client):
    load_demo()
    from revans.accounts.models import User

    asa = User.objects.get(email="asa@demo.revans.test")
    log = Log.objects.get(owner__email="fran@demo.revans.test")
    client.force_login(asa)
    assert client.get(log.get_absolute_url()).status_code == 200
    image = Attachment.objects.filter(entry__log=log).first()
    assert client.get(image.get_absolute_url()).status_code == 200


def test_mo_has_a_set_journal_started_from_a_meeting(db):
    load_demo()
    entry = Entry.objects.get(log__owner__email="mo@demo.revans.test")
    assert entry.log.title == "My set journal"
    assert entry.meeting.number == 2 and entry.prompt_set == "after-a-meeting"
    assert "What would your nurses say is in their control?" in entry.body  # mo asked it
    assert "Map every delayed discharge" not in entry.body  # Priya's action, not Mo's


def test_frans_entries_with_images_keep_one_line_per_paragraph(db):
    load_demo()
    entries = Entry.objects.filter(
        log__owner__email="fran@demo.revans.test", attachments__isnull=False
    )
    assert entries.exists()
    for entry in entries.distinct():
        assert "(IMAGE)" not in entry.body
        assert entry.body == unwrap(entry.body)  # as typed in the editor, not the source's wrap
