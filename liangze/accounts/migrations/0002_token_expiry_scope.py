"""API tokens get an expiry, a scope and a revocation reason.

Tokens that exist when this runs keep working, so that no other system loses its
access silently on upgrade: each gets an expiry 90 days from the moment of the
migration and the read-write scope (what they could do before). Their owners see
the date on the token page and replace them before then with tokens that carry
only the scope they need. Tokens created from now on are read-only unless 读写 is
chosen, and expire after the period chosen at creation (90 days by default).
"""

from datetime import timedelta

from django.apps.registry import Apps
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.utils import timezone

GRACE = timedelta(days=90)


def expire_existing_tokens_later(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    tokens = apps.get_model("accounts", "ApiToken")
    tokens.objects.filter(expires_at__isnull=True).update(expires_at=timezone.now() + GRACE)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        # Existing rows take "write"; the default for new tokens becomes "read" below.
        migrations.AddField(
            model_name="apitoken",
            name="scope",
            field=models.CharField(
                choices=[("read", "只读"), ("write", "读写")],
                default="write",
                max_length=8,
                verbose_name="权限范围",
            ),
        ),
        migrations.AlterField(
            model_name="apitoken",
            name="scope",
            field=models.CharField(
                choices=[("read", "只读"), ("write", "读写")],
                default="read",
                max_length=8,
                verbose_name="权限范围",
            ),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True, verbose_name="过期时间"),
        ),
        migrations.RunPython(expire_existing_tokens_later, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(verbose_name="过期时间"),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="revoked_reason",
            field=models.CharField(
                blank=True,
                choices=[
                    ("owner", "本人吊销"),
                    ("password", "密码变更"),
                    ("disabled", "账号停用"),
                    ("two_factor", "双因素重置"),
                ],
                default="",
                max_length=12,
                verbose_name="吊销原因",
            ),
        ),
    ]
