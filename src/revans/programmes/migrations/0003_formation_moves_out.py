"""The cohort, its proposed sets, participants and runs belong to the formation app now
(formation/migrations/0001_initial.py follows this one): they leave this app's state first, so
that the two apps never hold them at once, and their tables stay."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('programmes', '0002_cohort'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='Participant'),
                migrations.DeleteModel(name='FormationRun'),
                migrations.DeleteModel(name='ProposedSet'),
                migrations.DeleteModel(name='Cohort'),
            ],
            database_operations=[],
        ),
    ]
