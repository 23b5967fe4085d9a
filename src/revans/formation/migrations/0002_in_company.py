"""In-company sets: the cohort's choice of always mixing organisations or giving each large
one its own sets (and from how many people), and the organisation of each in-company proposed set."""

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_calendar_and_reminders'),
        ('formation', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='cohort',
            name='in_company_from',
            field=models.PositiveSmallIntegerField(default=5, help_text='People of one organisation (5 by default): an organisation with this many or more forms its own sets; everyone else is mixed.', validators=[django.core.validators.MinValueValidator(2), django.core.validators.MaxValueValidator(50)], verbose_name='in-company sets from'),
        ),
        migrations.AddField(
            model_name='cohort',
            name='mix',
            field=models.CharField(choices=[('always', 'Always mix organisations'), ('in_company', 'In-company sets when five or more come from one organisation')], default='always', max_length=16, verbose_name='organisations in sets'),
        ),
        migrations.AddField(
            model_name='proposedset',
            name='organisation',
            field=models.ForeignKey(blank=True, help_text='The organisation whose in-company set this is (empty: a mixed set).', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='accounts.organisation'),
        ),
    ]
