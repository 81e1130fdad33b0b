from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "liangze.dashboard"
    label = "dashboard"
    verbose_name = "监督看板"

    def ready(self) -> None:
        from liangze.dashboard import policy

        policy.register()
