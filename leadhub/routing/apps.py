from django.apps import AppConfig


class RoutingConfig(AppConfig):
    name = "leadhub.routing"
    label = "routing"
