"""What an enquiry's search document is made of, as one SELECT for both databases.

`document_rows(where)` reads, per enquiry, the texts of every category; index.py writes
them (and, on PostgreSQL, their tsvectors) with INSERT ... SELECT, so one enquiry after a
note and a million in a reindex or a benchmark go through the same SQL. The parts differ
between PostgreSQL and SQLite only in how texts are aggregated (`_agg`).
"""

from __future__ import annotations

from dataclasses import dataclass

# The enquiry's language (else its contact's) -> text search configuration (migration
# 0001). Each is PostgreSQL's own with unaccent first; Polish and unknown languages, which
# PostgreSQL has no stemmer for, get leadhub_simple (simple + unaccent).
CONFIGS = {
    "de": "leadhub_german",
    "en": "leadhub_english",
    "es": "leadhub_spanish",
    "fr": "leadhub_french",
    "it": "leadhub_italian",
    "pt": "leadhub_portuguese",
}
SIMPLE = "leadhub_simple"
ALL_CONFIGS = (SIMPLE, *CONFIGS.values())


@dataclass(frozen=True)
class Dialect:
    postgres: bool

    def agg(self, expr: str) -> str:
        """The non-empty values of `expr` of a subquery's rows, space-separated ('' if none)."""
        if self.postgres:
            return f"coalesce(string_agg({expr}, ' '), '')"
        return f"coalesce(group_concat({expr}, ' '), '')"


def words(*exprs: str) -> str:
    """SQL: the non-empty values of `exprs`, space-separated (NULLs count as empty)."""
    return "trim(" + " || ' ' || ".join(f"coalesce({e}, '')" for e in exprs) + ")"


@dataclass(frozen=True)
class ContactPart:
    names: str  # SQL: title, names, company (weight A)
    details: str  # SQL: e-mails, phones, address (weight B)
    phones: str  # SQL: phone digits, for the fragment key


def contact_part(d: Dialect) -> ContactPart:
    """The contact's searchable text, in one place. The primary e-mail and phone are
    Contact.email/phone (decision 0044); the further rows (position > 0) join here."""
    more_emails = (
        f"(SELECT {d.agg('ce.email')} FROM contacts_contactemail ce "
        "WHERE ce.contact_id = c.id AND ce.position > 0)"
    )
    more_phones = (
        f"(SELECT {d.agg('cp.phone')} FROM contacts_contactphone cp "
        "WHERE cp.contact_id = c.id AND cp.position > 0)"
    )
    return ContactPart(
        names=words("c.title", "c.first_name", "c.last_name", "c.company"),
        details=words(
            "c.email",
            more_emails,
            "c.phone",
            more_phones,
            "c.street",
            "c.postal_code",
            "c.city",
            "c.province",
            "c.country",
        ),
        phones=f"replace({words('c.phone', more_phones)}, '+', '')",
    )


def _follower() -> str:
    """The brand that reads the enquiry beside its owner: the brand it came from once a
    partner holds it, or the brand a partner shared it with (B10); else NULL."""
    return (
        "CASE WHEN coalesce(e.origin_brand_id, e.shared_with_id) <> e.owner_id "
        "THEN coalesce(e.origin_brand_id, e.shared_with_id) END"
    )


def _config() -> str:
    lang = "lower(substr(coalesce(nullif(e.language, ''), c.language, ''), 1, 2))"
    cases = " ".join(f"WHEN '{code}' THEN '{cfg}'" for code, cfg in CONFIGS.items())
    return f"CASE {lang} {cases} ELSE '{SIMPLE}' END"


