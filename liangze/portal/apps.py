from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The pages every user lands on: home with to-dos, the menu, the audit log viewer.

    It sits on top of the domain apps, because the menu names all of them.
    """

    name = "liangze.portal"
    label = "portal"
    verbose_name = "门户"
