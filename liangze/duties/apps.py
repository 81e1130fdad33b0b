from django.apps import AppConfig


class DutiesConfig(AppConfig):
    name = "liangze.duties"
    label = "duties"
    verbose_name = "责任清单"

    def ready(self) -> None:
        from liangze.duties import policy

        policy.register()
