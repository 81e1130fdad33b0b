from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from liangze.core.models import CodedModel
from liangze.orgs.tree import subtree_bounds


def subtree_q(path: str, prefix: str = "") -> Q:
    """The org at `path` and everything below it, as an index range on the path."""
    low, high = subtree_bounds(path)
    q = Q(**{f"{prefix}path__gte": low})
    return q & Q(**{f"{prefix}path__lt": high}) if high is not None else q


class OrgKind(models.TextChoices):
    PARTY_COMMITTEE = "party_committee", _("党委")
    PARTY_GROUP = "party_group", _("党组")
    WORK_COMMITTEE = "work_committee", _("党工委")
    GENERAL_BRANCH = "general_branch", _("党总支")
    BRANCH = "branch", _("党支部")
    GOVERNMENT = "government", _("行政单位")


class OrgLevel(models.TextChoices):
    PROVINCE = "province", _("省")
    CITY = "city", _("市")
    COUNTY = "county", _("县（市、区）")
    TOWNSHIP = "township", _("乡镇（街道）")
    DEPARTMENT = "department", _("部门")
    SCHOOL = "school", _("学校")
    BRANCH = "branch", _("支部")


class Org(CodedModel):
    """A node of the organization tree (ORG-1), stored as a materialized path.

    `path` is the parent's path plus PATH_STEP base-36 characters, so a
    subtree is one indexed prefix scan on any SQL database.
    """

    org_no = models.CharField(_("组织编号"), max_length=64, unique=True)
    name = models.CharField(_("名称"), max_length=200, db_index=True)
    kind = models.CharField(_("类型"), max_length=20, choices=OrgKind.choices)
    level = models.CharField(_("层级"), max_length=20, choices=OrgLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, unique=True)
    depth = models.PositiveSmallIntegerField(default=1)
    child_count = models.PositiveIntegerField(_("下级数"), default=0)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("组织")
        verbose_name_plural = _("组织")
        indexes = [
            models.Index(fields=["parent", "sort_order"], name="org_children_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("orgs:org", args=[self.code])

    def subtree_q(self, prefix: str = "") -> Q:
        return subtree_q(self.path, prefix)


class DisciplineBody(CodedModel):
    """A discipline body (ORG-2), attached to one org, supervising one or more subtrees."""

    class Kind(models.TextChoices):
        COMMISSION = "commission", _("纪委")
        GROUP = "group", _("纪检组")
        WORK_COMMITTEE = "work_committee", _("纪工委")
        MEMBER = "member", _("纪检委员")
        DISPATCHED = "dispatched", _("派驻纪检监察组")

    body_no = models.CharField(_("编号"), max_length=64, unique=True)
    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    org = models.ForeignKey(
        Org, verbose_name=_("所在组织"), on_delete=models.PROTECT, related_name="discipline_bodies"
    )
    supervised_orgs = models.ManyToManyField(
        Org, verbose_name=_("监督单位"), related_name="supervising_bodies", blank=True
    )

    class Meta:
        ordering = ["org__path", "name"]
        verbose_name = _("纪检机构")
        verbose_name_plural = _("纪检机构")

    def __str__(self) -> str:
        return self.name


class Gender(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class Rank(models.TextChoices):
    COUNTY = "county", _("县处级")
    SECTION = "section", _("乡科级")
    UNIT = "unit", _("股级")
    CLERK = "clerk", _("办事员")
    NONE = "none", _("其他")


class Person(CodedModel):
    """A cadre, public servant or member (ORG-3)."""

    person_no = models.CharField(_("人员编号"), max_length=64, unique=True)
    name = models.CharField(_("姓名"), max_length=50, db_index=True)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices)
    is_party_member = models.BooleanField(_("党员"), default=True)
    rank = models.CharField(_("职级"), max_length=10, choices=Rank.choices, default=Rank.NONE)
    org = models.ForeignKey(
        Org, verbose_name=_("所在单位"), on_delete=models.PROTECT, related_name="people"
    )
    department = models.CharField(_("科室"), max_length=100, blank=True)
    is_active = models.BooleanField(_("在职"), default=True)

    class Meta:
        ordering = ["org__path", "name"]
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        indexes = [models.Index(fields=["org", "name"], name="person_org_name_idx")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("orgs:person", args=[self.code])


class PositionKind(models.TextChoices):
    PRINCIPAL = "principal", _("主要负责人")
    MEMBER = "member", _("班子成员")
    DISCIPLINE_SECRETARY = "discipline_secretary", _("纪委书记/纪检组长")
    BRANCH_SECRETARY = "branch_secretary", _("支部书记")
    DISCIPLINE_MEMBER = "discipline_member", _("纪检委员")
    DISCIPLINE_STAFF = "discipline_staff", _("纪检监察干部")


LEADER_KINDS = (PositionKind.PRINCIPAL, PositionKind.MEMBER, PositionKind.BRANCH_SECRETARY)
DISCIPLINE_KINDS = (
    PositionKind.DISCIPLINE_SECRETARY,
    PositionKind.DISCIPLINE_MEMBER,
    PositionKind.DISCIPLINE_STAFF,
)


class Position(CodedModel):
    """A person's post at an org over a span of time; open-ended while `end_date` is empty."""

    person = models.ForeignKey(
        Person, verbose_name=_("人员"), on_delete=models.CASCADE, related_name="positions"
    )
    org = models.ForeignKey(
        Org, verbose_name=_("任职组织"), on_delete=models.PROTECT, related_name="positions"
    )
    kind = models.CharField(_("职务类别"), max_length=24, choices=PositionKind.choices)
    title = models.CharField(_("职务名称"), max_length=100)
    discipline_body = models.ForeignKey(
        DisciplineBody,
        verbose_name=_("纪检机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="positions",
    )
    portfolio = models.CharField(_("分管工作"), max_length=500, blank=True)
    liaison_orgs = models.ManyToManyField(
        Org, verbose_name=_("联系单位"), related_name="liaison_positions", blank=True
    )
    # The units of the portfolio, beside its description: a member's talks and hearings are
    # measured against their heads as much as against those of the liaison units.
    portfolio_orgs = models.ManyToManyField(
        Org, verbose_name=_("分管单位"), related_name="portfolio_positions", blank=True
    )
    start_date = models.DateField(_("任职日期"))
    end_date = models.DateField(_("免职日期"), null=True, blank=True)

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("职务")
        verbose_name_plural = _("职务")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "org", "kind", "start_date"], name="position_unique_span"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="position_end_after_start",
            ),
        ]
        indexes = [models.Index(fields=["org", "kind", "end_date"], name="position_org_kind_idx")]

    def __str__(self) -> str:
        return f"{self.person} · {self.title}"

    def clean(self) -> None:
        if self.kind in DISCIPLINE_KINDS and not self.discipline_body_id:
            raise ValidationError({"discipline_body": _("纪检职务必须指定所属纪检机构。")})
        if self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("免职日期不能早于任职日期。")})


