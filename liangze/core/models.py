import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CodedModel(models.Model):
    """A row addressed in URLs and the API by a UUID, never by its serial id."""

    code = models.UUIDField(_("编码"), default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """One append-only line of the audit trail, chained to the one before by SM3.

    `digest` covers every field and the previous digest, so editing or
    deleting any row breaks the chain from there on (NF-3, NF-4).
    """

    class Verb(models.TextChoices):
        LOGIN = "login", _("登录")
        LOGIN_FAILED = "login_failed", _("登录失败")
        LOCKED = "locked", _("账号锁定")
        LOGOUT = "logout", _("退出")
        CREATE = "create", _("新增")
        UPDATE = "update", _("修改")
        DELETE = "delete", _("删除")
        EXPORT = "export", _("导出")
        IMPORT = "import", _("导入")
        READ = "read", _("查阅涉密记录")
        DENIED = "denied", _("越权访问")
        BACKUP = "backup", _("备份")
        RESTORE = "restore", _("恢复备份")

    seq = models.PositiveBigIntegerField(_("序号"), unique=True)
    at = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    actor_name = models.CharField(_("操作人"), max_length=150, blank=True)
    ip = models.CharField(_("地址"), max_length=45, blank=True)
    verb = models.CharField(_("类型"), max_length=16, choices=Verb.choices, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=64, blank=True, db_index=True)
    object_code = models.CharField(_("对象编码"), max_length=64, blank=True, db_index=True)
    object_label = models.CharField(_("对象"), max_length=255, blank=True)
    data = models.JSONField(_("内容"), default=dict, blank=True)
    prev_digest = models.CharField(max_length=64)
    digest = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-seq"]
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        indexes = [models.Index(fields=["actor_name", "at"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.actor_name} {self.get_verb_display()} {self.object_label}"


class AuditHead(models.Model):
    """The chain's tip: one row, locked while an event is appended.

    It also lets verify_audit notice events cut off the end of the chain.
    """

    seq = models.PositiveBigIntegerField(default=0)
    digest = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("审计链头")

    def __str__(self) -> str:
        return f"#{self.seq} {self.digest[:12]}"


def evidence_path(instance: "Evidence", filename: str) -> str:
    # Files are named by their digest: the same photo uploaded twice is stored once,
    # and a stored file cannot be swapped without the digest showing it.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"evidence/{instance.sm3[:2]}/{instance.sm3}.{extension}"


class Evidence(CodedModel):
    """A file that proves work was done: 会议记录、照片、工作记录本、谈话记录 (LEDGER-1)."""

    # By name, not import: core stays below the org tree in the layers.
    org = models.ForeignKey(
        "orgs.Org", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="evidence"
    )
    file = models.FileField(_("文件"), upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小"))
    sm3 = models.CharField(_("SM3 摘要"), max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    is_deleted = models.BooleanField(_("已删除"), default=False)

    class Meta:
        # Created by the ledger before files moved to core; the table kept its name.
        db_table = "ledger_evidence"
        ordering = ["-uploaded_at"]
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    @property
    def is_pdf(self) -> bool:
        return self.content_type == "application/pdf"


class HolidayYear(models.Model):
    """One year's holidays and 调休 working days, entered from the State Council's notice.

    chinesecalendar ships the years announced before its release; a later year is
    entered here until the library catches up, and core.workdays reads both. A year
    the library ships is never entered: the library's data is checked by many users,
    and past deadlines must not move because someone typed a date.
    """

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    notice_title = models.CharField(_("通知名称"), max_length=200)
    notice_number = models.CharField(_("文号"), max_length=50)
    # [{"name": "元旦", "start": "2027-01-01", "end": "2027-01-03"}, …]: the whole
    # arrangement is one notice, entered and corrected as one piece.
    holidays = models.JSONField(_("放假安排"), default=list)
    # [{"name": "春节", "day": "2027-02-07"}, …]: weekend days that are working days.
    workdays = models.JSONField(_("调休上班日"), default=list)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("录入时间"))

    class Meta:
        ordering = ["-year"]
        verbose_name = _("节假日安排")
        verbose_name_plural = _("节假日安排")

    def __str__(self) -> str:
        return f"{self.year}年节假日安排"


class JobRun(models.Model):
    """One run of a scheduled job (or of its command), claimed before it starts.

    `(job, slot)` is unique, so of several workers firing the same schedule slot one
    inserts the row and the others skip; and at most one run per job is `running`, so a
    command started while the job runs is refused instead of doubling its work.
    """

    class State(models.TextChoices):
        RUNNING = "running", _("运行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    job = models.CharField(_("任务"), max_length=64)
    # The schedule slot ("2026-07-20" for a daily job, the Monday for a weekly one), or
    # "manual:<time>" for a run started by hand.
    slot = models.CharField(_("时段"), max_length=64)
    state = models.CharField(_("状态"), max_length=16, choices=State.choices)
    started_at = models.DateTimeField(_("开始时间"))
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    host = models.CharField(_("主机"), max_length=255, blank=True)
    pid = models.PositiveIntegerField(_("进程号"), default=0)
    counts = models.JSONField(_("结果"), default=dict, blank=True)
    error = models.TextField(_("错误"), blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("后台任务运行")
        verbose_name_plural = _("后台任务运行")
        constraints = [
            models.UniqueConstraint(fields=["job", "slot"], name="jobrun_one_per_slot"),
            models.UniqueConstraint(
                fields=["job"], condition=models.Q(state="running"), name="jobrun_one_running"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.job} {self.slot} {self.get_state_display()}"


class Submission(models.Model):
    """A sent form that makes a row: its one-time token, and the row it made.

    The token is unique, so when the same form arrives twice (a double click on 保存,
    a resend after a lost answer) the second finds the row the first made instead of
    making another. Written in the transaction that makes the row: a refused attempt
    leaves no token behind, and the corrected form may use it again.
    """

    token = models.UUIDField(_("表单令牌"), unique=True)
    content_type = models.ForeignKey(
        "contenttypes.ContentType",
        verbose_name=_("对象类型"),
        null=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    object_id = models.PositiveBigIntegerField(_("对象编号"), null=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("表单提交")
        verbose_name_plural = _("表单提交")

    def __str__(self) -> str:
        return str(self.token)
