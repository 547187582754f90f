"""B3 assign with search, a partner's own distribution, B6 e-mail assignments."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django_tasks_db.models import DBTaskResult

from leadhub.assignment.models import ExternalAssignment
from leadhub.assignment.targets import Kind, find_targets, resolve
from leadhub.assignment.tasks import send_external_assignment
from leadhub.enquiries.models import Enquiry
from leadhub.notifications.models import Notice
from leadhub.orgs.models import Organisation, User
from leadhub.routing.models import Offer
from leadhub.testing.world import World, api_token, deliver, login, payload

pytestmark = pytest.mark.django_db


def api(number: str, action: str = "") -> str:
    return f"/api/v1/enquiries/{number.replace('/', '-')}/{action}"


def post(client: Client, number: str, body: dict[str, Any], who: str = "dispatcher") -> Any:
    return client.post(
        api(number, "assign"), body, content_type="application/json", headers=api_token(client, who)
    )


@pytest.fixture
def number(world: World, client: Client) -> str:
    Organisation.objects.filter(key="dealer-a").update(customer_code="C-4711")
    User.objects.filter(username="sales").update(first_name="Anna", last_name="Rossi")
    return str(deliver(client, payload()).json()["number"])


def test_one_search_finds_users_units_and_partners(world: World, number: str) -> None:
    def refs(query: str) -> list[str]:
        return [t.ref for t in find_targets(world.brand, query, partners=True)]

    assert refs("anna rossi") == ["user:sales"]  # every word, in any field
    assert refs("s@brand.example") == ["user:sales"]  # a known address is the user
    assert refs("studio") == ["unit:studio"]
    assert refs("C-4711") == ["partner:dealer-a"]  # customer code
    assert refs("b@dealer.example") == ["partner:dealer-b"]
    assert refs("Mario.Bianchi@Example.com") == ["email:Mario.Bianchi@example.com"]
    assert refs("") == [] and refs("nobody-here") == []
    # Another brand's people are never found; partners only when asked for.
    assert find_targets(world.other_brand, "anna", partners=True) == []
    assert refs("dealer") and not [
        t for t in find_targets(world.brand, "dealer", partners=False) if t.kind is Kind.PARTNER
    ]


def test_a_partner_without_users_is_reachable_by_email_only(world: World, number: str) -> None:
    (a,) = find_targets(world.brand, "C-4711", partners=True)
    assert a.internal
    User.objects.filter(organisation=world.dealer_a).update(is_active=False)
    (a,) = find_targets(world.brand, "C-4711", partners=True)
    assert not a.internal and a.email == "a@dealer.example"
    assert not resolve(world.brand, "partner:dealer-a", partners=True).internal


def test_assign_to_a_user_notifies_them(number: str, client: Client) -> None:
    response = post(client, number, {"target": "user:sales"})
    assert response.status_code == 200, response.content
    assert response.json()["description"] == "assigned to Anna Rossi"
    e = Enquiry.objects.get(number=number)
    assert e.assigned_user == World.user("sales")
    (notice,) = Notice.objects.filter(user__username="sales")
    assert number in notice.message


def test_assign_to_a_partner_in_leadhub_offers_it(number: str, client: Client) -> None:
    assert (
        post(client, number, {"partner": "dealer-a"}).json()["description"] == "offered to Dealer A"
    )
    assert Offer.objects.get(enquiry__number=number).partner.key == "dealer-a"


def test_email_assignment_keeps_the_assigner_responsible_and_sends_everything(
    number: str, client: Client
) -> None:
    dispatcher = World.user("dispatcher")
    response = post(
        client,
        number,
        {"email": "fitter@example.org", "message": "Please measure on site.", "copy_to_me": True},
    )
    assert response.status_code == 200, response.content
    external = ExternalAssignment.objects.get(pk=response.json()["external_assignment_id"])
    e = Enquiry.objects.select_related("contact").get(number=number)
    assert e.assigned_user == dispatcher  # B6: the assigner stays responsible
    task = DBTaskResult.objects.get(task_path__endswith="send_external_assignment")
    assert task.args_kwargs["args"] == [external.pk, 1]
    assert send_external_assignment.call(external.pk, 1).startswith("sent #1")
    (message,) = mail.outbox
    assert message.to == ["fitter@example.org"] and message.cc == [dispatcher.email]
    body = message.body
    for detail in (number, e.contact.last_name, e.contact.email, "Please measure on site."):
        assert detail in body, detail
    assert f"/external/{external.secret}/" in body
    assert e.history.filter(kind="assigned_externally").count() == 1


def test_resend_after_changes_and_a_newer_assignment_revokes_the_link(
    number: str, client: Client
) -> None:
    first = post(client, number, {"email": "one@example.org"}).json()["external_assignment_id"]
    external = ExternalAssignment.objects.get(pk=first)
    assert client.get(f"/external/{external.secret}/").status_code == 200
    Enquiry.objects.filter(number=number).update(project_name="Villa Verde")
    auth = api_token(client, "dispatcher")
    again = client.post(api(number, f"external-assignments/{first}/resend"), headers=auth)
    assert again.status_code == 200, again.content
    assert send_external_assignment.call(first, 2).startswith("sent #2")
    assert "Villa Verde" in mail.outbox[-1].body and "Updated:" in mail.outbox[-1].subject
    post(client, number, {"email": "two@example.org"})
    assert client.get(f"/external/{external.secret}/").status_code == 404
    refused = client.post(api(number, f"external-assignments/{first}/resend"), headers=auth)
    assert refused.status_code == 409
    assert send_external_assignment.call(first, 3) == "revoked: not sent"


def test_partner_distributes_among_its_own_people(world: World, client: Client) -> None:
    from leadhub.testing.handoff import TRENTO, build_handoff_world

    build_handoff_world()
    body = payload()
    body["contact"]["address"] = dict(TRENTO)
    number = deliver(client, body).json()["number"]
    User.objects.filter(username="dealer-a-user").update(roles=["admin", "dispatcher"])
    client.post(api(number, "accept"), headers=api_token(client, "dealer-a-user"))
    assert post(client, number, {"user": "dealer-a-own"}, who="dealer-a-user").status_code == 200
    e = Enquiry.objects.get(number=number)
    assert e.owner.key == "dealer-a" and e.assigned_user == World.user("dealer-a-own")
    # The partner's people only: not the brand's, not other partners.
    assert post(client, number, {"user": "sales"}, who="dealer-a-user").status_code == 422
    assert post(client, number, {"partner": "dealer-b"}, who="dealer-a-user").status_code == 422
    # The brand follows read-only: it cannot assign what the partner accepted.
    assert post(client, number, {"user": "sales"}).status_code == 403


def test_access_to_assignment(number: str, client: Client) -> None:
    # Another organisation: 404 everywhere, nothing learnt about targets.
    other = api_token(client, "other-user")
    assert client.get(api(number, "assign/targets?q=anna"), headers=other).status_code == 404
    assert post(client, number, {"user": "sales"}, who="other-user").status_code == 404
    # A sales user works their enquiries but does not dispatch them.
    post(client, number, {"user": "sales"})
    sales = api_token(client, "sales")
    assert client.get(api(number, "assign/targets?q=anna"), headers=sales).status_code == 403
    assert post(client, number, {"unit": "hq"}, who="sales").status_code == 403
    # The dispatcher gets the targets with their kind and reach.
    found = client.get(
        api(number, "assign/targets?q=dealer"), headers=api_token(client, "dispatcher")
    ).json()
    assert {(t["ref"], t["internal"]) for t in found} == {
        ("partner:dealer-a", True),
        ("partner:dealer-b", True),
    }


def test_bad_targets_are_refused_with_a_reason(number: str, client: Client) -> None:
    assert "exactly one" in post(client, number, {}).json()["detail"]
    assert "exactly one" in post(client, number, {"user": "sales", "unit": "hq"}).json()["detail"]
    assert "not an e-mail" in post(client, number, {"email": "nope"}).json()["detail"]
    assert "not a unit" in post(client, number, {"target": "unit:ghost"}).json()["detail"]
    assert post(client, number, {"target": "robot:x"}).status_code == 422
    assert not ExternalAssignment.objects.exists()


def test_pages_search_assign_and_resend(number: str, client: Client) -> None:
    login(client, "dispatcher")
    page = f"/enquiries/{number.replace('/', '-')}/"
    rows = client.get(page + "assign/?q=C-4711", headers={"HX-Request": "true"}).content.decode()
    assert 'value="partner:dealer-a"' in rows and "<html" not in rows
    assert "by e-mail only" in client.get(page + "assign/?q=x@y.example").content.decode()
    response = client.post(page + "assign/", {"target": "email:x@y.example"}, follow=True)
    assert "E-mailed to x@y.example; you stay responsible." in response.content.decode()
    external = ExternalAssignment.objects.get()
    html = client.post(page + f"external/{external.pk}/resend/", follow=True).content.decode()
    assert "Sent again to x@y.example." in html and "sent 2 times" in html
    client.post(page + "assign/", {"target": "user:sales"})
    assert ExternalAssignment.objects.get().revoked_at is not None  # replaced
    assert "replaced" in client.get(page).content.decode()
    login(client, "sales")  # sees it now, but does not dispatch
    assert client.get(page).status_code == 200
    assert client.get(page + "assign/?q=anna").status_code == 404
    assert client.post(page + f"external/{external.pk}/resend/").status_code == 404


def test_recipient_downloads_the_documents_until_the_link_is_revoked(
    number: str, client: Client, settings: Any, tmp_path: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from leadhub.documents.actions import upload_document

    settings.MEDIA_ROOT = tmp_path
    e = Enquiry.objects.get(number=number)
    pdf = SimpleUploadedFile("plan.txt", b"ground floor: 4 windows\n", content_type="text/plain")
    doc, _new = upload_document(e, by=World.user("dispatcher"), upload=pdf, now=timezone.now())
    sent = post(client, number, {"email": "fitter@example.org"}).json()["external_assignment_id"]
    external = ExternalAssignment.objects.get(pk=sent)
    send_external_assignment.call(sent, 1)
    link = f"/external/{external.secret}/documents/{doc.pk}/"
    assert link in mail.outbox[0].body
    assert "plan.txt" in client.get(f"/external/{external.secret}/").content.decode()
    download = client.get(link)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"ground floor: 4 windows\n"  # type: ignore[attr-defined]
    assert client.get(f"/external/{external.secret}/documents/{doc.pk + 1}/").status_code == 404
    post(client, number, {"user": "sales"})  # a newer assignment revokes the link
    assert client.get(link).status_code == 404
