from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "liangze.notices"
    label = "notices"
    verbose_name = "三书"
