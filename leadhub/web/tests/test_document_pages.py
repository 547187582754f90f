"""Documents on the enquiry page (C4): upload, thumbnails, star, remove, download; access."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from leadhub.documents.models import Document
from leadhub.documents.tasks import make_thumbnail
from leadhub.documents.tests.samples import pdf, png
from leadhub.orgs.models import User
from leadhub.testing.handoff import TRENTO, build_handoff_world
from leadhub.testing.world import World, deliver, login, payload

pytestmark = pytest.mark.django_db


def page_url(number: str, rest: str = "") -> str:
    return f"/enquiries/{number.replace('/', '-')}/{rest}"


def upload(client: Client, number: str, name: str, data: bytes) -> Any:
    return client.post(
        page_url(number, "documents/"), {"file": SimpleUploadedFile(name, data)}, follow=True
    )


@pytest.fixture
def number(world: World, client: Client) -> str:
    return str(deliver(client, payload()).json()["number"])


def test_upload_shows_an_icon_until_the_thumbnail_is_drawn(number: str, client: Client) -> None:
    login(client, "dispatcher")
    response = upload(client, number, "kitchen.png", png())
    assert response.redirect_chain[-1][0] == page_url(number) + "#documents"
    page = response.content.decode()
    assert "Added “kitchen.png”." in page and "kitchen.png" in page
    doc = Document.objects.get()
    # Still drawing: the section reloads itself (htmx) and shows the file's badge.
    assert 'hx-trigger="load delay:2s"' in page and ">PNG</span>" in page
    make_thumbnail.call(doc.pk)
    partial = client.get(page_url(number, "documents/"), headers={"HX-Request": "true"})
    section = partial.content.decode()
    assert "<html" not in section and 'id="documents"' in section
    assert page_url(number, f"documents/{doc.pk}/thumbnail/") in section
    assert "hx-trigger" not in section  # drawn: no more reloading
    assert client.get(page_url(number, "documents/"))["Location"].endswith("/#documents")
    thumb = client.get(page_url(number, f"documents/{doc.pk}/thumbnail/"))
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/webp"
    download = client.get(page_url(number, f"documents/{doc.pk}/"))
    assert download["Content-Disposition"] == 'attachment; filename="kitchen.png"'
    assert download["X-Content-Type-Options"] == "nosniff"


def test_star_and_remove(number: str, client: Client) -> None:
    login(client, "dispatcher")
    upload(client, number, "first.pdf", pdf())
    upload(client, number, "second.txt", b"later")
    first = Document.objects.get(filename="first.pdf")
    page = client.get(page_url(number)).content.decode()
    assert page.index("second.txt") < page.index("first.pdf")  # newest first
    client.post(page_url(number, f"documents/{first.pk}/star/"), {"favourite": "1"})
    page = client.get(page_url(number)).content.decode()
    assert page.index("first.pdf") < page.index("second.txt")  # favourites first
    assert 'aria-pressed="true"' in page
    client.post(page_url(number, f"documents/{first.pk}/remove/"))
    page = client.get(page_url(number)).content.decode()
    assert "Removed document “first.pdf”." in page  # the history says so
    assert page_url(number, f"documents/{first.pk}/") not in page
    assert client.get(page_url(number, f"documents/{first.pk}/")).status_code == 404


def test_refusal_is_shown_and_nothing_is_stored(number: str, client: Client) -> None:
    login(client, "dispatcher")
    page = upload(client, number, "tool.pdf", b"MZ\x90\x00 not a pdf").content.decode()
    assert "This kind of file is not accepted." in page
    page = client.post(page_url(number, "documents/"), follow=True).content.decode()
    assert "Choose a file to upload." in page
    assert not Document.objects.exists()


@pytest.mark.parametrize("username", ["other-user", "dealer-a-user"])
def test_other_organisations_get_404(number: str, client: Client, username: str) -> None:
    login(client, "dispatcher")
    upload(client, number, "a.png", png())
    doc = Document.objects.get()
    make_thumbnail.call(doc.pk)
    client.logout()
    login(client, username)
    for url in ("documents/", f"documents/{doc.pk}/", f"documents/{doc.pk}/thumbnail/"):
        assert client.get(page_url(number, url)).status_code == 404, url
    for url in ("documents/", f"documents/{doc.pk}/star/", f"documents/{doc.pk}/remove/"):
        assert client.post(page_url(number, url), {"favourite": "1"}).status_code == 404, url
    assert Document.objects.filter(removed_at__isnull=True, favourite=False).count() == 1


def test_a_viewer_sees_documents_without_the_controls(number: str, client: Client) -> None:
    login(client, "dispatcher")
    upload(client, number, "a.png", png())
    doc = Document.objects.get()
    User.objects.filter(username="sales").update(roles=["viewer"])
    client.logout()
    login(client, "sales")
    page = client.get(page_url(number)).content.decode()
    assert "a.png" in page and 'type="file"' not in page and "/star/" not in page
    assert client.get(page_url(number, f"documents/{doc.pk}/")).status_code == 200
    assert client.post(page_url(number, f"documents/{doc.pk}/remove/")).status_code == 404
    assert upload(client, number, "b.pdf", pdf()).status_code == 404


def test_preview_partner_sees_no_documents_the_brand_only_its_own(db: None, client: Client) -> None:
    build_handoff_world()
    body = payload()
    body["contact"]["address"] = dict(TRENTO)
    number = deliver(client, body).json()["number"]
    login(client, "dispatcher")
    upload(client, number, "plan.png", png())
    client.logout()
    login(client, "dealer-a-user")
    preview = client.get(page_url(number)).content.decode()
    assert "plan.png" not in preview
    assert client.get(page_url(number, "documents/")).status_code == 404
    client.post(page_url(number, "accept/"))
    page = upload(client, number, "Quote 18400.pdf", pdf()).content.decode()
    assert "plan.png" in page and "Quote 18400.pdf" in page
    client.logout()
    login(client, "dispatcher")
    page = client.get(page_url(number)).content.decode()
    assert "plan.png" in page and "18400" not in page
    assert 'type="file"' not in page