def document_rows(d: Dialect, where: str) -> str:
    """SELECT of one row per enquiry matching `where` (over `e`, the enquiry): enquiry_id,
    owner_id, follower_id, created_at, type, config, number, names, details, phones, site,
    responsible, notes, documents, follower_documents."""
    contact = contact_part(d)
    follower = _follower()
    notes = d.agg("h.message")
    docs = d.agg("dd.filename")
    return f"""
SELECT e.id AS enquiry_id, e.owner_id, {follower} AS follower_id, e.created_at, e.type,
  {_config()} AS config, e.number,
  {contact.names} AS names, {contact.details} AS details, {contact.phones} AS phones,
  {words("e.project_name", "e.site_street", "e.site_postal_code", "e.site_city", "e.site_province", "e.site_country")} AS site,
  {words("u.first_name", "u.last_name", "u.username", "un.name", "CASE WHEN o.kind = 'partner' THEN o.name END", "CASE WHEN o.kind = 'partner' THEN o.customer_code END", "(SELECT " + words("x.name", "x.email", "xp.name", "xp.customer_code") + " FROM assignment_externalassignment x LEFT JOIN orgs_organisation xp ON xp.id = x.partner_id WHERE x.enquiry_id = e.id AND x.revoked_at IS NULL AND x.organisation_id = e.owner_id AND " + follower + " IS NULL ORDER BY x.id DESC LIMIT 1)")} AS responsible,
  {words("e.text", f"(SELECT {notes} FROM enquiries_historyentry h WHERE h.enquiry_id = e.id AND h.category = 'note' AND h.removed_at IS NULL AND h.private_to_id IS NULL)")} AS notes,
  (SELECT {docs} FROM documents_document dd WHERE dd.enquiry_id = e.id AND dd.removed_at IS NULL) AS documents,
  (SELECT {docs} FROM documents_document dd WHERE dd.enquiry_id = e.id AND dd.removed_at IS NULL AND dd.organisation_id = {follower}) AS follower_documents
FROM enquiries_enquiry e
JOIN contacts_contact c ON c.id = e.contact_id
LEFT JOIN orgs_user u ON u.id = e.assigned_user_id
LEFT JOIN orgs_orgunit un ON un.id = e.assigned_unit_id
JOIN orgs_organisation o ON o.id = e.owner_id
WHERE {where}"""


def insert_documents(d: Dialect, where: str) -> str:
    """INSERT ... SELECT of the documents of the enquiries matching `where`, replacing
    those that exist."""
    rows = document_rows(d, where)
    text_columns = (
        "enquiry_id, owner_id, follower_id, created_at, type, config, number, key, contact, site, "
        "responsible, notes, documents, follower_documents"
    )
    key = "s.number || ' ' || s.names || ' ' || s.phones"
    texts = (
        "s.enquiry_id, s.owner_id, s.follower_id, s.created_at, s.type, s.config, s.number, "
        + (f"lower(unaccent({key}))" if d.postgres else f"leadhub_fold({key})")
        + ", trim(s.names || ' ' || s.details), s.site, s.responsible, s.notes, s.documents, "
        "s.follower_documents"
    )
    if not d.postgres:
        return (
            f"INSERT INTO search_searchdocument ({text_columns}) SELECT {texts} FROM ({rows}) s "
            + _upsert(text_columns)
        )

    def v(expr: str, weight: str) -> str:
        return f"setweight(to_tsvector(s.config::regconfig, {expr}), '{weight}')"

    vectors = ", ".join(
        [
            v("s.number", "A"),
            v("s.names", "A") + " || " + v("s.details", "B"),
            v("s.site", "B"),
            v("s.responsible", "B"),
            v("s.notes", "C"),
            v("s.documents", "C"),
            "CASE WHEN s.follower_id IS NOT NULL AND s.follower_documents <> s.documents THEN "
            + v("s.follower_documents", "C")
            + " END",
        ]
    )
    return (
        f"INSERT INTO search_searchdocument ({text_columns}, v_number, v_contact, v_site, "
        f"v_responsible, v_notes, v_documents, v_follower_documents) "
        # OFFSET 0 keeps PostgreSQL from pulling the subquery up into each expression that
        # uses its columns, which ran its subqueries (notes, documents) twice.
        f"SELECT {texts}, {vectors} FROM ({rows} OFFSET 0) s "
        + _upsert(
            f"{text_columns}, v_number, v_contact, v_site, v_responsible, v_notes, "
            "v_documents, v_follower_documents"
        )
    )


def _upsert(columns: str) -> str:
    """Insert or replace: one statement, whether the document exists or not. (WHERE true
    tells SQLite's parser the ON CONFLICT belongs to the INSERT, not to a join.)"""
    names = [c.strip() for c in columns.split(",") if c.strip() != "enquiry_id"]
    sets = ", ".join(f"{n} = excluded.{n}" for n in names)
    return f"WHERE true ON CONFLICT (enquiry_id) DO UPDATE SET {sets}"
