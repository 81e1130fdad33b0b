"""The evidence model now lives in core; its table and the M2M tables are unchanged."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0002_evidence'),
        ('ledger', '0004_cell_comment'),
        ('supervision', '0002_evidence_to_core'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='activity',
                    name='evidence',
                    field=models.ManyToManyField(blank=True, to='core.evidence', verbose_name='佐证材料'),
                ),
                migrations.AlterField(
                    model_name='progressentry',
                    name='evidence',
                    field=models.ManyToManyField(blank=True, to='core.evidence', verbose_name='佐证材料'),
                ),
                migrations.DeleteModel(
                    name='Evidence',
                ),
            ],
        ),
    ]
