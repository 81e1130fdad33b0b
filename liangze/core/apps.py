from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "liangze.core"
    label = "core"
    verbose_name = "基础"
