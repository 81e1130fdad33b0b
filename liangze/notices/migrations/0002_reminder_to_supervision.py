"""The reminder model now lives in supervision; the M2M table is unchanged."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('notices', '0001_initial'),
        ('supervision', '0003_reminder_from_ledger'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='notice',
                    name='reminders',
                    field=models.ManyToManyField(blank=True, related_name='notices', to='supervision.reminder', verbose_name='来源督促提醒'),
                ),
            ],
        ),
    ]
