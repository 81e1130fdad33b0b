"""Inspections — 督查检查, random spot checks, 整改 and 逐项过堂 (SPEC SUP-3 … SUP-6)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from liangze.core.models import CodedModel, Evidence
from liangze.duties.models import DutyItem, DutyList
from liangze.ledger.models import Rule
from liangze.orgs.models import DisciplineBody, IssuedVersion, Org, Person


class UnitFlag(CodedModel):
    """A unit that must be inspected this year (000 §五.4: 发案单位、多发频发、线索集中).

    The stand-in until the accountability module records cases and clues:
    discipline staff set the flag by hand, with a note saying why.
    """

    class Reason(models.TextChoices):
        CASE = "case", _("发案单位")
        FREQUENT = "frequent", _("多发频发")
        CLUES = "clues", _("线索集中")

    org = models.ForeignKey(
        Org, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="inspection_flags"
    )
    year = models.PositiveIntegerField(_("年度"))
    reason = models.CharField(_("必查原因"), max_length=10, choices=Reason.choices)
    note = models.TextField(_("说明"), blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("标记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    set_at = models.DateTimeField(_("标记时间"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "org__path", "reason"]
        verbose_name = _("必查单位标记")
        verbose_name_plural = _("必查单位标记")
        constraints = [
            models.UniqueConstraint(fields=["org", "year", "reason"], name="unit_flag_unique")
        ]

    def __str__(self) -> str:
        return f"{self.org} {self.year}年{self.get_reason_display()}"


class Inspection(CodedModel):
    """One planned inspection over the units of a subtree (`org`)."""

    class Kind(models.TextChoices):
        SPECIAL = "special", _("专项督查")
        PATROL = "patrol", _("片组巡查")
        SPOT = "spot", _("随机抽查")
        YEAR_END = "year_end", _("逐项过堂")

    class Status(models.TextChoices):
        PLANNED = "planned", _("计划中")
        IN_PROGRESS = "in_progress", _("进行中")
        CONCLUDED = "concluded", _("已结束")

    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("名称"), max_length=200)
    year = models.PositiveIntegerField(_("年度"), db_index=True)
    period = models.CharField(_("期间"), max_length=8, help_text=_("如 2026、2026-H1、2026-M07"))
    organiser_body = models.ForeignKey(
        DisciplineBody,
        verbose_name=_("组织机关（纪检机构）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    organiser_org = models.ForeignKey(
        Org,
        verbose_name=_("组织机关（党组织）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organised_inspections",
    )
    org = models.ForeignKey(
        Org,
        verbose_name=_("检查范围"),
        on_delete=models.PROTECT,
        related_name="inspections",
        help_text=_("检查覆盖该组织及其下级"),
    )
    planned_start = models.DateField(_("计划开始"))
    planned_end = models.DateField(_("计划结束"))
    inspectors = models.ManyToManyField(
        Person, verbose_name=_("检查人员"), related_name="inspections", blank=True
    )
    requirements = models.TextField(_("检查内容与要求"), blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.PLANNED, db_index=True
    )
    summary = models.TextField(_("检查结论"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    concluded_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "-planned_start", "-pk"]
        verbose_name = _("督查检查")
        verbose_name_plural = _("督查检查")
        constraints = [
            models.CheckConstraint(
                condition=Q(organiser_body__isnull=False) | Q(organiser_org__isnull=False),
                name="inspection_has_organiser",
            ),
            models.CheckConstraint(
                condition=Q(planned_end__gte=models.F("planned_start")),
                name="inspection_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("supervision:inspection", args=[self.code])

    def clean(self) -> None:
        if not self.organiser_body_id and not self.organiser_org_id:
            raise ValidationError({"organiser_org": _("请指定组织机关。")})
        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            raise ValidationError({"planned_end": _("计划结束日期不能早于开始日期。")})

    @property
    def organiser_name(self) -> str:
        organiser = self.organiser_body or self.organiser_org
        return str(organiser) if organiser else ""

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CONCLUDED


class InspectionTarget(CodedModel):
    """A unit an inspection covers, and why it is on the list."""

    class Why(models.TextChoices):
        MANDATORY = "mandatory", _("必查")
        DRAWN = "drawn", _("抽取")
        DESIGNATED = "designated", _("指定")

    class Status(models.TextChoices):
        PENDING = "pending", _("待检查")
        CHECKED = "checked", _("已检查")
        REMOVED = "removed", _("已移除")

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("督查检查"), on_delete=models.CASCADE, related_name="targets"
    )
    org = models.ForeignKey(
        Org, verbose_name=_("被检查单位"), on_delete=models.PROTECT, related_name="+"
    )
    why = models.CharField(_("列入原因"), max_length=10, choices=Why.choices)
    reasons = models.CharField(_("必查依据"), max_length=100, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    conclusion = models.TextField(_("检查意见"), blank=True)
    checked_at = models.DateTimeField(_("检查完成时间"), null=True, blank=True)
    removed_reason = models.TextField(_("移除理由"), blank=True)

    class Meta:
        ordering = ["inspection", "org__path"]
        verbose_name = _("被检查单位")
        verbose_name_plural = _("被检查单位")
        constraints = [
            models.UniqueConstraint(fields=["inspection", "org"], name="inspection_target_unique")
        ]

    def __str__(self) -> str:
        return f"{self.inspection} · {self.org}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:target", args=[self.code])


class Sample(CodedModel):
    """A recorded random draw (SUP-4): everything needed to re-run it and get the same units."""

    inspection = models.OneToOneField(
        Inspection, verbose_name=_("督查检查"), on_delete=models.CASCADE, related_name="sample"
    )
    population = models.JSONField(_("抽取总体（组织编号，已排序）"))
    population_digest = models.CharField(_("总体 SM3 摘要"), max_length=64)
    population_rule = models.CharField(_("总体口径"), max_length=300, blank=True)
    seed = models.CharField(_("随机种子"), max_length=200)
    seed_source = models.CharField(_("种子来源"), max_length=300, blank=True)
    size = models.PositiveIntegerField(_("抽取数量"))
    algorithm = models.CharField(_("算法版本"), max_length=40)
    result = models.JSONField(_("抽取结果（组织编号）"))
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("抽取人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    drawn_by_name = models.CharField(_("抽取人"), max_length=50, blank=True)
    drawn_at = models.DateTimeField(_("抽取时间"))

    class Meta:
        verbose_name = _("随机抽取记录")
        verbose_name_plural = _("随机抽取记录")

    def __str__(self) -> str:
        return f"{self.inspection} 抽取 {self.size}/{len(self.population)}"


class Finding(CodedModel):
    """A problem an inspector found at a unit, optionally against one list item."""

    class Severity(models.TextChoices):
        MINOR = "minor", _("一般")
        SERIOUS = "serious", _("较重")
        GRAVE = "grave", _("严重")

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("督查检查"), on_delete=models.CASCADE, related_name="findings"
    )
    target = models.ForeignKey(
        InspectionTarget,
        verbose_name=_("被检查单位"),
        on_delete=models.CASCADE,
        related_name="findings",
    )
    org = models.ForeignKey(Org, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    duty_item = models.ForeignKey(
        DutyItem,
        verbose_name=_("清单事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="findings",
    )
    description = models.TextField(_("问题描述"))
    severity = models.CharField(
        _("严重程度"), max_length=10, choices=Severity.choices, default=Severity.MINOR
    )
    is_perfunctory = models.BooleanField(
        _("走过场"), default=False, help_text=_("责任落实搞形式、走过场")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        ordering = ["inspection", "org__path", "recorded_at"]
        verbose_name = _("发现问题")
        verbose_name_plural = _("发现问题")

    def __str__(self) -> str:
        return f"{self.org}：{self.description[:30]}"


class Rectification(CodedModel):
    """整改: the unit plans, reports with evidence; the organiser verifies or returns it."""

    class Status(models.TextChoices):
        OPEN = "open", _("待制定方案")
        PLANNED = "planned", _("方案已报")
        REPORTED = "reported", _("已报告整改情况")
        VERIFIED = "verified", _("已验收销号")
        RETURNED = "returned", _("已退回重改")

    finding = models.OneToOneField(
        Finding, verbose_name=_("发现问题"), on_delete=models.CASCADE, related_name="rectification"
    )
    org = models.ForeignKey(
        Org, verbose_name=_("整改单位"), on_delete=models.PROTECT, related_name="rectifications"
    )
    requirement = models.TextField(_("整改要求"), blank=True)
    deadline = models.DateField(_("整改期限"))
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    plan = models.TextField(_("整改方案"), blank=True)
    plan_submitted_at = models.DateTimeField(_("方案报送时间"), null=True, blank=True)
    report = models.TextField(_("整改情况报告"), blank=True)
    evidence = models.ManyToManyField(Evidence, verbose_name=_("佐证材料"), blank=True)
    reported_at = models.DateTimeField(_("报告时间"), null=True, blank=True)
    review_note = models.TextField(_("验收意见"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("验收人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("验收时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("整改")
        verbose_name_plural = _("整改")
        indexes = [models.Index(fields=["org", "status"], name="rectification_org_status_idx")]

    def __str__(self) -> str:
        return f"{self.org} 整改：{self.finding.description[:30]}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:rectification", args=[self.code])

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.VERIFIED


OPEN_RECTIFICATION = [s for s in Rectification.Status.values if s != Rectification.Status.VERIFIED]


class Sanction(CodedModel):
    """What follows 走过场 (000 §五.4): 责令重新开展、约谈、通报."""

    class Kind(models.TextChoices):
        REDO = "redo", _("责令重新开展")
        ADMONITION = "admonition", _("约谈")
        CIRCULAR = "circular", _("通报")

    finding = models.ForeignKey(
        Finding, verbose_name=_("发现问题"), on_delete=models.CASCADE, related_name="sanctions"
    )
    org = models.ForeignKey(Org, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("处理方式"), max_length=12, choices=Kind.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("决定人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_by_name = models.CharField(_("决定人"), max_length=50, blank=True)
    decided_on = models.DateField(_("决定日期"))
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        ordering = ["decided_on", "pk"]
        verbose_name = _("走过场处理")
        verbose_name_plural = _("走过场处理")

    def __str__(self) -> str:
        return f"{self.org} {self.get_kind_display()}"


class Verdict(models.Model):
    """逐项过堂 (003): one verdict on one item of one of the unit's lists."""

    class Value(models.TextChoices):
        DONE = "done", _("落实")
        MOSTLY = "mostly", _("基本落实")
        NOT_DONE = "not_done", _("未落实")

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("督查检查"), on_delete=models.CASCADE, related_name="verdicts"
    )
    org = models.ForeignKey(Org, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    duty_item = models.ForeignKey(
        DutyItem, verbose_name=_("清单事项"), on_delete=models.PROTECT, related_name="verdicts"
    )
    value = models.CharField(_("结论"), max_length=10, choices=Value.choices)
    note = models.CharField(_("说明"), max_length=500, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评定人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("评定时间"))

    class Meta:
        ordering = ["inspection", "duty_item"]
        verbose_name = _("过堂结论")
        verbose_name_plural = _("过堂结论")
        constraints = [
            models.UniqueConstraint(fields=["inspection", "duty_item"], name="verdict_unique")
        ]

    def __str__(self) -> str:
        return f"{self.duty_item} {self.get_value_display()}"


class Reminder(CodedModel):
    """One rung of the escalation ladder raised for one cause (SUP-1).

    Written by the escalation job only; (step, cause) is unique, which is what
    makes running the job twice on a day harmless.
    """

    class Step(models.TextChoices):
        REMINDER = "reminder", _("提醒本人")
        PRINCIPAL_NOTICE = "principal_notice", _("提醒主要负责人")
        ADMONITION_PROPOSAL = "admonition_proposal", _("拟约谈")
        SUPERVISION_ORDER_DRAFT = "supervision_order_draft", _("督办书草稿")

    step = models.CharField(_("督促环节"), max_length=24, choices=Step.choices)
    cause = models.CharField(_("事由"), max_length=64)
    org = models.ForeignKey(
        Org, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="reminders"
    )
    # A ledger cell's reminder names its list and item; a failing indicator's names its rule.
    duty_list = models.ForeignKey(
        DutyList,
        verbose_name=_("责任清单"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reminders",
    )
    duty_item = models.ForeignKey(
        DutyItem,
        verbose_name=_("清单事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reminders",
    )
    rule = models.ForeignKey(
        Rule,
        verbose_name=_("量化规则"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reminders",
    )
    subject_person = models.ForeignKey(
        Person,
        verbose_name=_("考核对象"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("指标按人考核时的责任人；按单位考核时为空。"),
    )
    period = models.CharField(_("期间"), max_length=10)
    deadline = models.DateField(_("截止日期"), null=True, blank=True)
    recipient_person = models.ForeignKey(
        Person,
        verbose_name=_("接收人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reminders",
    )
    recipient_body = models.ForeignKey(
        DisciplineBody,
        verbose_name=_("接收纪检机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reminders",
    )
    raised_on = models.DateField(_("生成日期"), db_index=True)
    message = models.TextField(_("内容"))
    # What the ladder saw when it raised the step (figures, periods, working days overdue),
    # kept as it was: the detail page shows both this and how things stand now.
    facts = models.JSONField(_("生成时情况"), default=dict, blank=True)
    acknowledged_at = models.DateTimeField(_("已阅时间"), null=True, blank=True)
    # 已消除: the cause went away (the cell was filled, the figure met, the post left). Kept
    # as history, off the to-dos; raised again if the cause comes back.
    resolved_on = models.DateField(_("消除日期"), null=True, blank=True)

    class Meta:
        # Created by the ledger before reminders moved here; the table kept its name.
        db_table = "ledger_reminder"
        ordering = ["-raised_on", "step"]
        verbose_name = _("督促提醒")
        verbose_name_plural = _("督促提醒")
        constraints = [
            models.UniqueConstraint(fields=["step", "cause"], name="reminder_step_cause"),
        ]
        indexes = [
            models.Index(
                fields=["recipient_person", "acknowledged_at"], name="reminder_person_idx"
            ),
            models.Index(fields=["recipient_body", "acknowledged_at"], name="reminder_body_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_step_display()} {self.cause}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:reminder", args=[self.code])


class LadderVersion(IssuedVersion):
    """The escalation ladder's thresholds as an org issues them for its subtree from a year on.

    reminders/ladder.json is the installation's default; the 纪委 of a level may make
    its subtree escalate sooner, where the level above allows it (reminders/ladder.py).
    A version is never edited: a change is a new version, the old one kept.
    """

    issuer = models.ForeignKey(
        Org, verbose_name=_("制定组织"), on_delete=models.PROTECT, related_name="ladder_versions"
    )
    thresholds = models.JSONField(_("升级阈值"))

    class Meta(IssuedVersion.Meta):
        verbose_name = _("督促提醒升级标准")
        verbose_name_plural = _("督促提醒升级标准")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "version"], name="ladder_issuer_version")
        ]
