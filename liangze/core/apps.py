from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "liangze.core"
    label = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        from liangze.core import tasks  # noqa: F401 — names its jobs for the 后台任务 page
