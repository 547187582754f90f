from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "leadhub.contacts"
    label = "contacts"
