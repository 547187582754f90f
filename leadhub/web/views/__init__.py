"""Web pages: short function views; every one starts from an access-checked query."""

from .bulk import bulk
from .documents import document_change, document_file, document_thumbnail, documents
from .enquiries import enquiry_detail, enquiry_list, home
from .notes import note, project, tags
from .offers import accept, assign, reject, route_again, take_over_
from .pipeline import take_action
from .profile import absences, notices, set_language

__all__ = [
    "absences",
    "accept",
    "assign",
    "bulk",
    "document_change",
    "document_file",
    "document_thumbnail",
    "documents",
    "enquiry_detail",
    "enquiry_list",
    "home",
    "note",
    "notices",
    "project",
    "reject",
    "route_again",
    "set_language",
    "tags",
    "take_action",
    "take_over_",
]
