"""Tokens that exist before the expiry and scope arrive keep working, for 90 days."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("accounts", "0001_initial")]
AFTER = [("accounts", "0002_token_expiry_scope")]


@pytest.mark.django_db(transaction=True)
def test_existing_tokens_get_90_days_and_the_read_write_scope() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    user = old.get_model("accounts", "User").objects.create(
        username="sysadmin", admin_role="system"
    )
    old.get_model("accounts", "ApiToken").objects.create(
        user=user, name="旧对接", digest="d" * 64, prefix="lz_abcde"
    )
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    token = new.get_model("accounts", "ApiToken").objects.get()
    assert token.scope == "write" and token.revoked_at is None and token.revoked_reason == ""
    assert abs(token.expires_at - (timezone.now() + timedelta(days=90))) < timedelta(minutes=1)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
