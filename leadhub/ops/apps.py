from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operator commands: serve, demo."""

    name = "leadhub.ops"
    label = "ops"
