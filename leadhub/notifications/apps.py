from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """E-mails and in-app notices, sent after commit through the task queue."""

    name = "leadhub.notifications"
    label = "notifications"
