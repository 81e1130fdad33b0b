from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "liangze.ledger"
    label = "ledger"
    verbose_name = "工作台账"

    def ready(self) -> None:
        from liangze.core import todos
        from liangze.ledger import policy
        from liangze.ledger import todos as ledger_todos

        policy.register()
        todos.register(ledger_todos.for_user)
