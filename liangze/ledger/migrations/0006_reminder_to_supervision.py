"""The reminder model now lives in supervision; its table is unchanged."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('ledger', '0005_evidence_to_core'),
        ('notices', '0002_reminder_to_supervision'),
        ('supervision', '0003_reminder_from_ledger'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name='Reminder',
                ),
            ],
        ),
    ]
