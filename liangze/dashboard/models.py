"""Weekly warning snapshots: the four colours of every unit and person, kept per week
so the trend over the year can be drawn (issue 4 item 7)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from liangze.dashboard.warning import Colour
from liangze.orgs.models import IssuedVersion, Org, Person


class WarningSnapshot(models.Model):
    """One unit's (person empty) or one person's colour in one week, with the metrics behind it.

    A unit's metrics are those of its whole subtree, so a level's table is read from
    its children's rows alone. Written only by the snapshot job, which replaces a
    week's rows when it is run again: the week is the Monday it belongs to.
    Plain ids rather than UUID codes: rows are never addressed one by one, and at
    province scale a week is some 300,000 of them.
    """

    week = models.DateField(_("周（周一）"))
    org = models.ForeignKey(
        Org, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="warning_snapshots"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("人员"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="warning_snapshots",
    )
    colour = models.CharField(_("预警颜色"), max_length=6, choices=Colour.choices)
    metrics = models.JSONField(_("指标"), default=dict)
    scale_code = models.CharField(_("预警标准"), max_length=64)
    scale_version = models.PositiveIntegerField(_("标准版本"))
    taken_on = models.DateField(_("计算日期"))

    class Meta:
        ordering = ["-week", "org", "person"]
        verbose_name = _("预警快照")
        verbose_name_plural = _("预警快照")
        constraints = [
            models.UniqueConstraint(
                fields=["week", "org"], condition=Q(person=None), name="snapshot_one_unit_row"
            ),
            models.UniqueConstraint(
                fields=["week", "org", "person"],
                condition=Q(person__isnull=False),
                name="snapshot_one_person_row",
            ),
        ]
        indexes = [models.Index(fields=["org", "week"], name="snapshot_org_week_idx")]

    def __str__(self) -> str:
        who = self.person.name if self.person_id and self.person else self.org.name
        return f"{self.week:%Y-%m-%d} {who} {self.get_colour_display()}"


class ScaleVersion(IssuedVersion):
    """A four-colour scale as an org issues it for its subtree from a year on.

    scales/*.json are the installation's defaults; the 纪委 of a level may make the
    scale stricter for its subtree — warn sooner, commend less readily — where the
    level above allows it (warning.py). `data` is the whole scale in its file form.
    A version is never edited: a change is a new version, the old one kept.
    """

    issuer = models.ForeignKey(
        Org, verbose_name=_("制定组织"), on_delete=models.PROTECT, related_name="scale_versions"
    )
    data = models.JSONField(_("预警标准"))

    class Meta(IssuedVersion.Meta):
        verbose_name = _("预警标准版本")
        verbose_name_plural = _("预警标准版本")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "version"], name="scale_issuer_version")
        ]
