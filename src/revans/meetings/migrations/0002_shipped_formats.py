import json
from pathlib import Path

from django.db import migrations

FORMATS = Path(__file__).resolve().parent.parent / "data" / "formats.json"


def load_formats(apps, schema_editor):
    MeetingFormat = apps.get_model("meetings", "MeetingFormat")
    for spec in json.loads(FORMATS.read_text()):
        MeetingFormat.objects.update_or_create(
            slug=spec["slug"],
            set=None,
            defaults={k: spec[k] for k in ("name", "description", "presenters", "phases")},
        )


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]

    operations = [migrations.RunPython(load_formats, migrations.RunPython.noop)]
