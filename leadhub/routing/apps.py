from django.apps import AppConfig


class RoutingConfig(AppConfig):
    name = "leadhub.routing"
    label = "routing"

    def ready(self) -> None:
        # Registers the sweeper's handler for offer deadlines in every process.
        from . import actions  # noqa: F401
