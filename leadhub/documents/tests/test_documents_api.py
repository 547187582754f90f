"""Documents through the API: upload, thumbnails, favourites, removal, and who sees what."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from PIL import Image

from leadhub.documents import actions
from leadhub.documents.actions import upload_document
from leadhub.documents.models import Document
from leadhub.documents.tasks import make_thumbnail
from leadhub.enquiries.models import Enquiry, HistoryEntry
from leadhub.orgs.models import User
from leadhub.testing.handoff import TRENTO, build_handoff_world
from leadhub.testing.world import World, api_token, deliver, payload

from .samples import pdf, png

pytestmark = pytest.mark.django_db


def docs_url(number: str, doc: int | None = None, rest: str = "") -> str:
    base = f"/api/v1/enquiries/{number.replace('/', '-')}/documents"
    return base + (f"/{doc}" if doc else "") + rest


def upload(client: Client, number: str, auth: dict[str, str], name: str, data: bytes) -> Any:
    return client.post(docs_url(number), {"file": SimpleUploadedFile(name, data)}, headers=auth)


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def stored_files(settings: Any) -> list[Path]:
    return [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


@pytest.fixture
def number(world: World, client: Client) -> str:
    return str(deliver(client, payload()).json()["number"])


@pytest.fixture
def dispatcher(client: Client, world: World) -> dict[str, str]:
    return api_token(client, "dispatcher")


def test_upload_then_thumbnail_then_download(
    number: str, client: Client, dispatcher: dict[str, str], settings: Any
) -> None:
    before = Enquiry.objects.get(number=number).updated_at
    response = upload(client, number, dispatcher, "site photo.PNG", png(600, 300))
    assert response.status_code == 201, response.content
    doc = response.json()
    assert doc["filename"] == "site photo.png" and doc["content_type"] == "image/png"
    assert (doc["kind"], doc["favourite"], doc["uploaded_by"]) == ("image", False, "dispatcher")
    assert doc["thumbnail_pending"] and doc["thumbnail_url"] is None
    # Drawn by the worker: the task was written with the upload.
    task = DBTaskResult.objects.get()
    assert task.task_path.endswith("make_thumbnail") and task.args_kwargs["args"] == [doc["id"]]
    assert make_thumbnail.call(doc["id"]) != "icon"
    listed = client.get(docs_url(number), headers=dispatcher).json()["items"]
    assert [d["id"] for d in listed] == [doc["id"]] and not listed[0]["thumbnail_pending"]
    thumb = client.get(listed[0]["thumbnail_url"], headers=dispatcher)
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/webp"
    assert Image.open(io.BytesIO(body(thumb))).size == (240, 120)

    download = client.get(doc["download_url"], headers=dispatcher)
    assert download.status_code == 200
    assert body(download) == png(600, 300)
    assert download["Content-Type"] == "image/png"
    assert download["Content-Disposition"] == 'attachment; filename="site photo.png"'
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "private" in download["Cache-Control"]
    # History (category document) and C7: the enquiry changed.
    entry = HistoryEntry.objects.get(category="document")
    assert (entry.kind, entry.message) == ("document_added", "Added document “site photo.png”.")
    assert Enquiry.objects.get(number=number).updated_at > before
    # Stored under a random name, not the user's.
    assert all("photo" not in p.name for p in stored_files(settings))


def test_a_pdf_gets_a_thumbnail_a_spreadsheet_an_icon(
    number: str, client: Client, dispatcher: dict[str, str]
) -> None:
    pdf_doc = upload(client, number, dispatcher, "offer.pdf", pdf()).json()
    make_thumbnail.call(pdf_doc["id"])
    assert Document.objects.get(pk=pdf_doc["id"]).thumbnail
    text = upload(client, number, dispatcher, "notes.txt", b"Call after 6 pm").json()
    assert (text["kind"], text["thumbnail_pending"]) == ("text", False)  # nothing to draw
    assert DBTaskResult.objects.count() == 1
    assert (
        client.get(docs_url(number, text["id"], "/thumbnail"), headers=dispatcher).status_code
        == 404
    )


def test_a_file_larger_than_memory_uploads_go_through_a_temporary_file(
    number: str, client: Client, dispatcher: dict[str, str]
) -> None:
    data = b"line of text\n" * 250_000  # 3.25 MB: Django spools it to disk (above 2.5 MB)
    doc = upload(client, number, dispatcher, "log.txt", data).json()
    assert doc["size"] == len(data)
    assert body(client.get(doc["download_url"], headers=dispatcher)) == data


def test_the_same_file_twice_is_one_document(
    number: str, client: Client, dispatcher: dict[str, str], settings: Any
) -> None:
    first = upload(client, number, dispatcher, "plan.pdf", pdf())
    again = upload(client, number, dispatcher, "plan (1).pdf", pdf())
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert Document.objects.count() == 1 and len(stored_files(settings)) == 1
    assert HistoryEntry.objects.filter(category="document").count() == 1
    # Once removed, the same file may come back as a new document.
    client.delete(docs_url(number, first.json()["id"]), headers=dispatcher)
    assert upload(client, number, dispatcher, "plan.pdf", pdf()).status_code == 201


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("big.png", png(), "at most 0 MB"),
        ("empty.txt", b"", "The file is empty."),
        ("setup.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", "not accepted"),
        ("page.svg", b"\x00<svg onload=alert(1)>", "not accepted"),
    ],
)
def test_refusals_store_nothing(
    number: str,
    client: Client,
    dispatcher: dict[str, str],
    settings: Any,
    name: str,
    data: bytes,
    message: str,
) -> None:
    if name == "big.png":
        settings.DOCUMENT_MAX_BYTES = 1000
    response = upload(client, number, dispatcher, name, data)
    assert response.status_code == 422 and message in response.json()["detail"]
    assert not Document.objects.exists() and not stored_files(settings)
    assert not HistoryEntry.objects.filter(category="document").exists()


def test_favourites_first_then_newest_and_removal(
    number: str, client: Client, dispatcher: dict[str, str], time_machine: Any
) -> None:
    time_machine.move_to(timezone.now(), tick=False)
    ids = []
    for name, data in (("a.png", png()), ("b.pdf", pdf()), ("c.txt", b"third")):
        ids.append(upload(client, number, dispatcher, name, data).json()["id"])
        time_machine.shift(60)
    a, b, c = ids

    def order() -> list[int]:
        return [d["id"] for d in client.get(docs_url(number), headers=dispatcher).json()["items"]]

    assert order() == [c, b, a]
    starred = client.patch(
        docs_url(number, a),
        {"favourite": True},
        content_type="application/json",
        headers=dispatcher,
    )
    assert starred.status_code == 200 and starred.json()["favourite"] is True
    assert order() == [a, c, b]
    assert client.delete(docs_url(number, c), headers=dispatcher).status_code == 204
    assert order() == [a, b]
    assert client.get(docs_url(number, c), headers=dispatcher).status_code == 404
    assert Document.objects.get(pk=c).removed_at is not None  # kept for the audit trail
    assert client.delete(docs_url(number, c), headers=dispatcher).status_code == 404
    kinds = list(
        HistoryEntry.objects.filter(category="document")
        .order_by("id")
        .values_list("kind", flat=True)
    )
    assert kinds[-2:] == ["document_favourite", "document_removed"]


@pytest.mark.parametrize("username", ["other-user", "dealer-a-user", "dealer-b-user"])
def test_other_organisations_get_404_everywhere(
    number: str, client: Client, dispatcher: dict[str, str], username: str
) -> None:
    doc = upload(client, number, dispatcher, "a.png", png()).json()["id"]
    make_thumbnail.call(doc)
    auth = api_token(client, username)
    assert client.get(docs_url(number), headers=auth).status_code == 404
    assert upload(client, number, auth, "b.pdf", pdf()).status_code == 404
    assert client.get(docs_url(number, doc), headers=auth).status_code == 404
    assert client.get(docs_url(number, doc, "/thumbnail"), headers=auth).status_code == 404
    patch = client.patch(
        docs_url(number, doc), {"favourite": True}, content_type="application/json", headers=auth
    )
    assert patch.status_code == 404
    assert client.delete(docs_url(number, doc), headers=auth).status_code == 404
    assert Document.objects.filter(removed_at__isnull=True, favourite=False).count() == 1


def test_a_viewer_reads_but_does_not_change(
    number: str, client: Client, dispatcher: dict[str, str]
) -> None:
    doc = upload(client, number, dispatcher, "a.png", png()).json()["id"]
    User.objects.filter(username="sales").update(roles=["viewer"])
    viewer = api_token(client, "sales")
    assert [d["id"] for d in client.get(docs_url(number), headers=viewer).json()["items"]] == [doc]
    assert client.get(docs_url(number, doc), headers=viewer).status_code == 200
    assert upload(client, number, viewer, "b.pdf", pdf()).status_code == 403
    patch = client.patch(
        docs_url(number, doc), {"favourite": True}, content_type="application/json", headers=viewer
    )
    assert patch.status_code == 403
    assert client.delete(docs_url(number, doc), headers=viewer).status_code == 403
    assert Document.objects.filter(removed_at__isnull=True, favourite=False).count() == 1


def test_partner_and_brand_see_what_is_theirs_to_see(db: None, client: Client) -> None:
    """Preview: nothing. After the hand-off the partner sees the brand's documents; the brand
    sees only its own, never the partner's (they may hold quote amounts), not even by name."""
    build_handoff_world()
    body = payload()
    body["contact"]["address"] = dict(TRENTO)
    number = deliver(client, body).json()["number"]  # offered to Dealer A
    brand = api_token(client, "dispatcher")
    plan = upload(client, number, brand, "plan.png", png()).json()["id"]
    partner = api_token(client, "dealer-a-user")
    assert client.get(docs_url(number), headers=partner).status_code == 404
    assert client.get(docs_url(number, plan), headers=partner).status_code == 404
    assert upload(client, number, partner, "x.pdf", pdf()).status_code == 404

    accept = client.post(f"/api/v1/enquiries/{number.replace('/', '-')}/accept", headers=partner)
    assert accept.status_code == 200
    quote = upload(client, number, partner, "Quote 18400 EUR.pdf", pdf()).json()["id"]
    partner_sees = client.get(docs_url(number), headers=partner).json()["items"]
    assert {d["id"] for d in partner_sees} == {plan, quote}

    brand_sees = client.get(docs_url(number), headers=brand).json()["items"]
    assert [d["id"] for d in brand_sees] == [plan]
    assert client.get(docs_url(number, quote), headers=brand).status_code == 404
    assert client.get(docs_url(number, plan), headers=brand).status_code == 200
    assert upload(client, number, brand, "y.pdf", pdf()).status_code == 403
    detail = client.get(f"/api/v1/enquiries/{number.replace('/', '-')}", headers=brand).json()
    messages = " ".join(h["message"] for h in detail["history"])
    assert "plan.png" in messages and "18400" not in messages


def test_a_concurrent_duplicate_or_a_failed_write_leaves_no_file(
    number: str, world: World, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The unique index decides between two uploads of one file at once; the loser's file
    goes. A write that fails after the file was stored takes the file with it."""
    enquiry = Enquiry.objects.get(number=number)
    by = User.objects.get(username="dispatcher")
    first, created = upload_document(
        enquiry, by=by, upload=SimpleUploadedFile("a.pdf", pdf()), now=timezone.now()
    )
    assert created
    real_live = actions.live
    misses = [Document.objects.none()]  # the first look misses the other, uncommitted upload
    monkeypatch.setattr(actions, "live", lambda e: misses.pop() if misses else real_live(e))
    again, created = upload_document(
        enquiry, by=by, upload=SimpleUploadedFile("a.pdf", pdf()), now=timezone.now()
    )
    assert (again.pk, created) == (first.pk, False) and len(stored_files(settings)) == 1

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("database went away")

    monkeypatch.setattr(actions, "record", broken)
    with pytest.raises(RuntimeError):
        upload_document(
            enquiry, by=by, upload=SimpleUploadedFile("b.png", png()), now=timezone.now()
        )
    assert Document.objects.count() == 1 and len(stored_files(settings)) == 1
