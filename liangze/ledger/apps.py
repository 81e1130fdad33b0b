from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "liangze.ledger"
    label = "ledger"
    verbose_name = "工作台账"

    def ready(self) -> None:
        from liangze.ledger import policy

        policy.register()
