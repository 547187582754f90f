"""Referral pages: the brand's tab (list, detail, decisions), its forms and links, and the
broker's public form."""

from .forms import form_link, referral_forms
from .public import public_form
from .tab import decide, detail, document_file, message, referral_list

__all__ = [
    "decide",
    "detail",
    "document_file",
    "form_link",
    "message",
    "public_form",
    "referral_forms",
    "referral_list",
]
