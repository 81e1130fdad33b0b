from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "liangze.notices"
    label = "notices"
    verbose_name = "三书"

    def ready(self) -> None:
        from liangze.core import todos
        from liangze.notices import policy
        from liangze.notices import todos as notice_todos

        policy.register()
        todos.register(notice_todos.for_user)
