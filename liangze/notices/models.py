"""三书 — 责任分工告知书, 目标任务通知书, 任务落实督办书 (SPEC SUP-2; seed 002 §三(一)1).

A notice is drafted from data (lists, task assignments, the ledger), edited,
then issued: it gets its 文号 from a gap-free counter per issuer, family and
year, and its Word file is generated once and stored with its SM3 digest, so
what the recipient signs for is exactly what was sent.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from liangze.core.models import CodedModel
from liangze.duties.models import DutyItem, DutyList
from liangze.orgs.models import DisciplineBody, Org, Person
from liangze.supervision.models import Reminder


class NoticeKind(models.TextChoices):
    DUTY = "duty", _("责任分工告知书")
    TASK = "task", _("目标任务通知书")
    ORDER = "order", _("任务落实督办书")


# The character a kind puts in the 文号 (城委告〔2026〕1号): each family counts on its own.
FAMILY = {NoticeKind.DUTY: "告", NoticeKind.TASK: "任", NoticeKind.ORDER: "督"}


def issuer_key(org_id: int | None, body_id: int | None) -> str:
    """ "b<id>" for a discipline body, "o<id>" for an org: one column for uniqueness."""
    return f"b{body_id}" if body_id is not None else f"o{org_id}"


class Notice(CodedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        ISSUED = "issued", _("已发出")
        ACKNOWLEDGED = "acknowledged", _("已签收")

    kind = models.CharField(_("类别"), max_length=8, choices=NoticeKind.choices)
    year = models.PositiveIntegerField(_("年度"))
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    # The issuing org; for a discipline body, the org it sits in (every row scoped by an org).
    org = models.ForeignKey(
        Org, verbose_name=_("发文单位"), on_delete=models.PROTECT, related_name="notices_issued"
    )
    issuer_body = models.ForeignKey(
        DisciplineBody,
        verbose_name=_("发文纪检机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notices_issued",
    )
    issuer_key = models.CharField(max_length=24, editable=False)
    issuer_name = models.CharField(_("发文机关"), max_length=200)
    recipient_person = models.ForeignKey(
        Person,
        verbose_name=_("主送人员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notices_received",
    )
    recipient_org = models.ForeignKey(
        Org,
        verbose_name=_("主送单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notices_received",
    )
    recipient_name = models.CharField(_("主送"), max_length=200)
    cc_orgs = models.ManyToManyField(
        Org, verbose_name=_("抄送/协办单位"), related_name="notices_copied", blank=True
    )
    cc_text = models.CharField(_("抄送"), max_length=500, blank=True)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"))
    reply_due = models.DateField(_("报送落实情况期限"), null=True, blank=True)
    duty_list = models.ForeignKey(
        DutyList,
        verbose_name=_("依据清单"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notices",
    )
    # The escalation ladder's 督办书草稿 steps this notice answers (one unit, many cells).
    reminders = models.ManyToManyField(
        Reminder, verbose_name=_("来源督促提醒"), related_name="notices", blank=True
    )
    seq = models.PositiveIntegerField(_("发文序号"), null=True, blank=True)
    number = models.CharField(_("文号"), max_length=64, blank=True, db_index=True)
    issued_on = models.DateField(_("成文日期"), null=True, blank=True)
    issued_at = models.DateTimeField(_("发出时间"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签发人账号"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签收人账号"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    acknowledged_name = models.CharField(_("签收人"), max_length=50, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("拟稿人账号"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("拟稿时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        ordering = ["-year", "-created_at"]
        verbose_name = _("三书")
        verbose_name_plural = _("三书")
        constraints = [
            models.CheckConstraint(
                condition=Q(recipient_person__isnull=True, recipient_org__isnull=False)
                | Q(recipient_person__isnull=False, recipient_org__isnull=True),
                name="notice_one_recipient",
            ),
            # The counter hands out each number once; this holds even if it were bypassed.
            models.UniqueConstraint(
                fields=["issuer_key", "kind", "year", "seq"],
                condition=Q(seq__isnull=False),
                name="notice_number_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient_person", "status"], name="notice_person_idx"),
            models.Index(fields=["recipient_org", "status"], name="notice_rorg_idx"),
            models.Index(fields=["org", "kind", "year"], name="notice_issuer_idx"),
        ]

    def __str__(self) -> str:
        if self.number:
            return f"{self.number} {self.title}"
        return f"{self.title}（{self.get_status_display()}）"

    def get_absolute_url(self) -> str:
        return reverse("notices:notice", args=[self.code])

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def family(self) -> str:
        return FAMILY[NoticeKind(self.kind)]

    @property
    def to_person(self) -> bool:
        return self.recipient_person_id is not None


class NoticeFile(models.Model):
    """The Word file as issued; in the database, not on disk, so it lands with its number or not."""

    notice = models.OneToOneField(Notice, on_delete=models.CASCADE, related_name="file")
    content = models.BinaryField(_("文件内容"))
    size = models.PositiveIntegerField(_("大小"))
    sm3 = models.CharField(_("SM3 摘要"), max_length=64)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("三书文件")
        verbose_name_plural = _("三书文件")

    def __str__(self) -> str:
        return f"{self.notice} {self.sm3[:12]}"


class NoticeCounter(models.Model):
    """The last number an issuer gave in one family and year; locked while a notice is issued."""

    issuer_key = models.CharField(max_length=24)
    family = models.CharField(_("类别字"), max_length=4)
    year = models.PositiveIntegerField(_("年度"))
    last = models.PositiveIntegerField(_("已用序号"), default=0)

    class Meta:
        verbose_name = _("发文序号")
        verbose_name_plural = _("发文序号")
        constraints = [
            models.UniqueConstraint(
                fields=["issuer_key", "family", "year"], name="notice_counter_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.issuer_key} {self.family}〔{self.year}〕{self.last}"


class IssuerCode(models.Model):
    """发文机关代字 (the 青纪 of 青纪督〔2026〕3号), set per issuer; by default from the name."""

    issuer_key = models.CharField(max_length=24, unique=True)
    org = models.ForeignKey(Org, verbose_name=_("发文单位"), on_delete=models.CASCADE)
    issuer_body = models.ForeignKey(
        DisciplineBody,
        verbose_name=_("发文纪检机构"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
    )
    abbreviation = models.CharField(_("发文机关代字"), max_length=16)

    class Meta:
        verbose_name = _("发文机关代字")
        verbose_name_plural = _("发文机关代字")

    def __str__(self) -> str:
        return self.abbreviation


class TaskAssignment(CodedModel):
    """Who leads a task of a unit's collective list, and who assists (牵头单位, 协办单位).

    Kept here rather than on the list item: the list is the unit's signed
    document, the assignment is the Party committee's later decision on it.
    """

    org = models.ForeignKey(
        Org, verbose_name=_("分解单位"), on_delete=models.PROTECT, related_name="task_assignments"
    )
    # CASCADE: only a draft list's items are ever deleted, and a draft's items are not assigned.
    item = models.OneToOneField(
        DutyItem, verbose_name=_("清单事项"), on_delete=models.CASCADE, related_name="assignment"
    )
    lead_org = models.ForeignKey(
        Org, verbose_name=_("牵头单位"), on_delete=models.PROTECT, related_name="led_tasks"
    )
    assisting_orgs = models.ManyToManyField(
        Org, verbose_name=_("协办单位"), related_name="assisted_tasks", blank=True
    )
    deadline = models.DateField(_("完成时限"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("分解人账号"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("分解时间"), auto_now=True)

    class Meta:
        ordering = ["org", "item"]
        verbose_name = _("任务分解")
        verbose_name_plural = _("任务分解")

    def __str__(self) -> str:
        if self.item_id is None or self.lead_org_id is None:
            return f"{self.org.name}任务分解"
        return f"{self.item.name} → {self.lead_org.name}"
