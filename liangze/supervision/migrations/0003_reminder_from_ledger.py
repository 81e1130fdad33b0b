"""Reminder moved here from the ledger: its table stays, only Django's idea of its owner changes."""

import django.db.models.deletion
import uuid
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('duties', '0002_coverage_tally'),
        ('ledger', '0005_evidence_to_core'),
        ('orgs', '0002_drop_path_pattern_index'),
        ('supervision', '0002_evidence_to_core'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Reminder',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name='编码')),
                        ('step', models.CharField(choices=[('reminder', '提醒本人'), ('principal_notice', '提醒主要负责人'), ('admonition_proposal', '拟约谈'), ('supervision_order_draft', '督办书草稿')], max_length=24, verbose_name='督促环节')),
                        ('cause', models.CharField(max_length=64, verbose_name='事由')),
                        ('period', models.CharField(max_length=10, verbose_name='期间')),
                        ('deadline', models.DateField(blank=True, null=True, verbose_name='截止日期')),
                        ('raised_on', models.DateField(db_index=True, verbose_name='生成日期')),
                        ('message', models.TextField(verbose_name='内容')),
                        ('facts', models.JSONField(blank=True, default=dict, verbose_name='生成时情况')),
                        ('acknowledged_at', models.DateTimeField(blank=True, null=True, verbose_name='已阅时间')),
                        ('duty_item', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='reminders', to='duties.dutyitem', verbose_name='清单事项')),
                        ('duty_list', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='reminders', to='duties.dutylist', verbose_name='责任清单')),
                        ('org', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='reminders', to='orgs.org', verbose_name='单位')),
                        ('recipient_body', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='reminders', to='orgs.disciplinebody', verbose_name='接收纪检机构')),
                        ('recipient_person', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='reminders', to='orgs.person', verbose_name='接收人')),
                        ('rule', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='reminders', to='ledger.rule', verbose_name='量化规则')),
                        ('subject_person', models.ForeignKey(blank=True, help_text='指标按人考核时的责任人；按单位考核时为空。', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.person', verbose_name='考核对象')),
                    ],
                    options={
                        'verbose_name': '督促提醒',
                        'verbose_name_plural': '督促提醒',
                        'db_table': 'ledger_reminder',
                        'ordering': ['-raised_on', 'step'],
                        'indexes': [models.Index(fields=['recipient_person', 'acknowledged_at'], name='reminder_person_idx'), models.Index(fields=['recipient_body', 'acknowledged_at'], name='reminder_body_idx')],
                        'constraints': [models.UniqueConstraint(fields=('step', 'cause'), name='reminder_step_cause')],
                    },
                ),
            ],
        ),
    ]
