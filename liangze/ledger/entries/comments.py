"""批注 on ledger cells: a supervisor asks or remarks, the unit answers; nothing is edited.

A cell is a list item in a period (a quarter, or a month for monthly duties), so a
supervisor may ask about a cell where nothing has been entered yet.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from liangze import access
from liangze.accounts.models import User
from liangze.core import audit
from liangze.duties.models import DutyItem
from liangze.ledger import policy
from liangze.ledger.entries.services import entry_period
from liangze.ledger.models import CellComment

MAX_LENGTH = 1000


def _author_name(actor: User) -> str:
    person = getattr(actor, "person", None)
    return person.name if person is not None else actor.get_username()


@transaction.atomic
def cell_comment(*, actor: User, item: DutyItem, period: str, text: str) -> CellComment:
    """Add a comment to the cell of `item` in `period`; the list must have a ledger that year."""
    duty_list = item.duty_list
    comment = CellComment(org=duty_list.org, item=item, period=period, author=actor)
    access.require(actor, policy.COMMENT, comment)
    when = entry_period(duty_list, period)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("请填写批注内容。")})
    if len(text) > MAX_LENGTH:
        raise ValidationError(
            {
                "text": _("批注内容不能超过 %(max)d 字（现有 %(n)d 字）。")
                % {"max": MAX_LENGTH, "n": len(text)}
            }
        )
    comment.period = str(when)
    comment.text = text
    comment.author_name = _author_name(actor)
    comment.full_clean()
    comment.save()
    audit.record(
        actor=actor,
        verb=audit.Verb.CREATE,
        obj=comment,
        data={"item": item.seq, "period": str(when), "list": str(duty_list.code)},
    )
    return comment
