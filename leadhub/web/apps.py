from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "leadhub.web"
    label = "web"
