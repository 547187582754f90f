"""Web pages: short function views; every one starts from an access-checked query."""

from .assignment import assign, external_document, external_page, resend_external
from .bulk import bulk
from .contacts import contact_colleague, contact_consent, contact_detail, contact_edit
from .customer import customer
from .documents import document_change, document_file, document_thumbnail, documents
from .enquiries import enquiry_detail, home
from .enquiry_list import enquiry_counters, enquiry_list
from .entry import contact_choices, new_enquiry, sharing
from .feedback import status_feedback
from .notes import note, project, tags, unread
from .offers import accept, reject, route_again, take_over_
from .pipeline import take_action
from .profile import absences, notices, set_language
from .rejected import rejected_deliveries
from .search import search_page

__all__ = [
    "absences",
    "accept",
    "assign",
    "bulk",
    "contact_choices",
    "contact_colleague",
    "contact_consent",
    "contact_detail",
    "contact_edit",
    "customer",
    "document_change",
    "document_file",
    "document_thumbnail",
    "documents",
    "enquiry_counters",
    "enquiry_detail",
    "enquiry_list",
    "external_document",
    "external_page",
    "home",
    "new_enquiry",
    "note",
    "notices",
    "project",
    "reject",
    "rejected_deliveries",
    "resend_external",
    "route_again",
    "search_page",
    "set_language",
    "sharing",
    "status_feedback",
    "tags",
    "take_action",
    "take_over_",
    "unread",
]
