from django.apps import AppConfig


class DemoConfig(AppConfig):
    """A realistic county year for `make run`, and the generators behind the benchmarks.

    Nothing in production imports it; it imports every app to fill them.
    """

    name = "liangze.demo"
    label = "demo"
    verbose_name = "演示数据"
