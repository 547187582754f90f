"""Who sees which documents of an enquiry (docs/decisions/0014-who-sees-documents.md).

The owner's users who see the enquiry see all its documents. A partner with a pending
offer sees none: documents carry personal data. The brand following a partner's enquiry
(ORIGIN) sees only the documents it uploaded itself while it held the enquiry: the
partner's may hold quotes with amounts, which are never the brand's to read.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from leadhub.enquiries.models import Enquiry
from leadhub.enquiries.queries import Access, enquiry_for_user
from leadhub.orgs.models import User

from .models import Document


def documents_for(user: User, access: Access, enquiry: Enquiry) -> QuerySet[Document]:
    """The documents `user` sees, favourites first, then the newest."""
    docs = Document.objects.filter(enquiry=enquiry, removed_at__isnull=True)
    org = user.organisation_id
    if access is Access.ORIGIN and org is not None:
        docs = docs.filter(organisation_id=org)
    elif access is not Access.OWNER:
        return Document.objects.none()
    return docs.select_related("uploaded_by").order_by("-favourite", "-uploaded_at", "-id")


def document_for(user: User, number: str, document_id: int) -> tuple[Document, Enquiry, Access]:
    """One document the user may see; 404 otherwise, as for enquiries (decision 0006)."""
    enquiry, access = enquiry_for_user(user, number)
    doc = documents_for(user, access, enquiry).filter(pk=document_id).first()
    if doc is None:
        raise Http404("No such document.")
    return doc, enquiry, access
