"""One set of queries with the result sets they must give: the suite runs on SQLite and
again on PostgreSQL, so both backends give the same results on small data (E2's SQLite
fallback). Typos and stemming aside: the words here are typed as they are written or as
the start of a word."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from leadhub.documents.actions import upload_document
from leadhub.documents.tests.samples import pdf
from leadhub.enquiries.models import Enquiry
from leadhub.enquiries.notes import add_note
from leadhub.enquiries.project import update_project
from leadhub.orgs.models import User
from leadhub.search.queries import search
from leadhub.search.text import Query, read_query
from leadhub.testing.world import World, deliver, payload

pytestmark = pytest.mark.django_db

PEOPLE = {
    # key: (first, last, e-mail, phone, street, postal code, city, country, language, text)
    "muller": ("Jörg", "Müller", "j.mueller@example.de", "+49 151 23456789", "Hauptstraße 5",
               "80331", "München", "DE", "de", "Wir brauchen neue Fenster für das Haus."),
    "wisniewski": ("Łukasz", "Wiśniewski", "lukasz.w@example.pl", "+48 601 234 567",
                   "ul. Długa 3", "31-001", "Kraków", "PL", "pl", "Okna do nowego domu, pilne."),
    "dubois": ("Élodie", "Dubois", "elodie.dubois@example.fr", "+33 6 12 34 56 78",
               "Rue de la République 8", "69002", "Lyon", "FR", "fr", "Fenêtres en bois, rénovation."),
    "rossi": ("Mario", "Rossi", "mario.rossi@example.it", "0471 555666", "Via Roma 12",
              "39100", "Bolzano", "IT", "it", "Nove finestre per la ristrutturazione."),
    "rossini": ("Gioachino", "Rossini", "g.rossini@example.it", "0461 987654", "Via Verdi 1",
                "38122", "Trento", "IT", "it", "Porta d'ingresso blindata."),
}  # fmt: skip
SAMPLES = {"rossini"}  # asks for a sample; the others for a quote

QUERIES: list[tuple[str, dict[str, str], set[str]]] = [
    ("Müller", {}, {"muller"}),
    ("muller", {}, {"muller"}),
    ("Müll", {}, {"muller"}),
    ("MÜLLER münchen", {}, {"muller"}),
    ("wisniewski", {}, {"wisniewski"}),
    ("Wiśniewski kraków", {}, {"wisniewski"}),
    ("krakow", {}, {"wisniewski"}),
    ("elodie", {}, {"dubois"}),
    ("Élodie Dubois", {}, {"dubois"}),
    ("rossi", {}, {"rossi", "rossini"}),
    ("rossini", {}, {"rossini"}),
    ("mario rossi", {}, {"rossi"}),
    ("mario.rossi@example.it", {}, {"rossi"}),
    ("g.rossini", {}, {"rossini"}),
    ("555666", {}, {"rossi"}),
    ("0471", {}, {"rossi"}),
    ("3456789", {}, {"muller"}),
    ("bolz", {}, {"rossi"}),
    ("Hauptstraße", {}, {"muller"}),
    ("fenster", {}, {"muller"}),
    ("okna", {}, {"wisniewski"}),
    ("bois", {}, {"dubois"}),  # Dubois is not "bois", "en bois" is
    ("blindata", {}, {"rossini"}),
    ("Cantiere", {}, {"rossi"}),  # the project's name (site)
    ("Lungadige", {}, {"rossi"}),  # the site's street
    ("Lungadige", {"category": "site"}, {"rossi"}),
    ("Lungadige", {"category": "contact"}, set()),
    ("rossi", {"category": "contact"}, {"rossi", "rossini"}),
    ("trento", {"category": "site"}, set()),
    ("trento", {}, {"rossini"}),
    ("sopralluogo", {}, {"rossini"}),  # a note
    ("sopralluogo", {"category": "notes"}, {"rossini"}),
    ("sopralluogo", {"category": "contact"}, set()),
    ("preventivo", {"category": "documents"}, {"rossi"}),  # a document's name
    ("preventivo", {"category": "notes"}, set()),
    ("rossi preventivo", {}, {"rossi"}),
    ("xyzzy", {}, set()),
    ("rossi xyzzy", {}, set()),
    ("rossi", {"type": "sample"}, {"rossini"}),
    ("rossi", {"type": "quote"}, {"rossi"}),
    ("rossi", {"type": "quote", "category": "contact"}, {"rossi"}),
    ("sopralluogo", {"type": "quote"}, set()),
    ("555666", {"type": "sample"}, set()),
    ("Via", {"type": "sample"}, {"rossini"}),
]


@pytest.fixture
def enquiries(world: World, client: object) -> dict[str, Enquiry]:
    from django.test import Client

    made = {}
    for key, (first, last, email, phone, street, code, city, country, lang, text) in PEOPLE.items():
        body = payload(text=text, type="sample" if key in SAMPLES else "quote")
        body["contact"] = {
            "first_name": first,
            "last_name": last,
            "email": email,
            "phone": phone,
            "language": lang,
            "address": {"street": street, "postal_code": code, "city": city, "country": country},
        }
        answer = deliver(Client(), body)
        assert answer.status_code in (200, 201), answer.content
        made[key] = Enquiry.objects.get(number=answer.json()["number"])
    by = User.objects.get(username="dispatcher")
    now = timezone.now()
    update_project(
        made["rossi"],
        by=by,
        now=now,
        values={
            "project_name": "Cantiere Gries",
            "site_street": "Lungadige 4",
            "site_city": "Bolzano",
        },
    )
    add_note(made["rossini"], by=by, text="Sopralluogo fissato per giovedì.")
    upload_document(
        made["rossi"], by=by, upload=SimpleUploadedFile("Preventivo 2025.pdf", pdf()), now=now
    )
    return made


@pytest.mark.parametrize(("q", "params", "expected"), QUERIES, ids=[q for q, p, _ in QUERIES])
def test_the_same_results_on_both_databases(
    enquiries: dict[str, Enquiry], q: str, params: dict[str, str], expected: set[str]
) -> None:
    user = User.objects.get(username="dispatcher")
    results = search(user, _query(q, params))
    names = {pk: key for key, e in enquiries.items() for pk in [e.pk]}
    assert {names[h.enquiry.pk] for h in results.hits} == expected


def _query(q: str, params: dict[str, str]) -> Query:
    return read_query(q, category=params.get("category", ""), type=params.get("type", ""))


# newest.py's ways to the newest matches (PostgreSQL; SQLite walks whatever they say).
WAYS = {
    "the probe looks through them all": {},
    "a probe, then the walk goes on": {"PROBE": 2, "WALK_SHARE": 0.0},
    "a probe, then bitmaps": {"PROBE": 2, "WALK_SHARE": 2.0},
    "a probe, then bitmaps of every word": {"PROBE": 2, "WALK_SHARE": 2.0, "INDEXED_SHARE": 1.0},
    "a probe, bitmaps too dense, a walk": {"PROBE": 2, "WALK_SHARE": 2.0, "FEW": 0},
}


@pytest.mark.parametrize(("q", "params", "expected"), QUERIES, ids=[q for q, p, _ in QUERIES])
def test_every_way_to_the_newest_matches_finds_the_same(
    enquiries: dict[str, Enquiry],
    q: str,
    params: dict[str, str],
    expected: set[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    user = User.objects.get(username="dispatcher")
    names = {pk: key for key, e in enquiries.items() for pk in [e.pk]}
    for way, knobs in WAYS.items():
        with monkeypatch.context() as m:
            for name, value in knobs.items():
                m.setattr(f"leadhub.search.newest.{name}", value)
            results = search(user, _query(q, params))
        assert {names[h.enquiry.pk] for h in results.hits} == expected, way


@pytest.mark.parametrize("way", WAYS.values(), ids=WAYS.keys())
def test_each_way_to_the_newest_matches_ranks_the_same_ones(
    enquiries: dict[str, Enquiry], way: dict[str, float], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With one candidate ranked, "rossi" (two matches) ranks the newer, and says more."""
    monkeypatch.setattr("leadhub.search.newest.CANDIDATES", 1)
    for name, value in way.items():
        monkeypatch.setattr(f"leadhub.search.newest.{name}", value)
    results = search(User.objects.get(username="dispatcher"), read_query("rossi"))
    assert results.more and [h.enquiry.pk for h in results.hits] == [enquiries["rossini"].pk]
