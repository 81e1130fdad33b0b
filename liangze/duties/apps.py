from django.apps import AppConfig


class DutiesConfig(AppConfig):
    name = "liangze.duties"
    label = "duties"
    verbose_name = "责任清单"

    def ready(self) -> None:
        from liangze.core import integrity, todos
        from liangze.duties import (
            policy,
            tasks,  # noqa: F401 — names its jobs for the 后台任务 page
        )
        from liangze.duties.coverage import tallies
        from liangze.duties.lists import queries as list_queries
        from liangze.duties.lists import todos as duty_todos
        from liangze.orgs import changes

        policy.register()
        todos.register(duty_todos.for_user)
        integrity.register(list_queries.signatures_check)
        changes.register(tallies.refresh_orgs)
