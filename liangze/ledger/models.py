"""The ledger — 台账, 可序时督查、可量化考核 (SPEC LEDGER-1 … 3, RULE-1 … 3)."""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from liangze.core.models import CodedModel, Evidence
from liangze.duties.models import DutyItem
from liangze.orgs.models import Org, Person


class ActivityKind(models.TextChoices):
    TALK = "talk", _("谈心谈话")
    ADMONITION = "admonition", _("约谈")
    MEETING = "meeting", _("专题会议/听取汇报")
    DEMOCRATIC_LIFE = "democratic_life", _("民主生活会")
    GROUP_STUDY = "group_study", _("中心组学习")
    LECTURE = "lecture", _("党课")
    RECEPTION = "reception", _("接访")
    WRITTEN_REPORT = "written_report", _("书面报告")
    INSPECTION = "inspection", _("检查")
    PLEDGE = "pledge", _("签订责任书")


class ReportKind(models.TextChoices):
    """What a written report reports on: the duties that ask for one name it (004 附件5)."""

    FIRST_RESPONSIBLE = "first_responsible", _("第一责任人履责情况报告")
    PRIMARY = "primary", _("主体责任落实情况报告")
    SUPERVISORY = "supervisory", _("监督责任履行情况报告")
    DUAL_DUTY = "dual_duty", _("“一岗双责”履行情况报告")
    OTHER = "other", _("其他书面报告")


class ReportRecipient(models.TextChoices):
    """Whom a report goes to, as the duties name them (上级党委和纪委, 同级党委…)."""

    HIGHER_COMMITTEE = "higher_committee", _("上级党委")
    HIGHER_COMMISSION = "higher_commission", _("上级纪委")
    SAME_COMMITTEE = "same_committee", _("同级党委")


def validate_recipients(value: Any) -> None:
    """A list of distinct recipients (ReportRecipient values)."""
    if not isinstance(value, list) or any(v not in ReportRecipient.values for v in value):
        raise ValidationError(
            _("报送对象须从以下选择：%(choices)s。")
            % {"choices": "、".join(str(label) for label in ReportRecipient.labels)}
        )
    if len(set(value)) != len(value):
        raise ValidationError(_("报送对象不能重复。"))


