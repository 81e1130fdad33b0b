from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "liangze.dashboard"
    label = "dashboard"
    verbose_name = "监督看板"

    def ready(self) -> None:
        from liangze.dashboard import (
            policy,
            tasks,  # noqa: F401 — names its jobs for the 后台任务 page
        )

        policy.register()
