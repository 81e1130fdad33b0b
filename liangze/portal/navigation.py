from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from liangze import access
from liangze.accounts.models import User
from liangze.dashboard import policy as dashboard_policy

# Modules that are coming: named in the navigation, grey until built.
COMING = [
    (_("考核评价"), "bi-clipboard-data"),
    (_("述责述廉"), "bi-mic"),
    (_("问责追责"), "bi-exclamation-octagon"),
    (_("警示教育"), "bi-book"),
    (_("廉政档案"), "bi-folder2-open"),
    (_("统计报表"), "bi-bar-chart"),
]


def _item(label: Any, icon: str, url: str | None = None) -> dict[str, Any]:
    return {"label": label, "icon": icon, "url": url}


def _built(user: User) -> list[dict[str, Any]]:
    role = access.role(user)
    items = [_item(_("首页"), "bi-house", reverse("portal:home"))]
    if role in ("", access.SYSTEM):
        items.append(_item(_("组织机构"), "bi-diagram-3", reverse("orgs:tree")))
        items.append(_item(_("人员"), "bi-people", reverse("orgs:people")))
    if role == "":
        items.append(_item(_("责任清单"), "bi-card-checklist", reverse("duties:index")))
        items.append(_item(_("清单覆盖"), "bi-pie-chart", reverse("duties:coverage")))
        items.append(_item(_("工作台账"), "bi-journal-text", reverse("ledger:index")))
        items.append(_item(_("工作活动"), "bi-calendar-check", reverse("ledger:activities")))
        items.append(_item(_("量化指标"), "bi-speedometer2", reverse("ledger:indicators")))
        if access.scope_for(user).bodies:  # the rule pages' audience (ledger.policy)
            items.append(_item(_("规则与标准"), "bi-sliders", reverse("ledger:rules")))
        items.append(_item(_("督促提醒"), "bi-bell", reverse("supervision:reminders")))
        items.append(_item(_("三书"), "bi-envelope-paper", reverse("notices:index")))
        items.append(_item(_("督查检查"), "bi-binoculars", reverse("supervision:inspections")))
        if dashboard_policy.may_watch_any(user):
            items.append(_item(_("监督看板"), "bi-bar-chart-line", reverse("dashboard:index")))
    if role == access.SYSTEM:
        items.append(_item(_("数据导入"), "bi-upload", reverse("orgs:import")))
        items.append(_item(_("节假日安排"), "bi-calendar3", reverse("portal:holidays")))
        items.append(_item(_("后台任务"), "bi-clock-history", reverse("portal:jobs")))
    if role == access.SECURITY:
        items.append(_item(_("账号管理"), "bi-person-gear", reverse("accounts:users")))
    if role == access.AUDITOR:
        items.append(_item(_("审计日志"), "bi-shield-check", reverse("portal:audit")))
    return items


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated:
        return {}
    coming = COMING if not access.role(user) else []
    return {"nav_items": _built(user), "nav_coming": [_item(*entry) for entry in coming]}