class Activity(CodedModel):
    """Something a leader or a unit did that duties are measured by (RULE-1)."""

    org = models.ForeignKey(
        Org, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="activities"
    )
    kind = models.CharField(_("类别"), max_length=20, choices=ActivityKind.choices)
    held_on = models.DateField(_("日期"), db_index=True)
    host = models.ForeignKey(
        Person,
        verbose_name=_("主持/谈话/授课/报告人"),
        on_delete=models.PROTECT,
        related_name="hosted_activities",
    )
    participants = models.ManyToManyField(
        Person, verbose_name=_("参加/谈话对象"), related_name="activities", blank=True
    )
    subject = models.CharField(_("主题"), max_length=200)
    minutes = models.TextField(_("记录"), blank=True)
    report_kind = models.CharField(
        _("报告类别"), max_length=20, choices=ReportKind.choices, blank=True
    )
    recipients = models.JSONField(
        _("报送对象"), default=list, blank=True, validators=[validate_recipients]
    )
    recipient = models.CharField(_("报送单位名称"), max_length=200, blank=True)
    evidence = models.ManyToManyField(Evidence, verbose_name=_("佐证材料"), blank=True)
    items = models.ManyToManyField(
        DutyItem, verbose_name=_("关联清单事项"), related_name="activities", blank=True
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-created_at"]
        verbose_name = _("工作活动")
        verbose_name_plural = _("工作活动")
        indexes = [
            models.Index(fields=["kind", "held_on"], name="activity_kind_day_idx"),
            models.Index(fields=["host", "kind", "held_on"], name="activity_host_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.get_kind_display()} {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("ledger:activity", args=[self.code])

    def get_recipients_display(self) -> str:
        labels = dict(ReportRecipient.choices)
        return "、".join(str(labels.get(r, r)) for r in self.recipients)


class ProgressEntry(CodedModel):
    """What was done on a list item in one period, with its evidence (LEDGER-1, LEDGER-2)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待核实")
        VERIFIED = "verified", _("已销号")
        REJECTED = "rejected", _("已退回")

    item = models.ForeignKey(
        DutyItem, verbose_name=_("清单事项"), on_delete=models.PROTECT, related_name="entries"
    )
    period = models.CharField(_("期间"), max_length=10, db_index=True)
    text = models.TextField(_("完成情况"))
    done_on = models.DateField(_("完成日期"))
    evidence = models.ManyToManyField(Evidence, verbose_name=_("佐证材料"), blank=True)
    activities = models.ManyToManyField(
        Activity, verbose_name=_("关联活动"), related_name="entries", blank=True
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("填报时间"), auto_now_add=True)
    is_late = models.BooleanField(_("补录"), default=False)
    late_reason = models.TextField(_("补录原因"), blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("核实人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("核实时间"), null=True, blank=True)
    review_reason = models.TextField(_("退回理由"), blank=True)

    class Meta:
        ordering = ["item", "period", "-entered_at"]
        verbose_name = _("台账进度")
        verbose_name_plural = _("台账进度")
        indexes = [models.Index(fields=["item", "period"], name="entry_item_period_idx")]

    def __str__(self) -> str:
        return f"{self.item} {self.period}"


class Rule(models.Model):
    """A quantified duty as data (RULE-2, RULE-3): who, what activity, how many, by when."""

    class Actor(models.TextChoices):
        PRINCIPAL = "principal", _("主要负责人")
        MEMBER = "member", _("班子成员（不含主要负责人）")
        TEAM = "team", _("领导班子成员（含主要负责人）")
        UNIT = "unit", _("单位")
        # 民主生活会 and the 中心组 are a 党委's or 党组's, not a 党支部's (004 附件5 序号4, 6).
        COMMITTEE = "committee", _("党委（党组）领导班子")
        # The head of the unit's own 纪委 (纪检组, 纪工委) or its 纪检委员 (004 附件5 序号15).
        DISCIPLINE = "discipline", _("纪委书记（纪检组长、纪检委员）")

    class Population(models.TextChoices):
        NONE = "none", _("按次数")
        TEAM_AND_SUB_HEADS = "team_and_sub_heads", _("班子成员和下属单位主要负责人")
        SUB_HEADS = "sub_heads", _("下属单位主要负责人")
        PORTFOLIO_HEADS = "portfolio_heads", _("分管、联系单位主要负责人")

    class PeriodKind(models.TextChoices):
        MONTH = "month", _("每月")
        QUARTER = "quarter", _("每季度")
        HALF = "half", _("每半年")
        YEAR = "year", _("每年")

    key = models.SlugField(_("规则标识"), max_length=64)
    version = models.PositiveIntegerField(_("版本"), default=1)
    year = models.PositiveIntegerField(_("年度"))
    issuer_name = models.CharField(_("制定机关"), max_length=200)
    # The org whose subtree the version governs; none for the defaults shipped in rules/*.json.
    issuer = models.ForeignKey(
        Org,
        verbose_name=_("制定组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rules",
    )
    allow_tighten = models.BooleanField(_("允许下级从严"), default=True)
    name = models.CharField(_("名称"), max_length=100)
    text = models.TextField(_("原文要求"))
    source = models.CharField(_("出处"), max_length=200, blank=True)
    actor = models.CharField(_("责任主体"), max_length=10, choices=Actor.choices)
    activity_kind = models.CharField(_("活动类别"), max_length=20, choices=ActivityKind.choices)
    subject_contains = models.CharField(_("主题须含"), max_length=50, blank=True)
    report_kind = models.CharField(
        _("报告类别须为"), max_length=20, choices=ReportKind.choices, blank=True
    )
    recipients = models.JSONField(
        _("须报送对象"), default=list, blank=True, validators=[validate_recipients]
    )
    population = models.CharField(
        _("比例基数"), max_length=24, choices=Population.choices, default=Population.NONE
    )
    period_kind = models.CharField(_("周期"), max_length=8, choices=PeriodKind.choices)
    threshold_count = models.PositiveIntegerField(_("至少次数/人数"), null=True, blank=True)
    threshold_percent = models.DecimalField(
        _("比例（%）"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    deadline_month = models.PositiveSmallIntegerField(_("截止月"), null=True, blank=True)
    deadline_day = models.PositiveSmallIntegerField(_("截止日"), null=True, blank=True)
    evidence_workdays = models.PositiveSmallIntegerField(
        _("佐证材料报送时限（工作日）"), null=True, blank=True
    )
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("制定时间"), auto_now_add=True, null=True)

    class Meta:
        ordering = ["year", "key", "-version"]
        verbose_name = _("量化规则")
        verbose_name_plural = _("量化规则")
        constraints = [models.UniqueConstraint(fields=["key", "version"], name="rule_key_version")]

    def __str__(self) -> str:
        return self.name


class CellComment(CodedModel):
    """A remark on one ledger cell — an item in a period — by a supervisor or the unit (批注).

    Higher levels read a unit's ledger but do not edit it: they verify, return, or
    comment. A cell may be commented on before anything is entered in it. Comments are
    append-only: neither edited nor deleted, as the exchange is part of the record.
    """

    org = models.ForeignKey(
        Org, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="cell_comments"
    )
    item = models.ForeignKey(
        DutyItem, verbose_name=_("清单事项"), on_delete=models.PROTECT, related_name="comments"
    )
    period = models.CharField(_("期间"), max_length=10)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("批注人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # As the author was named when writing: a later rename does not rewrite the trail.
    author_name = models.CharField(_("批注人姓名"), max_length=100)
    text = models.TextField(_("批注内容"))
    created_at = models.DateTimeField(_("批注时间"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("台账批注")
        verbose_name_plural = _("台账批注")
        indexes = [models.Index(fields=["item", "period"], name="comment_item_period_idx")]

    def __str__(self) -> str:
        return f"{self.item} {self.period} {self.author_name}"
