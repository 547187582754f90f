from django.apps import AppConfig


class AssignmentConfig(AppConfig):
    """Assignment by hand (B3): find a target, hand the enquiry to it, or e-mail it (B6)."""

    name = "leadhub.assignment"
    label = "assignment"
