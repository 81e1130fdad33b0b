"""The evidence model now lives in core; the M2M table is unchanged."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0002_evidence'),
        ('supervision', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='rectification',
                    name='evidence',
                    field=models.ManyToManyField(blank=True, to='core.evidence', verbose_name='佐证材料'),
                ),
            ],
        ),
    ]
