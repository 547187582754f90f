from django.apps import AppConfig


class EnquiriesConfig(AppConfig):
    name = "leadhub.enquiries"
    label = "enquiries"
