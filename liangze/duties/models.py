"""Responsibility lists — 清单明责 (SPEC LIST-1 … LIST-8)."""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from liangze.core.models import CodedModel, Evidence
from liangze.orgs.models import DisciplineBody, Org, Person


class ListType(models.TextChoices):
    COLLECTIVE = "collective", _("领导班子主体责任清单")
    PRINCIPAL = "principal", _("主要负责人责任清单")
    MEMBER = "member", _("班子成员责任清单")
    SUPERVISORY = "supervisory", _("纪委（纪检委员）监督责任清单")


PERSONAL_TYPES = (ListType.PRINCIPAL, ListType.MEMBER)


class Catalogue(CodedModel):
    """What lists of each type must cover, issued by a higher level for a year (LIST-2).

    A catalogue can be edited while a draft; once issued it never changes:
    a correction is a new version pointing to the one it replaces.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        ISSUED = "issued", _("已下发")

    key = models.SlugField(_("目录标识"), max_length=64)
    version = models.PositiveIntegerField(_("版本"), default=1)
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="next_version"
    )
    title = models.CharField(_("名称"), max_length=200)
    issuer_name = models.CharField(_("下发机关"), max_length=200)
    issuer = models.ForeignKey(
        Org,
        verbose_name=_("下发组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="catalogues",
    )
    year = models.PositiveIntegerField(_("年度"))
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    submit_deadline = models.DateField(_("报送截止日期"), null=True, blank=True)
    issued_at = models.DateTimeField(_("下发时间"), null=True, blank=True)
    source = models.CharField(_("出处"), max_length=200, blank=True)
    notes = models.TextField(_("说明"), blank=True)
    # 004: "未设党委（党组）的学校、单位参照执行" — such units (the government kind) then
    # need a 领导班子主体责任清单 too, and coverage counts them.
    covers_units_without_committee = models.BooleanField(
        _("未设党委（党组）的单位参照执行"),
        default=True,
        help_text=_(
            "勾选后，未设党委（党组）的单位也须编制领导班子主体责任清单，并计入全覆盖统计。"
        ),
    )

    class Meta:
        ordering = ["-year", "key", "-version"]
        verbose_name = _("责任目录")
        verbose_name_plural = _("责任目录")
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="catalogue_key_version")
        ]

    def __str__(self) -> str:
        return f"{self.title}（第{self.version}版）"

    @property
    def is_issued(self) -> bool:
        return self.status == self.Status.ISSUED


class CatalogueEntry(models.Model):
    """One responsibility a list of `list_type` must carry (the “1” of “1+X”)."""

    class Kind(models.TextChoices):
        DUTY = "duty", _("责任")
        SAFEGUARD = "safeguard", _("保障措施")

    catalogue = models.ForeignKey(Catalogue, on_delete=models.CASCADE, related_name="entries")
    list_type = models.CharField(_("清单类型"), max_length=16, choices=ListType.choices)
    ref = models.CharField(_("编号"), max_length=32)
    seq = models.PositiveIntegerField(_("序号"))
    name = models.CharField(_("责任名称"), max_length=100)
    text = models.TextField(_("要求"))
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices, default=Kind.DUTY)
    source = models.CharField(_("出处"), max_length=200, blank=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        ordering = ["catalogue", "list_type", "seq"]
        verbose_name = _("目录事项")
        verbose_name_plural = _("目录事项")
        constraints = [
            models.UniqueConstraint(fields=["catalogue", "ref"], name="entry_ref_unique")
        ]

    def __str__(self) -> str:
        return self.name


class DutyList(CodedModel):
    """One version of one unit's (or one person's) list for a year (LIST-1, LIST-5, LIST-8).

    A signature freezes a version; changing it afterwards creates the next
    version (`previous` → the signed one), which needs signing again.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        DISCUSSED = "discussed", _("已集体讨论")
        SIGNED = "signed", _("已签字")
        SUBMITTED = "submitted", _("已报送")
        RETURNED = "returned", _("已退回")
        ACCEPTED = "accepted", _("已审核通过")
        PUBLISHED = "published", _("已公示")

    class PublishRange(models.TextChoices):
        UNIT = "unit", _("本单位")
        SUBTREE = "subtree", _("本单位及下级")
        EVERYONE = "everyone", _("全体登录用户")

    org = models.ForeignKey(
        Org, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="duty_lists"
    )
    year = models.PositiveIntegerField(_("年度"))
    list_type = models.CharField(_("清单类型"), max_length=16, choices=ListType.choices)
    person = models.ForeignKey(
        Person,
        verbose_name=_("责任人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duty_lists",
        help_text=_("主要负责人、班子成员清单的本人"),
    )
    discipline_body = models.ForeignKey(
        DisciplineBody,
        verbose_name=_("纪检机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duty_lists",
    )
    # "" for a unit's list, "p<id>" for a person's, "d<id>" for a discipline body's:
    # NULLs never collide in a unique constraint, so the holder needs a value.
    holder_key = models.CharField(max_length=24, blank=True, editable=False)
    catalogue = models.ForeignKey(
        Catalogue, verbose_name=_("责任目录"), on_delete=models.PROTECT, related_name="lists"
    )
    version = models.PositiveIntegerField(_("版本"), default=1)
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="next_version"
    )
    is_current = models.BooleanField(_("当前版本"), default=True)
    # 现行版本: the published version the unit works to. A revision stays a draft beside it
    # until published itself, so coverage, the ledger and 逐项过堂 never lose the unit.
    in_force = models.BooleanField(_("现行有效"), default=False, editable=False)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    filled_on = models.DateField(_("填报日期"), null=True, blank=True)
    # 集体讨论 (recorded before signing)
    discussed_on = models.DateField(_("讨论日期"), null=True, blank=True)
    discussion_meeting = models.CharField(_("讨论会议"), max_length=200, blank=True)
    discussion_attendees = models.TextField(_("参会人员"), blank=True)
    # 签字背书
    digest = models.CharField(_("SM3 摘要"), max_length=64, blank=True)
    signed_at = models.DateTimeField(_("签字时间"), null=True, blank=True)
    sealed = models.BooleanField(_("已盖章"), default=False)
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    deadline = models.DateField(_("报送截止日期"), null=True, blank=True)
    published_at = models.DateTimeField(_("公示时间"), null=True, blank=True)
    publish_range = models.CharField(
        _("公示范围"), max_length=10, choices=PublishRange.choices, blank=True
    )
    # 雷同检测 (LIST-7)
    similarity = models.FloatField(_("最高相似度"), null=True, blank=True)
    template_similarity = models.FloatField(_("与目录相似度"), null=True, blank=True)
    twin = models.ForeignKey(
        "self",
        verbose_name=_("相似清单"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        ordering = ["org__path", "list_type", "-version"]
        verbose_name = _("责任清单")
        verbose_name_plural = _("责任清单")
        constraints = [
            models.UniqueConstraint(
                fields=["org", "year", "list_type", "holder_key", "version"],
                name="duty_list_version_unique",
            ),
            models.UniqueConstraint(
                fields=["org", "year", "list_type", "holder_key"],
                condition=Q(is_current=True),
                name="duty_list_one_current",
            ),
            models.UniqueConstraint(
                fields=["org", "year", "list_type", "holder_key"],
                condition=Q(in_force=True),
                name="duty_list_one_in_force",
            ),
        ]
        indexes = [
            models.Index(fields=["year", "list_type", "status", "is_current"], name="dl_cover_idx"),
            models.Index(fields=["year", "list_type", "in_force"], name="dl_in_force_idx"),
        ]

    def __str__(self) -> str:
        who = f"·{self.person.name}" if self.person_id and self.person else ""
        return f"{self.org.name}{who} {self.year}年{self.get_list_type_display()}"

    def get_absolute_url(self) -> str:
        return reverse("duties:list", args=[self.code])

    def compute_holder_key(self) -> str:
        if self.list_type in PERSONAL_TYPES and self.person_id:
            return f"p{self.person_id}"
        if self.list_type == ListType.SUPERVISORY and self.discipline_body_id:
            return f"d{self.discipline_body_id}"
        return ""

    @property
    def is_frozen(self) -> bool:
        """Signed content never changes (LIST-8)."""
        return self.status not in (self.Status.DRAFT, self.Status.DISCUSSED)


class DutyItem(models.Model):
    """One row of a list: a catalogue responsibility broken down, or the unit's own (“X”)."""

    duty_list = models.ForeignKey(DutyList, on_delete=models.CASCADE, related_name="items")
    entry = models.ForeignKey(
        CatalogueEntry,
        verbose_name=_("目录事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="items",
        help_text=_("为空表示本单位自选事项"),
    )
    seq = models.PositiveIntegerField(_("序号"))
    name = models.CharField(_("责任名称"), max_length=100)
    task = models.TextField(_("项目任务/具体分解内容"), blank=True)
    responsible = models.ForeignKey(
        Person,
        verbose_name=_("责任人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duty_items",
    )
    department = models.CharField(_("责任部门"), max_length=100, blank=True)
    q1 = models.TextField(_("一季度"), blank=True)
    q2 = models.TextField(_("二季度"), blank=True)
    q3 = models.TextField(_("三季度"), blank=True)
    q4 = models.TextField(_("四季度"), blank=True)

    QUARTERS = ("q1", "q2", "q3", "q4")

    class Meta:
        ordering = ["duty_list", "seq"]
        verbose_name = _("清单事项")
        verbose_name_plural = _("清单事项")

    def __str__(self) -> str:
        return f"{self.seq}. {self.name}"

    @property
    def is_own(self) -> bool:
        return self.entry_id is None

    @property
    def entry_ref(self) -> str | None:
        return self.entry.ref if self.entry is not None else None

    @property
    def measures(self) -> list[str]:
        return [self.q1, self.q2, self.q3, self.q4]


class Signature(models.Model):
    """签字背书: who signed which version, over which SM3 digest of its canonical form."""

    class Role(models.TextChoices):
        PRINCIPAL = "principal", _("主要负责人")
        MEMBER = "member", _("班子成员本人")
        DISCIPLINE = "discipline", _("纪委(纪检组)主要负责人")

    duty_list = models.ForeignKey(DutyList, on_delete=models.PROTECT, related_name="signatures")
    role = models.CharField(_("签字身份"), max_length=10, choices=Role.choices)
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签字人账号"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("为空表示纸质签字后由系统操作员录入"),
    )
    signer_name = models.CharField(_("签字人姓名"), max_length=50)
    digest = models.CharField(_("SM3 摘要"), max_length=64)
    signed_at = models.DateTimeField(_("签字时间"))
    # A signature made on paper and entered afterwards keeps the scanned page as its proof.
    scan = models.ForeignKey(
        Evidence,
        verbose_name=_("纸质签字扫描件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["signed_at"]
        verbose_name = _("签字")
        verbose_name_plural = _("签字")
        constraints = [
            models.UniqueConstraint(fields=["duty_list", "role"], name="one_signature_per_role")
        ]

    def __str__(self) -> str:
        return f"{self.signer_name} {self.get_role_display()}"


class Review(models.Model):
    """The higher level's verdict on a submitted version; reasons stay with the list."""

    class Verdict(models.TextChoices):
        ACCEPTED = "accepted", _("审核通过")
        RETURNED = "returned", _("退回修改")

    duty_list = models.ForeignKey(DutyList, on_delete=models.PROTECT, related_name="reviews")
    verdict = models.CharField(_("结论"), max_length=10, choices=Verdict.choices)
    reason = models.TextField(_("意见"), blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人账号"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    reviewer_name = models.CharField(_("审核人姓名"), max_length=50)
    at = models.DateTimeField(_("审核时间"))

    class Meta:
        ordering = ["-at"]
        verbose_name = _("审核")
        verbose_name_plural = _("审核")

    def __str__(self) -> str:
        return f"{self.get_verdict_display()} {self.reviewer_name}"


def _tally(label: Any) -> "models.IntegerField[int, int]":
    # Signed: a decrement must never fail the accept or revision that causes it.
    return models.IntegerField(label, default=0)


class CoverageTally(models.Model):
    """全覆盖 counts of one org for a year (LIST-6), kept so a roll-up reads rows, not holders.

    Derived data (see coverage/tallies.py). Per list type: `*_own` count the org's own
    units, posts or bodies, `*_sub` its whole subtree's, all as required on
    `as_of`, the reference date of the roll-ups that read the row, with units
    without a Party committee required or not as the counting catalogue says. The done
    counts follow every accept and revision in the same transaction; the
    required ones are as of `computed_at`, when the rows were last rebuilt.
    One row per org carries all four types: a province is 280,000 rows.
    """

    # The unique constraint's index leads with the org: no second index for the key.
    org = models.ForeignKey(
        Org, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="+", db_index=False
    )
    year = models.PositiveIntegerField(_("年度"))
    as_of = models.DateField(_("任职基准日"))
    # The counting catalogue's setting: whether units without a Party committee are required.
    covers_units_without_committee = models.BooleanField(_("未设党委（党组）的单位参照执行"))
    computed_at = models.DateTimeField(_("统计时间"))
    collective_required_own = _tally(_("领导班子·本级应编制"))
    collective_done_own = _tally(_("领导班子·本级已完成"))
    collective_required_sub = _tally(_("领导班子·含下级应编制"))
    collective_done_sub = _tally(_("领导班子·含下级已完成"))
    principal_required_own = _tally(_("主要负责人·本级应编制"))
    principal_done_own = _tally(_("主要负责人·本级已完成"))
    principal_required_sub = _tally(_("主要负责人·含下级应编制"))
    principal_done_sub = _tally(_("主要负责人·含下级已完成"))
    member_required_own = _tally(_("班子成员·本级应编制"))
    member_done_own = _tally(_("班子成员·本级已完成"))
    member_required_sub = _tally(_("班子成员·含下级应编制"))
    member_done_sub = _tally(_("班子成员·含下级已完成"))
    supervisory_required_own = _tally(_("监督责任·本级应编制"))
    supervisory_done_own = _tally(_("监督责任·本级已完成"))
    supervisory_required_sub = _tally(_("监督责任·含下级应编制"))
    supervisory_done_sub = _tally(_("监督责任·含下级已完成"))

    MEASURES = ("required_own", "done_own", "required_sub", "done_sub")

    class Meta:
        verbose_name = _("全覆盖统计")
        verbose_name_plural = _("全覆盖统计")
        constraints = [
            models.UniqueConstraint(
                fields=["org", "year", "as_of", "covers_units_without_committee"],
                name="coverage_tally_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.org_id} {self.year} @{self.as_of}"

    @staticmethod
    def column(list_type: str, measure: str) -> str:
        """The field holding one count, e.g. ("principal", "done_sub") → principal_done_sub."""
        return f"{list_type}_{measure}"
