"""The search document of an enquiry (E2): its searchable text, kept by `index.refresh`.

One row per enquiry, written in the same transaction as whatever changed the text
(decision 0049). The texts are stored as people wrote them (snippets show them, SQLite
matches them folded); on PostgreSQL the `v_*` columns hold each category's tsvector,
built with the configuration of the enquiry's language, and the indexes of migration
0001 serve the search (the GIN index on their concatenation, a trigram index on `key`).
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models


class SearchDocument(models.Model):
    enquiry = models.OneToOneField(
        "enquiries.Enquiry",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_document",
    )
    # Copies of the enquiry's, so the search narrows before it joins: the owner reads all
    # of it, the follower (the brand it came from, or the brand it is shared with) reads
    # all but the owner's documents (decision 0014); anyone else matches by number only.
    owner = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    follower = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    created_at = models.DateTimeField()
    # The enquiry's type, so that a search's type filter is checked on the document and
    # in the indexes it walks or takes bitmaps of, not per enquiry (decision 0058).
    type = models.CharField(max_length=16)
    config = models.CharField(max_length=32)  # text search configuration of the language
    number = models.CharField(max_length=16)
    # Folded number, names, company and phone digits: found by fragments ("0417", "Müll").
    key = models.TextField()
    contact = models.TextField()  # names, company, e-mails, phones, address
    site = models.TextField()  # project name and site address
    responsible = models.TextField()  # user, unit, partner holding it, external recipient
    notes = models.TextField()  # the enquiry's text and its notes (not removed, not private)
    documents = models.TextField()  # names of the documents the owner sees
    follower_documents = models.TextField()  # ... and those the follower sees
    v_number = SearchVectorField(null=True)
    v_contact = SearchVectorField(null=True)
    v_site = SearchVectorField(null=True)
    v_responsible = SearchVectorField(null=True)
    v_notes = SearchVectorField(null=True)
    v_documents = SearchVectorField(null=True)
    # NULL when the follower sees the same documents as the owner (nearly always).
    v_follower_documents = SearchVectorField(null=True)

    class Meta:
        indexes = [
            # Newest first, by reader: a common word is found by walking an owner's and a
            # follower's documents in the order shown, merged, and stopping at the
            # CANDIDATES newest matches; a rarer one by a bitmap of a stretch of them
            # and the word indexes (decisions 0050, 0057).
            # The type last: not ordered by it, but checked on the entry, before the row.
            models.Index(
                fields=["owner", "-created_at", "-enquiry", "type"], name="search_owner_newest"
            ),
            models.Index(
                fields=["follower", "-created_at", "-enquiry", "type"],
                name="search_follower_newest",
                condition=models.Q(follower__isnull=False),
            ),
            models.Index(fields=["-created_at"], name="search_created"),
            # A stretch of one type's documents, for a bitmap: a tenth of the entries of
            # search_created for a type in a tenth of the enquiries (decision 0058).
            models.Index(fields=["type", "-created_at"], name="search_type_created"),
        ]

    def __str__(self) -> str:
        return f"search document of {self.enquiry_id}"

    def text_of(self, category: str, *, follower: bool) -> str:
        if category == "documents" and follower:
            return self.follower_documents
        return str(getattr(self, category))
