from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "leadhub.network"
    label = "network"
