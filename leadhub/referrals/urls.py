from django.urls import path

from . import views

urlpatterns = [
    path("referrals/", views.referral_list, name="referral-list"),
    path("referrals/forms/", views.referral_forms, name="referral-forms"),
    path(
        "referrals/forms/<int:form_id>/link/renew/",
        views.form_link,
        {"action": "renew"},
        name="referral-link-renew",
    ),
    path(
        "referrals/forms/<int:form_id>/link/revoke/",
        views.form_link,
        {"action": "revoke"},
        name="referral-link-revoke",
    ),
    path("referrals/<int:referral_id>/", views.detail, name="referral-detail"),
    path(
        "referrals/<int:referral_id>/accept/",
        views.decide,
        {"decision": "accept"},
        name="referral-accept",
    ),
    path(
        "referrals/<int:referral_id>/reject/",
        views.decide,
        {"decision": "reject"},
        name="referral-reject",
    ),
    path("referrals/<int:referral_id>/messages/", views.message, name="referral-message"),
    path(
        "referrals/<int:referral_id>/documents/<int:document_id>/",
        views.document_file,
        name="referral-document",
    ),
    path("r/<str:secret>/", views.public_form, name="referral-public"),
]
