from django.urls import path

import leadhub.enquiries.converters  # noqa: F401  (registers the path converter)

from . import views
from .views import events as event_views
from .views import exports as export_views
from .views import quotes as quote_views
from .views import reports as report_views

N = "enquiries/<enquirynumber:number>/"

urlpatterns = [
    path("", views.home, name="home"),
    path("enquiries/", views.enquiry_list, name="enquiry-list"),
    path("enquiries/counters/", views.enquiry_counters, name="enquiry-counters"),
    path("enquiries/export/", export_views.export_list, name="enquiry-export"),
    path("exports/", export_views.export_page, name="exports"),
    path("exports/<int:export_id>/file/", export_views.export_file, name="export-file"),
    path("exports/<int:export_id>/again/", export_views.export_again, name="export-again"),
    path("search/", views.search_page, name="search"),
    path("contacts/<int:contact_id>/", views.contact_detail, name="contact-detail"),
    path("contacts/<int:contact_id>/edit/", views.contact_edit, name="contact-edit"),
    path(
        "contacts/<int:contact_id>/colleagues/", views.contact_colleague, name="contact-colleague"
    ),
    path("contacts/<int:contact_id>/consents/", views.contact_consent, name="contact-consent"),
    path("enquiries/bulk/", views.bulk, name="enquiry-bulk"),
    path("enquiries/new/", views.new_enquiry, name="enquiry-new"),
    path("enquiries/new/contacts/", views.contact_choices, name="enquiry-new-contacts"),
    path("me/absences/", views.absences, name="absences"),
    path("me/notices/", views.notices, name="notices"),
    path("admin/rejected/", views.rejected_deliveries, name="rejected-deliveries"),
    path("admin/status-feedback/", views.status_feedback, name="status-feedback"),
    path(N, views.enquiry_detail, name="enquiry-detail"),
    path(N + "accept/", views.accept, name="enquiry-accept"),
    path(N + "reject/", views.reject, name="enquiry-reject"),
    path(N + "assign/", views.assign, name="enquiry-assign"),
    path(
        N + "external/<int:external_id>/resend/",
        views.resend_external,
        name="enquiry-external-resend",
    ),
    path("external/<str:secret>/", views.external_page, name="external"),
    path(
        "external/<str:secret>/documents/<int:document_id>/",
        views.external_document,
        name="external-document",
    ),
    path(N + "route/", views.route_again, name="enquiry-route"),
    path(N + "take-over/", views.take_over_, name="enquiry-take-over"),
    path(N + "actions/<slug:action>/", views.take_action, name="enquiry-action"),
    path(N + "notes/", views.note, name="note-add"),
    path(N + "tags/", views.tags, name="enquiry-tags"),
    path(N + "project/", views.project, name="enquiry-project"),
    path(N + "customer/", views.customer, name="enquiry-customer"),
    path(N + "sharing/", views.sharing, name="enquiry-sharing"),
    path(N + "unread/", views.unread, name="enquiry-unread"),
    path(N + "notes/<int:note_id>/", views.note, name="note-edit"),
    path(N + "notes/<int:note_id>/remove/", views.note, {"remove": True}, name="note-remove"),
    path(N + "quotes/<int:quote_id>/main/", quote_views.quote_main, name="enquiry-quote-main"),
    path(N + "documents/", views.documents, name="documents"),
    path(N + "documents/<int:document_id>/", views.document_file, name="document-file"),
    path(
        N + "documents/<int:document_id>/thumbnail/",
        views.document_thumbnail,
        name="document-thumbnail",
    ),
    path(N + "documents/<int:document_id>/star/", views.document_change, name="document-star"),
    path(
        N + "documents/<int:document_id>/remove/",
        views.document_change,
        {"remove": True},
        name="document-remove",
    ),
    path("reports/", report_views.reports_home, name="reports"),
    path("reports/<slug:name>/", report_views.report, name="report"),
    path(
        "reports/<slug:name>/<slug:table>.<slug:fmt>",
        report_views.report_download,
        name="report-download",
    ),
    path("events/", event_views.event_list, name="events"),
    path("events/new/", event_views.event_edit, name="event-new"),
    path("events/<int:event_id>/", event_views.event_detail, name="event-detail"),
    path("events/<int:event_id>/edit/", event_views.event_edit, name="event-edit"),
    path("events/<int:event_id>/links/", event_views.link_create, name="event-link-create"),
    path(
        "events/<int:event_id>/links/<int:link_id>/revoke/",
        event_views.link_revoke,
        name="event-link-revoke",
    ),
    path("participants/<str:secret>/", event_views.participants, name="participants"),
    path(
        "participants/<str:secret>/list.xlsx",
        event_views.participants_xlsx,
        name="participants-xlsx",
    ),
]
