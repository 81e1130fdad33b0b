from django.apps import AppConfig


class DutiesConfig(AppConfig):
    name = "liangze.duties"
    label = "duties"
    verbose_name = "责任清单"

    def ready(self) -> None:
        from liangze.core import todos
        from liangze.duties import policy
        from liangze.duties import todos as duty_todos

        policy.register()
        todos.register(duty_todos.for_user)
