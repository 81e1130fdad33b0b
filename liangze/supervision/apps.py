from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "liangze.supervision"
    label = "supervision"
    verbose_name = "督查督办"

    def ready(self) -> None:
        from liangze.core import todos
        from liangze.supervision import (
            policy,
            tasks,  # noqa: F401 — names its jobs for the 后台任务 page
        )
        from liangze.supervision.rectifications import todos as rectification_todos
        from liangze.supervision.reminders import policy as reminder_policy
        from liangze.supervision.reminders import todos as reminder_todos

        policy.register()
        reminder_policy.register()
        todos.register(rectification_todos.for_user)
        todos.register(reminder_todos.for_user)
