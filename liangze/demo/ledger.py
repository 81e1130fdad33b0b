"""A year of ledger records for the demo county (issue 4, item 3).

From 1 January to `today`: activities of every kind by the principals and
members — talks at about the 8 % monthly rate, each unit's quarterly hearing
meeting with its photos, lectures, receptions, reports, inspections — and
progress entries on the published lists with evidence files, verified, returned,
entered late (补录) or missing. Some leaders are short of talks and some units
let cells lapse, so indicators show red and the ladder has work. Finally the
escalation job runs for the year's Mondays and today, and older reminders are
read, as people would have read them.

Rows are written in bulk (COPY on PostgreSQL, executemany elsewhere) with the
dates they would have had — an activity recorded the day after it was held, a
file uploaded days later — which the services, stamping the present moment,
cannot do. One `random.Random` drives everything, so a seed and a day fix the data.
"""

import hashlib
import json
import struct
import uuid
import zlib
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from random import Random
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models
from django.db.models import Max
from django.utils import timezone

from liangze.accounts.models import User
from liangze.core import audit
from liangze.core.bulk import reset_sequences, write_rows
from liangze.core.models import Evidence
from liangze.core.periods import Period
from liangze.core.workdays import add_workdays, is_workday
from liangze.duties.models import DutyItem, DutyList, ListType
from liangze.ledger.entries.clock import entry_deadline
from liangze.ledger.entries.queries import current_published_q
from liangze.ledger.indicators import batch as indicator_batch
from liangze.ledger.indicators.measures import required
from liangze.ledger.indicators.queries import active_rules
from liangze.ledger.models import (
    Activity,
    ActivityKind,
    ProgressEntry,
    ReportKind,
    ReportRecipient,
    Rule,
)
from liangze.orgs.models import Org
from liangze.supervision.models import Reminder
from liangze.supervision.reminders.services import run_escalation

SHANGHAI = timezone.get_fixed_timezone(8 * 60)

ACTIVITY_COLUMNS = (
    "id",
    "code",
    "org_id",
    "kind",
    "held_on",
    "host_id",
    "subject",
    "minutes",
    "report_kind",
    "recipients",
    "recipient",
    "entered_by_id",
    "created_at",
)
EVIDENCE_COLUMNS = (
    "id",
    "code",
    "org_id",
    "file",
    "original_name",
    "content_type",
    "size",
    "sm3",
    "uploaded_by_id",
    "uploaded_at",
    "is_deleted",
)
ENTRY_COLUMNS = (
    "id",
    "code",
    "item_id",
    "period",
    "text",
    "done_on",
    "entered_by_id",
    "entered_at",
    "is_late",
    "late_reason",
    "status",
    "reviewed_by_id",
    "reviewed_at",
    "review_reason",
)

TALK_TOPICS = (
    "落实“一岗双责”情况",
    "廉洁自律提醒",
    "分管领域廉政风险防控",
    "节日期间作风建设",
    "“三重一大”事项决策程序",
    "巡察反馈问题整改",
    "家风建设",
    "干部担当作为",
)
STUDY_TOPICS = ("《中国共产党纪律处分条例》", "党风廉政建设责任制规定", "典型案例警示教育")
INSPECTIONS = ("专项督查：惠民资金发放", "专项督查：公务用车管理", "专项督查：工程项目招投标")
ENTRY_TEXTS = (
    "已召开专题会议研究部署，形成会议纪要，相关照片和签到表已上传。",
    "按计划完成本季度工作，建立工作台账，问题已全部整改到位。",
    "组织开展专项检查，发现问题 3 个，已督促整改 2 个，1 个正在整改。",
    "完成对班子成员和下属单位主要负责人的廉政谈话，谈话记录已归档。",
    "开展警示教育活动，组织观看警示教育片，撰写心得体会。",
)
LATE_REASONS = ("经办人员调整，材料未及时录入系统。", "系统账号开通较晚，补录本期进度。")
RETURN_REASONS = (
    "佐证材料不全，缺少会议记录，请补充后重新填报。",
    "完成情况过于笼统，请写明具体措施和成效。",
)

# A report on the primary responsibility goes to both (004 附件5 序号9).
BOTH = (ReportRecipient.HIGHER_COMMITTEE, ReportRecipient.HIGHER_COMMISSION)
# How a leader keeps up: most do their talks, some skip months, a few rarely do.
TEMPERS = (("steady", 0.05), ("patchy", 0.35), ("short", 0.75))
TEMPER_WEIGHTS = (75, 15, 10)


