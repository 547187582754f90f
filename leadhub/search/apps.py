from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "leadhub.search"
    label = "search"
