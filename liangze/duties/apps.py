from django.apps import AppConfig


class DutiesConfig(AppConfig):
    name = "liangze.duties"
    label = "duties"
    verbose_name = "责任清单"

    def ready(self) -> None:
        from liangze.core import todos
        from liangze.duties import policy
        from liangze.duties.coverage import tallies
        from liangze.duties.lists import todos as duty_todos
        from liangze.orgs import changes

        policy.register()
        todos.register(duty_todos.for_user)
        changes.register(tallies.refresh_orgs)
