from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    """The brand's samples and brochures (A8), and the item lines of enquiries."""

    name = "leadhub.catalogue"
    label = "catalogue"
