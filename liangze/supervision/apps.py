from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "liangze.supervision"
    label = "supervision"
    verbose_name = "督查督办"

    def ready(self) -> None:
        from liangze.core import todos
        from liangze.supervision import policy
        from liangze.supervision import todos as supervision_todos

        policy.register()
        todos.register(supervision_todos.for_user)
