"""The demo seeders as jobs: a JobRun marks each complete, so a killed seed is resumed."""

from django.utils.translation import gettext_lazy

from liangze.core import jobs

SEED = jobs.named(
    "seed_demo", gettext_lazy("生成演示数据"), orgs=gettext_lazy("组织"), users=gettext_lazy("账号")
)
DASHBOARD = jobs.named(
    "seed_demo_dashboard",
    gettext_lazy("补生成演示预警快照"),
    weeks=gettext_lazy("周数"),
    **{"from": gettext_lazy("起"), "to": gettext_lazy("止")},
)
