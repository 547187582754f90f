from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    """Status feedback to the brand (F5): an outbox of status changes, delivered in order."""

    name = "leadhub.feedback"
    label = "feedback"
