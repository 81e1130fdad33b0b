"""Copied lists (LIST-7) against the database: score a list against its neighbours and template.

The pool a list is compared with: the current lists of the same type and year
that are signed or further on (their content is final), held by units with the
same parent — the unit's siblings, and its own other holders for personal
lists. These are the lists a unit is most likely to copy and the ones its
reviewer sees side by side. A parent rarely has more than a hundred of them, so
their signatures are recomputed on each refresh and nothing is stored but the
result; bench/similarity.py shows the same pipeline over a province.

The scores are derived data, written with `update()`: no audit event, and
`updated_at` keeps meaning “content last changed”.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from liangze import access
from liangze.accounts.models import User
from liangze.duties.lists import similarity
from liangze.duties.lists.similarity import Segment
from liangze.duties.models import DutyItem, DutyList

THRESHOLD = similarity.THRESHOLD

FINAL = (
    DutyList.Status.SIGNED,
    DutyList.Status.SUBMITTED,
    DutyList.Status.RETURNED,
    DutyList.Status.ACCEPTED,
    DutyList.Status.PUBLISHED,
)
# What a unit writes itself, as opposed to the names every list shares.
MEASURED: tuple[tuple[str, Any], ...] = (
    ("task", _("项目任务")),
    ("q1", _("一季度")),
    ("q2", _("二季度")),
    ("q3", _("三季度")),
    ("q4", _("四季度")),
)


@dataclass(frozen=True)
class Result:
    similarity: float  # best likeness in the pool; 0 when LSH proposed no list
    twin: DutyList | None  # the list it was scored against, when at or above THRESHOLD
    template_similarity: float


def _with_items(lists: QuerySet[DutyList]) -> QuerySet[DutyList]:
    items = DutyItem.objects.select_related("responsible").order_by("seq")
    return lists.select_related("org", "person", "discipline_body").prefetch_related(
        Prefetch("items", queryset=items)
    )


def _noise(duty_list: DutyList, items: Iterable[DutyItem]) -> tuple[str, ...]:
    people = {item.responsible.name for item in items if item.responsible is not None}
    if duty_list.person is not None:
        people.add(duty_list.person.name)
    if duty_list.discipline_body is not None:
        people.add(duty_list.discipline_body.name)
    return similarity.unit_noise(duty_list.org.name, sorted(people))


def _document(duty_list: DutyList, template: similarity.Template) -> similarity.Document:
    items = list(duty_list.items.all())
    texts = ["".join(getattr(item, name) for name, _label in MEASURED) for item in items]
    return similarity.document(texts, _noise(duty_list, items), template)


def _template(duty_list: DutyList) -> similarity.Template:
    entries = duty_list.catalogue.entries.filter(list_type=duty_list.list_type)
    return similarity.Template.from_texts(entries.values_list("text", flat=True))


def pool(duty_list: DutyList) -> QuerySet[DutyList]:
    """The lists `duty_list` is compared with (without itself and its own other versions)."""
    return _with_items(
        DutyList.objects.filter(
            year=duty_list.year,
            list_type=duty_list.list_type,
            is_current=True,
            status__in=FINAL,
            org__parent_id=duty_list.org.parent_id,
        ).exclude(org_id=duty_list.org_id, holder_key=duty_list.holder_key)
    )


def _scores(mine: similarity.Document, docs: dict[int, similarity.Document]) -> dict[int, float]:
    """Likeness to each list LSH proposes and its signature does not rule out."""
    if mine.signature is None:
        return {}
    signed = {pk: doc.signature for pk, doc in docs.items() if doc.signature is not None}
    index: similarity.LshIndex[int] = similarity.LshIndex()
    for pk, sig in signed.items():
        index.add(pk, sig)
    return {
        pk: similarity.likeness(mine, docs[pk])
        for pk in index.query(mine.signature)
        if similarity.estimate(mine.signature, signed[pk]) >= similarity.ESTIMATE_FLOOR
    }


def refresh_similarity(duty_list: DutyList) -> Result:
    """Score `duty_list` against its pool and its catalogue, and store the result.

    Copying is symmetric: a list of the pool whose best score rises because of
    this one gets this one as its twin, so the original's reviewer sees it too.
    """
    template = _template(duty_list)
    mine = _document(_with_items(DutyList.objects.filter(pk=duty_list.pk)).get(), template)
    others = {other.pk: other for other in pool(duty_list)}
    scores = _scores(mine, {pk: _document(other, template) for pk, other in others.items()})
    # Ties go to the older list, the likelier original.
    best_pk = max(scores, key=lambda pk: (scores[pk], -pk), default=None)
    best = scores[best_pk] if best_pk is not None else 0.0
    twin = others[best_pk] if best_pk is not None and best >= THRESHOLD else None
    DutyList.objects.filter(pk=duty_list.pk).update(
        similarity=best, twin=twin, template_similarity=mine.template_share
    )
    duty_list.similarity, duty_list.twin = best, twin
    duty_list.template_similarity = mine.template_share
    for pk, score in scores.items():
        if score > (others[pk].similarity or 0.0):
            DutyList.objects.filter(pk=pk).update(
                similarity=score, twin=duty_list if score >= THRESHOLD else None
            )
    return Result(best, twin, mine.template_share)


def flagged(duty_list: DutyList) -> bool:
    """Does the reviewer need to look: near-identical to another list, or to the template?"""
    return (duty_list.similarity or 0.0) >= THRESHOLD or (
        duty_list.template_similarity or 0.0
    ) >= THRESHOLD


@dataclass(frozen=True)
class Cell:
    label: Any  # a lazy translation
    mine: list[Segment]
    theirs: list[Segment]


@dataclass(frozen=True)
class Row:
    """An item of this list beside its counterpart in the twin; either may be missing."""

    mine: DutyItem | None
    theirs: DutyItem | None
    cells: list[Cell]


@dataclass(frozen=True)
class Comparison:
    twin: DutyList | None  # None when the viewer may not see it
    rows: list[Row]
    template_percent: int | None  # set when the list also repeats its catalogue


def twin_comparison(duty_list: DutyList, viewer: User) -> Comparison | None:
    """This list's items beside the twin's, differing characters marked; None without a twin.

    Items are paired by content, not by 序号, because a copier often reorders
    them. A viewer who may not see the twin learns that the list resembles
    another one, not the other unit's list.
    """
    if duty_list.twin_id is None:
        return None
    share = duty_list.template_similarity or 0.0
    template_percent = round(100 * share) if share >= THRESHOLD else None
    visible = DutyList.objects.filter(access.visible_q(viewer, DutyList))
    pair = _with_items(visible.filter(pk__in=[duty_list.pk, duty_list.twin_id]))
    lists = {dl.pk: dl for dl in pair.select_related("catalogue")}
    if duty_list.twin_id not in lists or duty_list.pk not in lists:
        return Comparison(None, [], template_percent)
    this, twin = lists[duty_list.pk], lists[duty_list.twin_id]
    template = _template(this)
    mine, theirs = list(this.items.all()), list(twin.items.all())
    rows = []
    for i, j in similarity.pair_items(_document(this, template), _document(twin, template)):
        left = mine[i] if i is not None else None
        right = theirs[j] if j is not None else None
        cells = []
        for name, label in MEASURED:
            a = getattr(left, name) if left is not None else ""
            b = getattr(right, name) if right is not None else ""
            cells.append(Cell(label, *similarity.diff(a, b)))
        rows.append(Row(left, right, cells))
    return Comparison(twin, rows, template_percent)
