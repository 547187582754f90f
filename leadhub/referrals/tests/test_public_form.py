"""The broker's form behind the private link (A5): good, bad with reasons, double submit,
documents, revoked and renewed links, and nothing of other referrals shown."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from leadhub.documents.tests.samples import pdf, png
from leadhub.orgs.models import User
from leadhub.referrals.actions import live_link, new_link, revoke_link
from leadhub.referrals.models import Referral, ReferralForm, ReferralStatus

from .conftest import answers, form_key_of, submit

pytestmark = pytest.mark.django_db


def test_the_form_opens_without_an_account(link_path: str, client: Client) -> None:
    response = client.get(link_path)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Green Hills" in page and "Brand Windows" in page and "PESEL" in page
    assert len(form_key_of(page)) == 32
    assert response["X-Robots-Tag"] == "noindex" and response["Referrer-Policy"] == "same-origin"
    assert form_key_of(client.get(link_path).content.decode()) != form_key_of(page)


def test_a_good_referral_is_stored_pending_and_normalised(
    link_path: str, form: ReferralForm, client: Client
) -> None:
    response = submit(client, link_path)
    assert response.status_code == 200, response.content.decode()
    assert "reached Brand Windows" in response.content.decode()
    r = Referral.objects.get()
    assert r.status == ReferralStatus.PENDING and r.brand == form.brand and r.form == form
    assert (r.first_name, r.last_name) == ("Jan", "Kowalski")
    assert r.phone == "+48601234567"  # read as a number of the brand's country
    assert r.email == "jan.kowalski@example.pl"
    assert (r.national_id, r.id_card) == ("44051401359", "ABS123456")
    assert (r.broker_name, r.broker_email, r.broker_phone) == (
        "Anna Broker",
        "anna@agency.example",
        "+48221234567",
    )
    assert r.enquiry is None  # an enquiry is made on acceptance only


def test_a_double_submit_makes_one_referral(link_path: str, client: Client) -> None:
    first = submit(client, link_path)
    second = submit(client, link_path)
    assert first.status_code == second.status_code == 200
    assert Referral.objects.count() == 1
    assert "reference" in second.content.decode()
    submit(client, link_path, form_key="z" * 32, first_name="Maria")
    assert Referral.objects.count() == 2  # a new form key is a new referral


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("national_id", "44051401358", "not a valid PESEL"),
        ("id_card", "ABA400000", "wrong check digit"),
        ("id_card", "AB1234567", "three letters and six digits"),
        ("phone", "12", "not a valid phone number"),
        ("broker_email", "anna@", "not a valid e-mail address"),
        ("broker_name", "", "This field is required"),
        ("consent", "", "This field is required"),
    ],
)
def test_a_bad_referral_is_refused_with_its_reason(
    link_path: str, client: Client, field: str, value: str, reason: str
) -> None:
    response = submit(client, link_path, **{field: value})
    assert response.status_code == 422
    assert reason in response.content.decode()
    assert Referral.objects.count() == 0


def test_the_client_needs_a_phone_or_an_email(link_path: str, client: Client) -> None:
    response = submit(client, link_path, phone="", email="")
    assert response.status_code == 422
    assert "phone or e-mail" in response.content.decode()
    assert submit(client, link_path, phone="").status_code == 200  # e-mail alone is enough


def test_a_refused_form_keeps_its_key_so_the_corrected_one_makes_one_referral(
    link_path: str, client: Client
) -> None:
    page = submit(client, link_path, national_id="1").content.decode()
    assert form_key_of_hidden(page) == "k" * 32
    submit(client, link_path)
    submit(client, link_path)
    assert Referral.objects.count() == 1


def form_key_of_hidden(page: str) -> str:
    marker = 'name="form_key" value="'
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]


def test_documents_are_sniffed_and_kept(link_path: str, client: Client) -> None:
    files = [
        SimpleUploadedFile("id scan.pdf", pdf(), content_type="application/pdf"),
        SimpleUploadedFile("photo.png", png(), content_type="image/png"),
        SimpleUploadedFile("again.pdf", pdf(), content_type="application/pdf"),  # the same file
    ]
    response = client.post(link_path, {**answers(), "documents": files})
    assert response.status_code == 200, response.content.decode()
    docs = list(Referral.objects.get().documents.order_by("filename"))
    assert [(d.filename, d.content_type) for d in docs] == [
        ("id scan.pdf", "application/pdf"),
        ("photo.png", "image/png"),
    ]


@pytest.mark.parametrize(
    ("upload", "reason"),
    [
        (SimpleUploadedFile("page.html", b"\x00\x01binary", "text/html"), "not accepted"),
        (SimpleUploadedFile("empty.pdf", b"", "application/pdf"), "empty"),
    ],
)
def test_unaccepted_documents_refuse_the_form(
    link_path: str, client: Client, upload: SimpleUploadedFile, reason: str
) -> None:
    response = client.post(link_path, {**answers(), "documents": [upload]})
    assert response.status_code == 422 and reason in response.content.decode()
    assert Referral.objects.count() == 0


def test_documents_have_a_size_and_count_limit(
    link_path: str, client: Client, settings: object
) -> None:
    settings.DOCUMENT_MAX_BYTES = 1024 * 1024  # type: ignore[attr-defined]
    big = SimpleUploadedFile("big.pdf", pdf() + b" " * (1024 * 1024), "application/pdf")
    response = client.post(link_path, {**answers(), "documents": [big]})
    assert response.status_code == 422 and "at most 1 MB" in response.content.decode()
    many = [SimpleUploadedFile(f"{i}.txt", f"note {i}".encode(), "text/plain") for i in range(6)]
    response = client.post(link_path, {**answers(), "documents": many})
    assert response.status_code == 422 and "At most 5 documents" in response.content.decode()
    assert Referral.objects.count() == 0


def test_a_revoked_link_answers_404_and_a_new_one_works(
    link_path: str, form: ReferralForm, admin: User, client: Client
) -> None:
    revoke_link(form, by=admin, now=timezone.now())
    assert client.get(link_path).status_code == 404
    assert submit(client, link_path).status_code == 404
    assert Referral.objects.count() == 0
    link = new_link(form, by=admin, now=timezone.now())
    assert client.get(f"/r/{link.secret}/").status_code == 200
    again = new_link(form, by=admin, now=timezone.now())
    assert client.get(f"/r/{link.secret}/").status_code == 404
    assert live_link(form) == again
    assert client.get("/r/not-a-secret/").status_code == 404


def test_the_link_never_shows_other_referrals(link_path: str, client: Client) -> None:
    submit(client, link_path, first_name="Zbigniew", last_name="Secretname")
    broker = Client()
    page = broker.get(link_path).content.decode()
    assert "Secretname" not in page and "Zbigniew" not in page
    thanks = submit(broker, link_path, form_key="b" * 32).content.decode()
    assert "Secretname" not in thanks
