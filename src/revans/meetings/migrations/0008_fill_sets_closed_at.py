"""Sets closed before Revans recorded when get ``closed_at`` from the end of their last meeting
(not cancelled): the time the set last met is the best record of when it finished, and it keeps
the promise "kept for N months after the set closed" as closely as the data allow. A closed set
that never met counts from its creation. (Lives in meetings, which knows both sets and
meetings; the field itself is sets' 0006.)"""

from datetime import timedelta

from django.db import migrations


def fill(apps, schema_editor):
    Set = apps.get_model("sets", "Set")
    Meeting = apps.get_model("meetings", "Meeting")
    closed = Set.objects.filter(status="closed", closed_at__isnull=True)
    for set_ in closed.only("pk", "created_at").iterator(chunk_size=500):
        ends = [
            starts + timedelta(minutes=minutes)
            for starts, minutes in Meeting.objects.filter(set_id=set_.pk)
            .exclude(status="cancelled")
            .values_list("starts_at", "duration_minutes")
        ]
        Set.objects.filter(pk=set_.pk).update(closed_at=max([set_.created_at, *ends]))


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0007_taster_and_techniques"),
        ("sets", "0006_set_closed_at"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
