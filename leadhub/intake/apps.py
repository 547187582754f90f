from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "leadhub.intake"
    label = "intake"
