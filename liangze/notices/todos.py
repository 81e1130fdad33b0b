"""To-dos from 三书: notices to sign for (签收三书), and drafts waiting to be issued."""

from collections.abc import Iterator

from django.utils import timezone
from django.utils.translation import gettext as _

from liangze import access
from liangze.accounts.models import User
from liangze.core.todos import Todo
from liangze.notices import policy
from liangze.notices.models import Notice

LIMIT = 50


def for_user(user: User) -> Iterator[Todo]:
    if access.role(user) or not getattr(user, "is_authenticated", False):
        return
    today = timezone.localdate()
    to_sign = (
        Notice.objects.filter(policy.received_q(user), status=Notice.Status.ISSUED)
        .only("code", "kind", "number", "title", "issuer_name", "reply_due")
        .order_by("issued_at")[:LIMIT]
    )
    for notice in to_sign:
        yield Todo(
            _("签收三书"),
            f"{notice.issuer_name} {notice.number}《{notice.title}》",
            notice.get_absolute_url(),
            due=notice.reply_due,
            overdue=notice.reply_due is not None and notice.reply_due < today,
        )
    drafts = (
        Notice.objects.filter(policy.issuable_q(user), status=Notice.Status.DRAFT)
        .only("code", "kind", "title", "status", "recipient_name")
        .order_by("created_at")[:LIMIT]
    )
    for notice in drafts:
        yield Todo(
            _("待发三书草稿"),
            f"{notice.get_kind_display()}：{notice.recipient_name}",
            notice.get_absolute_url(),
        )
