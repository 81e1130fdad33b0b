from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from liangze.core import access

# Modules that are coming: named in the navigation, grey until built.
COMING = [
    (_("督查督办"), "bi-binoculars"),
    (_("考核评价"), "bi-clipboard-data"),
    (_("述责述廉"), "bi-mic"),
    (_("问责追责"), "bi-exclamation-octagon"),
    (_("警示教育"), "bi-book"),
    (_("廉政档案"), "bi-folder2-open"),
    (_("统计报表"), "bi-bar-chart"),
]


def _item(label: Any, icon: str, url: str | None = None) -> dict[str, Any]:
    return {"label": label, "icon": icon, "url": url}


def _built(user: Any) -> list[dict[str, Any]]:
    role = access.role(user)
    items = [{"label": _("首页"), "icon": "bi-house", "url": reverse("core:home")}]
    if role in ("", access.SYSTEM):
        items += [
            {"label": _("组织机构"), "icon": "bi-diagram-3", "url": reverse("orgs:tree")},
            {"label": _("人员"), "icon": "bi-people", "url": reverse("orgs:people")},
        ]
    if role == "":
        items.append(_item(_("责任清单"), "bi-card-checklist", reverse("duties:index")))
        items.append(_item(_("工作台账"), "bi-journal-text", reverse("ledger:index")))
    if role == access.SYSTEM:
        items.append(_item(_("数据导入"), "bi-upload", reverse("orgs:import")))
    if role == access.SECURITY:
        items.append(
            {"label": _("账号管理"), "icon": "bi-person-gear", "url": reverse("accounts:users")}
        )
    if role == access.AUDITOR:
        items.append(
            {"label": _("审计日志"), "icon": "bi-shield-check", "url": reverse("core:audit")}
        )
    return items


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated:
        return {}
    coming = COMING if not access.role(user) else []
    return {"nav_items": _built(user), "nav_coming": [_item(*entry) for entry in coming]}
