from django.urls import path

import leadhub.enquiries.converters  # noqa: F401  (registers the path converter)

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("enquiries/", views.enquiry_list, name="enquiry-list"),
    path("enquiries/<enquirynumber:number>/", views.enquiry_detail, name="enquiry-detail"),
]