class LeadingGroup(CodedModel):
    """A 领导小组 an org (or its discipline body) sets up for one task, with an office (ORG-5).

    The office (办公室) sits in a unit — `office_org`, narrowed to one section
    (科室, matched against `Person.department`) when `office_section` is set —
    and its staff act in the group's name (`access.acts_for_group`).
    """

    class Kind(models.TextChoices):
        WARNING_EDUCATION = "warning_education", _("“两书上会”警示教育活动领导小组")
        RESPONSIBILITY = "responsibility", _("落实党风廉政建设责任制领导小组")
        OTHER = "other", _("其他领导小组")

    org = models.ForeignKey(
        Org, verbose_name=_("成立单位"), on_delete=models.PROTECT, related_name="leading_groups"
    )
    body = models.ForeignKey(
        DisciplineBody,
        verbose_name=_("成立机关（纪检机构）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="leading_groups",
        help_text=_("由本单位纪委等纪检机构成立时填写"),
    )
    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    purpose = models.TextField(_("职责"), blank=True)
    established = models.DateField(_("成立日期"))
    dissolved = models.DateField(_("撤销日期"), null=True, blank=True)
    office_org = models.ForeignKey(
        Org,
        verbose_name=_("办公室所在单位"),
        on_delete=models.PROTECT,
        related_name="hosted_group_offices",
    )
    office_section = models.CharField(
        _("办公室所在科室"),
        max_length=100,
        blank=True,
        help_text=_("如 宣教室、监察室；留空表示该单位全体人员"),
    )

    class Meta:
        ordering = ["org__path", "established", "name"]
        verbose_name = _("领导小组")
        verbose_name_plural = _("领导小组")
        constraints = [
            models.CheckConstraint(
                condition=Q(dissolved__isnull=True) | Q(dissolved__gte=models.F("established")),
                name="leading_group_dissolved_after_established",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("orgs:group", args=[self.code])

    @property
    def office_name(self) -> str:
        return f"{self.name}办公室"

    def clean(self) -> None:
        if self.dissolved and self.dissolved < self.established:
            raise ValidationError({"dissolved": _("撤销日期不能早于成立日期。")})
        if self.body is not None and self.org_id and self.body.org_id != self.org_id:
            raise ValidationError({"body": _("纪检机构须设在成立单位。")})


class GroupRole(models.TextChoices):
    LEADER = "leader", _("组长")
    DEPUTY = "deputy", _("副组长")
    MEMBER = "member", _("成员")
    OFFICE_DIRECTOR = "office_director", _("办公室主任")
    OFFICE_DEPUTY = "office_deputy", _("办公室副主任")


# One holder at a time; the order members are listed in.
SINGLE_ROLES = (GroupRole.LEADER, GroupRole.OFFICE_DIRECTOR)
OFFICE_ROLES = (GroupRole.OFFICE_DIRECTOR, GroupRole.OFFICE_DEPUTY)
ROLE_ORDER: dict[str, int] = {role.value: n for n, role in enumerate(GroupRole)}


class GroupMembership(CodedModel):
    """A seat in a leading group over a span of time; ended, never deleted."""

    group = models.ForeignKey(
        LeadingGroup,
        verbose_name=_("领导小组"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="group_memberships"
    )
    position = models.ForeignKey(
        Position,
        verbose_name=_("任职依据"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="group_memberships",
        help_text=_("以该职务进入领导小组（如 纪委书记任组长）"),
    )
    role = models.CharField(_("小组职务"), max_length=16, choices=GroupRole.choices)
    start_date = models.DateField(_("起始日期"))
    end_date = models.DateField(_("结束日期"), null=True, blank=True)

    class Meta:
        ordering = ["start_date", "pk"]
        verbose_name = _("领导小组成员")
        verbose_name_plural = _("领导小组成员")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="group_membership_end_after_start",
            ),
        ]
        indexes = [models.Index(fields=["group", "end_date"], name="group_membership_idx")]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_role_display()}"

    def is_current(self, on: date) -> bool:
        return self.start_date <= on and (self.end_date is None or self.end_date >= on)


class GroupAct(models.Model):
    """A record (an inspection, a notice) that a group's office issued in the group's name.

    Other apps' rows are named by model label and id, so the org tree needs to know
    nothing of them; `access.acted_in_group_name_q` turns these into access.
    """

    group = models.ForeignKey(
        LeadingGroup, verbose_name=_("领导小组"), on_delete=models.PROTECT, related_name="acts"
    )
    model = models.CharField(_("事项类型"), max_length=100)
    object_id = models.PositiveBigIntegerField(_("事项"))
    created_at = models.DateTimeField(_("办理时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("以领导小组名义办理的事项")
        verbose_name_plural = _("以领导小组名义办理的事项")
        constraints = [
            models.UniqueConstraint(fields=["model", "object_id"], name="group_act_unique_object")
        ]

    def __str__(self) -> str:
        return f"{self.group} · {self.model}#{self.object_id}"


class IssuedVersion(models.Model):
    """What every version of data an org issues for its subtree records (the escalation
    ladder, the warning scale): who issued it, its number, the year it applies from, its
    出处, and whether lower levels may tighten it. Subclasses add the issuer (for their
    own related name) and the data."""

    issuer_name = models.CharField(_("制定机关"), max_length=200)
    version = models.PositiveIntegerField(_("版本"))
    year = models.PositiveIntegerField(_("年度"))
    source = models.CharField(_("出处"), max_length=200)
    allow_tighten = models.BooleanField(_("允许下级从严"), default=True)
    created_at = models.DateTimeField(_("制定时间"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["issuer", "-year", "-version"]

    def __str__(self) -> str:
        return f"{self.issuer_name} 第{self.version}版"


class ImportRun(models.Model):
    """One import of a checked file, written in short batches.

    A run left unfinished (the process died, or someone changed the same rows
    meanwhile) is finished by importing the same file again: checking it anew
    yields what is still to write. Until then no other file may be imported,
    so each file still lands whole or is being completed.
    """

    class State(models.TextChoices):
        APPLYING = "applying", _("写入中")
        INTERRUPTED = "interrupted", _("已中断")
        DONE = "done", _("已完成")

    file_name = models.CharField(_("文件名"), max_length=255)
    sm3 = models.CharField(_("文件 SM3"), max_length=64)
    state = models.CharField(_("状态"), max_length=16, choices=State, default=State.APPLYING)
    rows_total = models.PositiveIntegerField(_("待写入行数"))
    rows_done = models.PositiveIntegerField(_("已写入行数"), default=0)
    # What the file changes as first checked ({sheet: [created, updated, unchanged]}), and
    # the orgs to recount once written: a rerun sees only what is left of both.
    counts = models.JSONField(_("各表行数"), default=dict)
    touched_org_nos = models.JSONField(_("涉及组织"), default=list)
    parent_org_nos = models.JSONField(_("新组织的上级"), default=list)
    started_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("最后写入时间"), auto_now=True)

    class Meta:
        verbose_name = _("组织人员导入")
        verbose_name_plural = _("组织人员导入")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.rows_done}/{self.rows_total})"
