"""文号: 发文机关代字 + 类别字 + 〔年份〕 + 序号 + 号, e.g. 青纪督〔2026〕3号 (GB/T 9704 §7.2.4).

The sequence is gap-free per issuer, family and year: a number is taken only
when a notice is issued, inside the issuing transaction, from a counter row
locked with SELECT … FOR UPDATE. Two issuers racing for the same counter wait
for each other; a rolled-back issue gives its number back with everything else.
"""

from django.db import IntegrityError, transaction

from liangze.notices.models import IssuerCode, NoticeCounter
from liangze.orgs.models import DisciplineBody, Org, OrgKind

# What the issuer's kind adds after the place character: 县委 → 委, 纪委 → 纪.
_ORG_MARKS = {
    OrgKind.PARTY_COMMITTEE: "委",
    OrgKind.PARTY_GROUP: "党组",
    OrgKind.WORK_COMMITTEE: "工委",
    OrgKind.GENERAL_BRANCH: "总支",
    OrgKind.BRANCH: "支",
    OrgKind.GOVERNMENT: "政",
}
_BODY_MARKS: dict[str, str] = {
    DisciplineBody.Kind.COMMISSION: "纪",
    DisciplineBody.Kind.GROUP: "纪检",
    DisciplineBody.Kind.WORK_COMMITTEE: "纪工",
    DisciplineBody.Kind.MEMBER: "纪",
    DisciplineBody.Kind.DISPATCHED: "驻纪",
}
# A leading level word says nothing: 县教育局党组 is 教, not 县.
_LEVEL_PREFIXES = "省市县区"


def default_abbreviation(name: str, mark: str) -> str:
    """A first guess at the 代字 from the name: its first telling character and the kind's mark."""
    stem = name[1:] if len(name) > 2 and name[0] in _LEVEL_PREFIXES else name
    return (stem[:1] or "发") + mark


def abbreviation_for(org: Org, body: DisciplineBody | None) -> str:
    key = f"b{body.pk}" if body is not None else f"o{org.pk}"
    stored = IssuerCode.objects.filter(issuer_key=key).values_list("abbreviation", flat=True)
    for found in stored:
        return found
    if body is not None:
        return default_abbreviation(body.name, _BODY_MARKS.get(body.kind, "纪"))
    return default_abbreviation(org.name, _ORG_MARKS.get(OrgKind(org.kind), "委"))


def format_number(abbreviation: str, family: str, year: int, seq: int) -> str:
    return f"{abbreviation}{family}〔{year}〕{seq}号"


def take_next(issuer_key: str, family: str, year: int) -> int:
    """The next number of the sequence, the counter row locked until the caller commits.

    Must run inside the issuing transaction. The first number of a year creates
    the row; if another transaction creates it at the same moment, the unique
    constraint fails ours, and we lock theirs instead.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("take_next must run inside the issuing transaction")
    counters = NoticeCounter.objects.select_for_update()
    lookup = {"issuer_key": issuer_key, "family": family, "year": year}
    counter = counters.filter(**lookup).first()
    if counter is None:
        try:
            with transaction.atomic():
                counter = NoticeCounter.objects.create(**lookup, last=0)
        except IntegrityError:
            counter = counters.get(**lookup)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last