# Writing rows ---------------------------------------------------------------------------


def next_id(model: type[models.Model]) -> int:
    return (model._default_manager.aggregate(m=Max("pk"))["m"] or 0) + 1


# Small real files ----------------------------------------------------------------------


def png_bytes(rng: Random, width: int = 48, height: int = 32) -> bytes:
    """A small real PNG: two bands of colour and a stripe, different for every call."""
    top = bytes(rng.randrange(256) for _ in range(3))
    bottom = bytes(rng.randrange(256) for _ in range(3))
    stripe = rng.randrange(height)
    raw = b"".join(
        b"\x00" + (b"\xff\xff\xff" if y == stripe else top if y < height // 2 else bottom) * width
        for y in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def pdf_bytes(title: str) -> bytes:
    """A one-page PDF saying `title` (ASCII: the base fonts have no Chinese glyphs)."""
    text = title.replace("\\", "").replace("(", "").replace(")", "")
    stream = f"BT /F1 14 Tf 40 760 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    trailer = f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    return out + trailer.encode()


# The year --------------------------------------------------------------------------------


@dataclass
class _Leader:
    person_id: int
    org_id: int
    is_principal: bool
    population: frozenset[int]
    temper: str
    skip: float
    sub_heads: frozenset[int] = frozenset()


@dataclass
class _Rows:
    activities: list[tuple[Any, ...]] = field(default_factory=list)
    participants: list[tuple[int, int]] = field(default_factory=list)
    evidence: list[tuple[Any, ...]] = field(default_factory=list)
    activity_evidence: list[tuple[int, int]] = field(default_factory=list)
    entries: list[tuple[Any, ...]] = field(default_factory=list)
    entry_evidence: list[tuple[int, int]] = field(default_factory=list)
    entry_activities: list[tuple[int, int]] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)


class _Year:
    """Generates the rows; nothing is written until `write`."""

    def __init__(self, rng: Random, today: date) -> None:
        self.rng = rng
        self.today = today
        self.year = today.year
        self.now = timezone.now()
        # The calendar is slow to ask day by day: the working days of the year and around it.
        start = date(self.year - 1, 12, 1)
        days = (date(self.year + 1, 3, 1) - start).days
        self.workdays = [
            start + timedelta(days=n) for n in range(days) if is_workday(start + timedelta(days=n))
        ]
        self.rows = _Rows()
        self.next_activity = next_id(Activity)
        self.next_evidence = next_id(Evidence)
        self.next_entry = next_id(ProgressEntry)
        self.counts: Counter[str] = Counter()
        # The demo accounts enter their own unit's records; the county 纪委 verifies.
        users = User.objects.filter(person__isnull=False).select_related("person")
        self.clerks: dict[int, int] = {}
        for user in users.order_by("username"):
            assert user.person is not None  # noqa: S101 — filtered above
            self.clerks.setdefault(user.person.org_id, user.pk)
        verifier = users.filter(username="jw_staff").first() or users.first()
        self.verifier = verifier.pk if verifier else None
        # Each unit's hearing meeting of each quarter, for entries to name.
        self.meetings: dict[tuple[int, int], tuple[int, bool, date]] = {}
        self.lax: dict[int, bool] = {}
        # (org id, person id) of the heads of the units' own discipline bodies.
        self.discipline_heads: list[tuple[int, int]] = []

    # Helpers ----------------------------------------------------------------------------

    def code(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def moment(self, day: date, first_hour: int = 8, last_hour: int = 18) -> datetime:
        """A time of `day` in office hours (Beijing), never after now."""
        local = datetime.combine(day, time(self.rng.randint(first_hour, last_hour - 1)))
        at = (local + timedelta(minutes=self.rng.randrange(60))).replace(tzinfo=SHANGHAI)
        return min(at.astimezone(UTC), self.now)

    def workday(self, first: date, last: date) -> date | None:
        """A random working day in [first, last], up to today; None if there is none."""
        low = bisect_left(self.workdays, first)
        high = bisect_right(self.workdays, min(last, self.today))
        return self.workdays[self.rng.randrange(low, high)] if high > low else None

    def is_lax(self, org_id: int) -> bool:
        """About one unit in ten lets things slide: its cells lapse, its meetings slip."""
        if org_id not in self.lax:
            self.lax[org_id] = self.rng.random() < 0.1
        return self.lax[org_id]

    def activity(
        self,
        org_id: int,
        kind: str,
        held_on: date,
        host_id: int,
        subject: str,
        people: Iterable[int] = (),
        report: tuple[str, Sequence[str], str] = ("", (), ""),
    ) -> int:
        """One activity; a written report says its kind, recipients and their names."""
        report_kind, recipients, recipient = report
        pk = self.next_activity
        self.next_activity += 1
        # Most are recorded the same or the next working day; a few are 补录 weeks later.
        lag = (
            self.rng.choice((0, 0, 1, 1, 2))
            if self.rng.random() > 0.05
            else self.rng.randint(8, 25)
        )
        created = self.moment(min(held_on + timedelta(days=lag), self.today))
        minutes = (
            f"{subject}。记录人：办公室。"
            if kind != ActivityKind.RECEPTION
            else "接待来访群众，登记诉求并转办。"
        )
        self.rows.activities.append(
            (
                pk,
                self.code(),
                org_id,
                kind,
                held_on,
                host_id,
                subject,
                minutes,
                report_kind,
                # As JSON text: COPY would send a list as an array, not as JSON.
                json.dumps(list(recipients)),
                recipient,
                self.clerks.get(org_id),
                created,
            )
        )
        self.rows.participants += [(pk, p) for p in dict.fromkeys(people) if p != host_id]
        self.counts[f"activity:{kind}"] += 1
        return pk

    def evidence(self, org_id: int, uploaded: date, *, pdf: bool = False, label: str = "") -> int:
        pk = self.next_evidence
        self.next_evidence += 1
        content = pdf_bytes(f"Liangze demo evidence {pk} {label}") if pdf else png_bytes(self.rng)
        digest = hashlib.new("sm3", content).hexdigest()
        extension = "pdf" if pdf else "png"
        name = f"evidence/{digest[:2]}/{digest}.{extension}"
        self.rows.files[name] = content
        original = f"会议记录{pk}.pdf" if pdf else f"现场照片{pk}.png"
        self.rows.evidence.append(
            (
                pk,
                self.code(),
                org_id,
                name,
                original,
                "application/pdf" if pdf else "image/png",
                len(content),
                digest,
                self.clerks.get(org_id),
                self.moment(uploaded),
                False,
            )
        )
        self.counts["evidence"] += 1
        return pk

    # Activities -------------------------------------------------------------------------

    def leaders(self, orgs: Sequence[tuple[int, int | None, str]]) -> list[_Leader]:
        org_ids = [o[0] for o in orgs]
        teams = indicator_batch.teams(org_ids, self.today)
        heads = {org_id: set(team.principals) for org_id, team in teams.items()}
        children: dict[int, list[int]] = defaultdict(list)
        for org_id, parent_id, _kind in orgs:
            if parent_id is not None:
                children[parent_id].append(org_id)
        leaders: list[_Leader] = []
        for org_id in org_ids:
            team = teams.get(org_id)
            if team is None:
                continue
            sub_heads = {p for child in children[org_id] for p in heads.get(child, ())}
            for person_id in team.principals:
                population = (team.ids - {person_id}) | sub_heads
                leader = self._leader(person_id, org_id, True, population)
                leader.sub_heads = frozenset(sub_heads - {person_id})
                leaders.append(leader)
            for person_id in team.members:
                liaison = {p for unit in team.liaison[person_id] for p in heads.get(unit, ())}
                leaders.append(self._leader(person_id, org_id, False, liaison))
            self.discipline_heads += [(org_id, p) for p in team.discipline]
        return leaders

    def _leader(self, person_id: int, org_id: int, principal: bool, people: set[int]) -> _Leader:
        temper, skip = self.rng.choices(TEMPERS, weights=TEMPER_WEIGHTS)[0]
        return _Leader(person_id, org_id, principal, frozenset(people), temper, skip)

    def talks(self, leader: _Leader, rule: Rule | None) -> None:
        """Each month, talks with about 8 % of the people the leader is measured against."""
        need = required(rule, len(leader.population)) if rule else 1
        people = sorted(leader.population)
        for month in Period(self.year, "year").parts("month"):
            if month.start > self.today or self.rng.random() < leader.skip:
                continue
            count = need if leader.temper != "short" else max(need - 1, 0)
            count = max(count, 1 if people and self.rng.random() < 0.3 else 0)
            chosen = self.rng.sample(people, min(count, len(people)))
            for person_id in chosen:
                day = self.workday(month.start, month.end)
                if day is None:
                    continue
                kind = ActivityKind.TALK
                topic = self.rng.choice(TALK_TOPICS)
                self.activity(
                    leader.org_id, kind, day, leader.person_id, f"谈心谈话：{topic}", [person_id]
                )

    def duties(self, leader: _Leader, team: list[int]) -> None:
        """A lecture a year, the petition reception each quarter, a member's half-year report."""
        rng, skip = self.rng, leader.skip / 2
        whole = Period(self.year, "year")
        if rng.random() > skip + 0.2:
            day = self.workday(whole.start, whole.end)
            if day:
                pk = self.activity(
                    leader.org_id,
                    ActivityKind.LECTURE,
                    day,
                    leader.person_id,
                    "专题党课：全面从严治党永远在路上",
                    team,
                )
                if rng.random() < 0.3:
                    self.link(pk, self.evidence(leader.org_id, day, pdf=True, label="lecture"))
        for quarter in whole.parts("quarter"):
            if quarter.start <= self.today and rng.random() > skip + 0.1:
                day = self.workday(quarter.start, quarter.end)
                if day:
                    self.activity(
                        leader.org_id,
                        ActivityKind.RECEPTION,
                        day,
                        leader.person_id,
                        "信访接待日接待群众来访",
                    )
        if leader.is_principal:
            self.pledges(leader)
            # Last year's report as the first responsible, due 15 January, to both the
            # higher committee and its 纪委; now and then one goes to the committee only.
            if rng.random() > skip:
                last = date(self.year, 1, 15) if rng.random() > 0.1 else date(self.year, 2, 10)
                day = self.workday(date(self.year, 1, 4), last)
                if day:
                    both = rng.random() > 0.05
                    self.activity(
                        leader.org_id,
                        ActivityKind.WRITTEN_REPORT,
                        day,
                        leader.person_id,
                        f"{self.year - 1}年度履行党风廉政建设第一责任人职责情况报告",
                        report=(
                            ReportKind.FIRST_RESPONSIBLE,
                            BOTH if both else BOTH[:1],
                            "上级党委、纪委" if both else "上级党委",
                        ),
                    )
            return
        for half in whole.parts("half"):
            if half.end <= self.today and rng.random() > skip + 0.1:
                day = self.workday(half.end - timedelta(days=40), half.end)
                if day:
                    self.activity(
                        leader.org_id,
                        ActivityKind.WRITTEN_REPORT,
                        day,
                        leader.person_id,
                        f"{half.label}履行“一岗双责”情况报告",
                        report=(ReportKind.DUAL_DUTY, [ReportRecipient.SAME_COMMITTEE], "党委"),
                    )
            # The half-year's hearing of the units in the member's charge.
            if half.start <= self.today and leader.population and rng.random() > skip + 0.15:
                day = self.workday(half.start, half.end)
                if day:
                    heads = sorted(leader.population)
                    self.activity(
                        leader.org_id,
                        ActivityKind.MEETING,
                        day,
                        leader.person_id,
                        f"{half.label}听取分管单位落实主体责任情况汇报",
                        rng.sample(heads, min(len(heads), 3)),
                    )

    def pledges(self, leader: _Leader) -> None:
        """Early in the year the principal signs the 责任书 with each head below."""
        if not leader.sub_heads or self.rng.random() < leader.skip:
            return
        heads = sorted(leader.sub_heads)
        # A patchy principal leaves a few heads out.
        if leader.temper != "steady":
            heads = self.rng.sample(heads, max(1, len(heads) * 4 // 5))
        day = self.workday(date(self.year, 2, 1), date(self.year, 3, 31))
        if day:
            self.activity(
                leader.org_id,
                ActivityKind.PLEDGE,
                day,
                leader.person_id,
                f"{self.year}年度党风廉政建设责任书签订",
                heads,
            )

    def discipline_report(self, org_id: int, person_id: int) -> None:
        """The 纪委书记's (纪检委员's) report on last year's supervision, due 15 January."""
        rng = self.rng
        if rng.random() < 0.1:
            return
        last = date(self.year, 1, 15) if rng.random() > 0.1 else date(self.year, 2, 10)
        day = self.workday(date(self.year, 1, 4), last)
        if day:
            self.activity(
                org_id,
                ActivityKind.WRITTEN_REPORT,
                day,
                person_id,
                f"{self.year - 1}年度履行党风廉政建设监督责任情况报告",
                report=(
                    ReportKind.SUPERVISORY,
                    [ReportRecipient.SAME_COMMITTEE, ReportRecipient.HIGHER_COMMISSION],
                    "本级党委、上级纪委",
                ),
            )

    def unit(self, org_id: int, kind: str, principal: int | None, team: list[int]) -> None:
        """The unit's hearing meetings, inspections, and a committee's study and 民主生活会."""
        if principal is None:
            return
        rng = self.rng
        whole = Period(self.year, "year")
        lax = self.is_lax(org_id)
        for quarter in whole.parts("quarter"):
            if quarter.start > self.today or rng.random() < (0.5 if lax else 0.03):
                continue
            day = self.workday(quarter.end - timedelta(days=25), quarter.end)
            if day is None:
                continue
            subject = f"{quarter.label}专题听取班子成员履行“一岗双责”情况汇报"
            pk = self.activity(org_id, ActivityKind.MEETING, day, principal, subject, team)
            roll = rng.random()
            if roll < (0.55 if lax else 0.8):  # photos within the 5 working days
                uploaded = add_workdays(day, rng.randint(0, 4))
            elif roll < (0.7 if lax else 0.9):  # late
                uploaded = add_workdays(day, rng.randint(7, 15))
            else:  # none on the meeting: filed with a ledger entry, or not at all
                self.meetings[(org_id, quarter.index)] = (pk, True, day)
                continue
            if uploaded <= self.today:
                self.link(pk, self.evidence(org_id, uploaded, label="meeting"))
                if rng.random() < 0.4:
                    self.link(pk, self.evidence(org_id, uploaded, pdf=True, label="minutes"))
            self.meetings[(org_id, quarter.index)] = (pk, False, day)
        for half in whole.parts("half"):
            if half.start <= self.today and rng.random() > (0.5 if lax else 0.08):
                day = self.workday(half.start, half.end)
                if day:
                    self.activity(
                        org_id,
                        ActivityKind.INSPECTION,
                        day,
                        principal,
                        rng.choice(INSPECTIONS),
                        team[:3],
                    )
        if kind in indicator_batch.COMMITTEE_KINDS:
            for month in whole.parts("month"):
                if month.start <= self.today and rng.random() < 0.6:
                    day = self.workday(month.start, month.end)
                    if day:
                        topic = rng.choice(STUDY_TOPICS)
                        self.activity(
                            org_id,
                            ActivityKind.GROUP_STUDY,
                            day,
                            principal,
                            f"中心组学习：{topic}",
                            team,
                        )
            day = self.workday(date(self.year, 1, 10), date(self.year, 2, 28))
            # A lax unit may let the year's meeting slip.
            if day and not (lax and rng.random() < 0.4):
                self.activity(
                    org_id,
                    ActivityKind.DEMOCRATIC_LIFE,
                    day,
                    principal,
                    f"{self.year - 1}年度领导班子民主生活会",
                    team,
                )

    def admonition(self, leader: _Leader, chance: float = 0.08) -> None:
        """Now and then a principal admonishes (约谈) a head below."""
        if leader.is_principal and leader.population and self.rng.random() < chance:
            day = self.workday(date(self.year, 3, 1), self.today)
            if day:
                person = self.rng.choice(sorted(leader.population))
                self.activity(
                    leader.org_id,
                    ActivityKind.ADMONITION,
                    day,
                    leader.person_id,
                    "约谈：工作推进缓慢，督促整改",
                    [person],
                )

    def link(self, activity_id: int, evidence_id: int) -> None:
        self.rows.activity_evidence.append((activity_id, evidence_id))

    # Ledger entries ----------------------------------------------------------------------

    def entries(self, items: list[tuple[int, int, str, datetime | None]]) -> None:
        """Each item of each published list, each quarter begun since it was published:
        entered, late, or missing. Work on a list starts the day after it is published."""
        rng = self.rng
        for item_id, org_id, list_type, published_at in items:
            if published_at is None:
                continue
            since = timezone.localdate(published_at) + timedelta(days=1)
            for quarter in Period(self.year, "year").parts("quarter"):
                if quarter.start > self.today or quarter.end < since:
                    continue
                deadline = entry_deadline(quarter)
                current = self.today <= deadline
                roll = rng.random()
                if current and roll > 0.35:
                    continue  # the quarter is still open: most have not entered yet
                missing = 0.3 if self.is_lax(org_id) else 0.02
                if not current and roll < missing:
                    continue  # the cell is overdue
                late = not current and roll < missing + 0.08  # 补录 after the deadline
                entry = self.entry(item_id, org_id, quarter, deadline, late, since)
                if entry and list_type == ListType.COLLECTIVE:
                    self.name_meeting(entry, org_id, quarter, since)

    def entry(
        self, item_id: int, org_id: int, quarter: Period, deadline: date, late: bool, since: date
    ) -> tuple[int, int | None] | None:
        """One entry (and, after a return, often a second): its id and its evidence's."""
        done = self.workday(max(quarter.start, since), quarter.end)
        if done is None:
            return None
        if late:
            first, last = deadline + timedelta(days=3), deadline + timedelta(days=40)
        else:
            first, last = max(done, quarter.end - timedelta(days=20)), deadline
        entered_on = self.workday(max(first, done), last)
        if entered_on is None:
            return None
        made = self._entry(item_id, org_id, quarter, done, entered_on, late)
        pk, evidence, returned_on = made
        if returned_on is not None and self.rng.random() < 0.6:
            # Entered again after the return, with what was missing.
            again = self.workday(returned_on + timedelta(days=1), returned_on + timedelta(days=15))
            if again:
                pk, evidence, _ = self._entry(
                    item_id, org_id, quarter, done, again, again > deadline
                )
        return pk, evidence

    def _entry(
        self, item_id: int, org_id: int, quarter: Period, done: date, entered_on: date, late: bool
    ) -> tuple[int, int | None, date | None]:
        """The row: verified or returned days later, or still waiting. (id, evidence, returned)"""
        rng = self.rng
        status, reviewed_at, reason = ProgressEntry.Status.SUBMITTED, None, ""
        review_day = self.workday(entered_on + timedelta(days=1), entered_on + timedelta(days=12))
        roll = rng.random()
        if review_day and roll < 0.65:
            status, reviewed_at = ProgressEntry.Status.VERIFIED, self.moment(review_day)
        elif review_day and roll < 0.73:
            status, reviewed_at = ProgressEntry.Status.REJECTED, self.moment(review_day)
            reason = rng.choice(RETURN_REASONS)
        pk = self.next_entry
        self.next_entry += 1
        self.rows.entries.append(
            (
                pk,
                self.code(),
                item_id,
                str(quarter),
                rng.choice(ENTRY_TEXTS),
                done,
                self.clerks.get(org_id),
                self.moment(entered_on),
                late,
                rng.choice(LATE_REASONS) if late else "",
                status,
                self.verifier if reviewed_at else None,
                reviewed_at,
                reason,
            )
        )
        self.counts[f"entry:{status}{':late' if late else ''}"] += 1
        evidence = None
        if rng.random() < 0.45:
            evidence = self.evidence(org_id, entered_on, pdf=rng.random() < 0.3, label="ledger")
            self.rows.entry_evidence.append((pk, evidence))
        returned = review_day if status == ProgressEntry.Status.REJECTED else None
        return pk, evidence, returned

    def name_meeting(
        self, entry: tuple[int, int | None], org_id: int, quarter: Period, since: date
    ) -> None:
        """A unit's entry names the quarter's hearing meeting its photo documents,
        when the meeting was held under the published list."""
        pk, evidence = entry
        found = self.meetings.get((org_id, quarter.index))
        if found is None or evidence is None or found[2] < since:
            return
        meeting, wants_evidence, held_on = found
        if wants_evidence or self.rng.random() < 0.2:
            self.rows.entry_activities.append((pk, meeting))
            self.meetings[(org_id, quarter.index)] = (meeting, False, held_on)

    # Writing -------------------------------------------------------------------------------

    def write(self) -> None:
        rows = self.rows
        for name, content in rows.files.items():
            if not default_storage.exists(name):
                default_storage.save(name, ContentFile(content))
        write_rows(Activity, ACTIVITY_COLUMNS, rows.activities)
        write_rows(Activity.participants.through, ("activity_id", "person_id"), rows.participants)
        write_rows(Evidence, EVIDENCE_COLUMNS, rows.evidence)
        write_rows(
            Activity.evidence.through, ("activity_id", "evidence_id"), rows.activity_evidence
        )
        write_rows(ProgressEntry, ENTRY_COLUMNS, rows.entries)
        write_rows(
            ProgressEntry.evidence.through, ("progressentry_id", "evidence_id"), rows.entry_evidence
        )
        write_rows(
            ProgressEntry.activities.through,
            ("progressentry_id", "activity_id"),
            rows.entry_activities,
        )
        reset_sequences([Activity, Evidence, ProgressEntry])


def escalation_days(today: date) -> list[date]:
    """When the demo's escalation job ran: the first working day of each month from
    February, each Monday of the last six weeks, and today.

    The real job runs every morning; a run per day of the year would take minutes,
    and these days raise every rung the year calls for, only some of them later than
    a daily run would. From February, so that the job's look back at last year's
    deadlines finds only the yearly report (the demo has no records of last December).
    """
    days: set[date] = {today}
    for month in range(2, today.month + 1):
        first = date(today.year, month, 1)
        while not is_workday(first):
            first += timedelta(days=1)
        days.add(first)
    monday = today - timedelta(days=today.weekday())
    days |= {monday - timedelta(weeks=n) for n in range(6)}
    return sorted(d for d in days if date(today.year, 2, 1) <= d <= today)


def read_old_reminders(rng: Random, today: date) -> int:
    """Most reminders older than two weeks have been read, a few days after they came."""
    old = Reminder.objects.filter(raised_on__lt=today - timedelta(days=14)).order_by("pk")
    read: dict[date, list[int]] = defaultdict(list)
    for pk, raised_on in old.values_list("pk", "raised_on"):
        if rng.random() < 0.85:
            read[min(raised_on + timedelta(days=rng.randint(0, 4)), today)].append(pk)
    # One UPDATE per day read, not one per reminder.
    for day, ids in sorted(read.items()):
        at = datetime.combine(day, time(rng.randint(8, 17), rng.randrange(60)), tzinfo=SHANGHAI)
        Reminder.objects.filter(pk__in=ids).update(acknowledged_at=at)
    return sum(len(ids) for ids in read.values())


def seed_ledger(*, today: date, rng: Random) -> Counter[str]:
    """Write the year's records up to `today`, then run the escalation over the year."""
    year = _Year(rng, today)
    rules = {rule.key: rule for rule in active_rules(today.year)}
    orgs = list(
        Org.objects.filter(is_active=True).order_by("path").values_list("pk", "parent_id", "kind")
    )
    leaders = year.leaders(orgs)
    teams: dict[int, list[int]] = defaultdict(list)
    principals: dict[int, int] = {}
    for leader in leaders:
        teams[leader.org_id].append(leader.person_id)
        if leader.is_principal:
            principals.setdefault(leader.org_id, leader.person_id)
    for leader in leaders:
        rule = rules.get("tz2017-principal-talks" if leader.is_principal else "tz2017-member-talks")
        year.talks(leader, rule)
        year.duties(leader, teams[leader.org_id])
        year.admonition(leader)
    if not year.counts[f"activity:{ActivityKind.ADMONITION}"]:
        # A small tree may roll none; the demo shows every kind.
        for leader in leaders:
            year.admonition(leader, chance=1.0)
            if year.counts[f"activity:{ActivityKind.ADMONITION}"]:
                break
    for org_id, _parent, kind in orgs:
        year.unit(org_id, kind, principals.get(org_id), teams.get(org_id, []))
    for org_id, person_id in year.discipline_heads:
        year.discipline_report(org_id, person_id)
    lists = DutyList.objects.filter(current_published_q(), year=today.year)
    items = list(
        DutyItem.objects.filter(duty_list__in=lists)
        .order_by("duty_list__org__path", "duty_list_id", "seq")
        .values_list("pk", "duty_list__org_id", "duty_list__list_type", "duty_list__published_at")
    )
    year.entries(items)
    year.write()
    counts = year.counts
    for day in escalation_days(today):
        counts.update({f"reminder:{k}": v for k, v in run_escalation(on=day).created.items()})
    counts["reminder:read"] = read_old_reminders(rng, today)
    audit.record(
        actor=None,
        actor_name="命令行",
        verb=audit.Verb.CREATE,
        label="演示台账数据",
        data={"today": today.isoformat(), "counts": dict(counts)},
    )
    return counts
