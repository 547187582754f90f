from django.apps import AppConfig


class EventsConfig(AppConfig):
    """Events with landing-page sign-ups and participant-list links (A9)."""

    name = "leadhub.events"
    label = "events"
