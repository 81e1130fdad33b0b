"""Evidence moved here from the ledger: its table stays, only Django's idea of its owner changes."""

import django.db.models.deletion
import liangze.core.models
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0001_initial'),
        ('ledger', '0004_cell_comment'),
        ('orgs', '0002_drop_path_pattern_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Evidence',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name='编码')),
                        ('file', models.FileField(max_length=200, upload_to=liangze.core.models.evidence_path, verbose_name='文件')),
                        ('original_name', models.CharField(max_length=200, verbose_name='原文件名')),
                        ('content_type', models.CharField(max_length=100, verbose_name='类型')),
                        ('size', models.PositiveBigIntegerField(verbose_name='大小')),
                        ('sm3', models.CharField(db_index=True, max_length=64, verbose_name='SM3 摘要')),
                        ('uploaded_at', models.DateTimeField(auto_now_add=True, verbose_name='上传时间')),
                        ('is_deleted', models.BooleanField(default=False, verbose_name='已删除')),
                        ('org', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='evidence', to='orgs.org', verbose_name='单位')),
                        ('uploaded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='上传人')),
                    ],
                    options={
                        'verbose_name': '佐证材料',
                        'verbose_name_plural': '佐证材料',
                        'db_table': 'ledger_evidence',
                        'ordering': ['-uploaded_at'],
                    },
                ),
            ],
        ),
    ]
