from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    """Documents on an enquiry (C4): upload, thumbnails, favourites."""

    name = "leadhub.documents"
    label = "documents"
