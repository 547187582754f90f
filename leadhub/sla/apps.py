from django.apps import AppConfig


class SlaConfig(AppConfig):
    """Deadlines in working time and the sweeper that fires them."""

    name = "leadhub.sla"
    label = "sla"
