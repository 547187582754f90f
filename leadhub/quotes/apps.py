from django.apps import AppConfig


class QuotesConfig(AppConfig):
    """Quotes and orders from the owner's ERP (A7), linked by enquiry number."""

    name = "leadhub.quotes"
    label = "quotes"
