from django.db import migrations

from revans.meetings.formats import load_shipped_formats


def load_formats(apps, schema_editor):
    load_shipped_formats(apps.get_model("meetings", "MeetingFormat"))


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]

    operations = [migrations.RunPython(load_formats, migrations.RunPython.noop)]
