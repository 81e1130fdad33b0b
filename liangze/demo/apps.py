from django.apps import AppConfig


class DemoConfig(AppConfig):
    """A realistic county year for `make run`, and the generators behind the benchmarks.

    Nothing in production imports it; it imports every app to fill them.
    """

    name = "liangze.demo"
    label = "demo"
    verbose_name = "演示数据"

    def ready(self) -> None:
        from liangze.demo import jobs  # noqa: F401 — names its jobs for the 后台任务 page
