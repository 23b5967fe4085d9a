"""The cohort, its proposed sets, participants and runs move here from the programmes app. Their
tables stay as they are (the models name them with ``db_table``): only Django's record of which
app holds them changes, and the content types follow, so nothing that points at them breaks."""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

MODELS = ["cohort", "proposedset", "participant", "formationrun"]


def content_types_to(app_label: str, other: str):
    def move(apps, schema_editor):
        content_type = apps.get_model("contenttypes", "ContentType")
        db = schema_editor.connection.alias
        content_type.objects.using(db).filter(app_label=other, model__in=MODELS).update(
            app_label=app_label
        )

    return move


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('accounts', '0002_calendar_and_reminders'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('programmes', '0003_formation_moves_out'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Cohort',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('file_name', models.CharField(max_length=200)),
                        ('imported_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('size_min', models.PositiveSmallIntegerField(default=6, validators=[django.core.validators.MinValueValidator(2), django.core.validators.MaxValueValidator(20)], verbose_name='smallest set')),
                        ('size_max', models.PositiveSmallIntegerField(default=8, validators=[django.core.validators.MinValueValidator(2), django.core.validators.MaxValueValidator(20)], verbose_name='largest set')),
                        ('set_count', models.PositiveSmallIntegerField(blank=True, help_text='Leave empty to let Revans choose from the size range.', null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(500)], verbose_name='number of sets')),
                        ('max_per_organisation', models.PositiveSmallIntegerField(blank=True, help_text='Leave empty for 2, or more when the largest organisation needs it.', null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(20)], verbose_name='at most from one organisation in a set')),
                        ('weights', models.JSONField(blank=True, default=dict)),
                        ('seconds', models.PositiveSmallIntegerField(default=10, help_text='Longer searches find more diverse sets; every rule holds from the first second.', validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(120)], verbose_name='search for (seconds)')),
                        ('facilitator_same_organisation', models.BooleanField(default=False, verbose_name='a facilitator may facilitate someone from their own organisation')),
                        ('sets_per_facilitator', models.PositiveSmallIntegerField(default=2, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(10)], verbose_name='sets per facilitator, at most')),
                        ('accepted_at', models.DateTimeField(blank=True, null=True)),
                        ('facilitators', models.ManyToManyField(blank=True, help_text='The facilitator pool.', related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('imported_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('programme', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='cohort', to='programmes.programme')),
                    ],
                    options={
                        'db_table': 'programmes_cohort',
                    },
                ),
                migrations.CreateModel(
                    name='FormationRun',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('status', models.CharField(choices=[('queued', 'Waiting to start'), ('running', 'Running'), ('stopping', 'Stopping'), ('done', 'Done'), ('cancelled', 'Cancelled'), ('failed', 'Could not form sets')], default='queued', max_length=16)),
                        ('seconds', models.PositiveSmallIntegerField()),
                        ('seed', models.PositiveIntegerField(default=1)),
                        ('progress', models.FloatField(default=0.0)),
                        ('best', models.FloatField(blank=True, null=True)),
                        ('problems', models.JSONField(blank=True, default=list)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('heartbeat_at', models.DateTimeField(blank=True, null=True)),
                        ('finished_at', models.DateTimeField(blank=True, null=True)),
                        ('cohort', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='runs', to='formation.cohort')),
                        ('started_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'programmes_formationrun',
                        'ordering': ['-created_at', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='ProposedSet',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=60)),
                        ('position', models.PositiveIntegerField(default=0)),
                        ('cohort', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='proposed_sets', to='formation.cohort')),
                        ('facilitator', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'programmes_proposedset',
                        'ordering': ['position', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='Participant',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('row', models.PositiveIntegerField(help_text='The row of the cohort file.')),
                        ('email', models.EmailField(max_length=254)),
                        ('name', models.CharField(blank=True, max_length=200)),
                        ('sector', models.CharField(blank=True, max_length=100)),
                        ('role_level', models.FloatField(blank=True, null=True)),
                        ('location', models.CharField(blank=True, max_length=100)),
                        ('availability', models.JSONField(blank=True, default=list)),
                        ('extra', models.JSONField(blank=True, default=dict)),
                        ('locked', models.BooleanField(default=False, help_text='Kept in their proposed set when the formation is run again.')),
                        ('cohort', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='participants', to='formation.cohort')),
                        ('keep_apart', models.ManyToManyField(blank=True, to='formation.participant')),
                        ('manager', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='reports', to='formation.participant')),
                        ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.organisation')),
                        ('proposed_set', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='participants', to='formation.proposedset')),
                    ],
                    options={
                        'db_table': 'programmes_participant',
                        'ordering': ['row'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='proposedset',
                    constraint=models.UniqueConstraint(fields=('cohort', 'name'), name='one_proposed_set_per_name'),
                ),
                migrations.AddConstraint(
                    model_name='participant',
                    constraint=models.UniqueConstraint(fields=('cohort', 'email'), name='one_participant_per_email'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(
            content_types_to("formation", "programmes"), content_types_to("programmes", "formation")
        ),
    ]
