"""E1 column filters and sorts, through the API and the page (one set of rules for both)."""

from datetime import timedelta

import pytest
from django.db.models import F, Q
from django.test import Client
from django.utils import timezone

from leadhub.contacts.models import Contact
from leadhub.enquiries.listing import ListFilters, apply_filters, parts_to_read
from leadhub.enquiries.models import Enquiry
from leadhub.enquiries.pagination import SORTS, paginate
from leadhub.enquiries.queries import visible_enquiries, visible_parts
from leadhub.enquiries.states import CLOSED
from leadhub.lib.sql import LiteralIn
from leadhub.orgs.models import OrgUnit
from leadhub.testing.world import World, api_token, deliver, login, payload

pytestmark = pytest.mark.django_db


def numbers_of(client: Client, auth: dict[str, str], query: str) -> list[str]:
    response = client.get(f"/api/v1/enquiries?{query}", headers=auth)
    assert response.status_code == 200, response.content
    return [i["number"] for i in response.json()["items"]]


@pytest.fixture
def three(world: World, client: Client) -> list[Enquiry]:
    """A quote from a business, a brochure for the sales user, a sample at the studio."""
    made = [
        deliver(client, payload(type=t)).json()["number"] for t in ("quote", "brochure", "sample")
    ]
    quote, brochure, sample = (Enquiry.objects.get(number=n) for n in made)
    Contact.objects.filter(pk=quote.contact_id).update(kind="business")
    now = timezone.now()
    Enquiry.objects.filter(pk=quote.pk).update(due_at=now - timedelta(hours=1))
    Enquiry.objects.filter(pk=brochure.pk).update(
        assigned_user=World.user("sales"), due_at=now + timedelta(days=3), status="processing"
    )
    Enquiry.objects.filter(pk=sample.pk).update(
        assigned_unit=OrgUnit.objects.get(name="Studio"), due_at=now + timedelta(days=20)
    )
    return [quote, brochure, sample]


def test_each_column_filter_narrows_the_list(three: list[Enquiry], client: Client) -> None:
    quote, brochure, sample = (e.number for e in three)
    auth = api_token(client, "dispatcher")
    sales = World.user("sales")
    studio = OrgUnit.objects.get(name="Studio")
    assert numbers_of(client, auth, "contact_kind=business") == [quote]
    assert numbers_of(client, auth, "type=sample") == [sample]
    assert numbers_of(client, auth, "status=processing") == [brochure]
    assert numbers_of(client, auth, f"responsible={sales.pk}") == [brochure]
    assert numbers_of(client, auth, f"responsible=unit-{studio.pk}") == [sample]
    assert numbers_of(client, auth, "responsible=none") == [quote]
    assert numbers_of(client, auth, "due=overdue") == [quote]
    assert numbers_of(client, auth, "due=week") == [brochure]
    assert numbers_of(client, auth, "due=none") == []
    assert numbers_of(client, auth, "type=quote&due=week") == []  # filters combine


def test_responsible_me_is_the_caller(three: list[Enquiry], client: Client) -> None:
    assert numbers_of(client, api_token(client, "sales"), "responsible=me") == [three[1].number]


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("due=tomorrow", "due must be one of"),
        ("responsible=somebody", "responsible must be"),
        ("sort=colour", "sort must be one of"),
    ],
)
def test_unknown_filter_values_are_refused(
    world: World, client: Client, query: str, reason: str
) -> None:
    response = client.get(f"/api/v1/enquiries?{query}", headers=api_token(client, "dispatcher"))
    assert response.status_code == 400
    assert reason in response.json()["detail"]


def test_filters_never_widen_access(three: list[Enquiry], client: Client) -> None:
    """Another brand filtering for our users and units still sees none of ours."""
    auth = api_token(client, "other-user")
    sales = World.user("sales")
    assert numbers_of(client, auth, f"responsible={sales.pk}") == []
    assert numbers_of(client, auth, "contact_kind=business") == []


@pytest.mark.parametrize("sort", ["due", "-due", "created", "-created", "updated", "-updated"])
def test_every_sort_walks_every_enquiry_once_in_order(
    world: World, client: Client, sort: str
) -> None:
    made = [deliver(client, payload()).json()["number"] for _ in range(7)]
    rows = {e.number: e for e in Enquiry.objects.filter(number__in=made)}
    base = timezone.now()
    for i, number in enumerate(made):  # ties and gaps: pairs share an instant
        at = base + timedelta(hours=(i * 5) % 7 // 2)
        Enquiry.objects.filter(number=number).update(due_at=at, created_at=at, updated_at=at)
        rows[number].refresh_from_db()
    auth = api_token(client, "dispatcher")
    seen: list[str] = []
    url = f"/api/v1/enquiries?sort={sort}&limit=2"
    while url:
        page = client.get(url, headers=auth).json()
        seen += [i["number"] for i in page["items"]]
        cursor = page["next_cursor"]
        url = f"/api/v1/enquiries?sort={sort}&limit=2&cursor={cursor}" if cursor else ""
    column = {"due": "due_at", "created": "created_at", "updated": "updated_at"}[sort.strip("-")]
    expected = sorted(made, key=lambda n: (getattr(rows[n], column), rows[n].pk))
    assert seen == (expected[::-1] if sort.startswith("-") else expected)


def test_page_filters_sorts_and_keeps_them_in_links(three: list[Enquiry], client: Client) -> None:
    quote, brochure, sample = (e.number for e in three)
    login(client, "dispatcher")
    html = client.get("/enquiries/?type=brochure&sort=-due").content.decode()
    assert brochure in html and quote not in html and sample not in html
    assert "type=brochure" in html.split('id="rows"')[0].split("Unread")[0]  # tabs keep it
    assert '<option value="brochure" selected>' in html
    # A stale or forged value shows the tab unfiltered rather than an error.
    html = client.get("/enquiries/?due=someday").content.decode()
    assert all(n in html for n in (quote, brochure, sample))


def test_page_filter_choices_are_the_users_own_organisation(
    three: list[Enquiry], client: Client
) -> None:
    login(client, "other-user")
    html = client.get("/enquiries/").content.decode()
    studio = OrgUnit.objects.get(name="Studio")
    assert f'value="unit-{studio.pk}"' not in html
    assert f'value="{World.user("sales").pk}"' not in html
    login(client, "dispatcher")
    html = client.get("/enquiries/").content.decode()
    assert f'value="unit-{studio.pk}"' in html  # the same check passes for the brand itself
    assert f'value="{World.user("sales").pk}"' in html


def test_compact_mode_sticks_for_the_session(world: World, client: Client) -> None:
    login(client, "dispatcher")
    assert 'class="enquiries compact"' in client.get("/enquiries/?compact=1").content.decode()
    assert 'class="enquiries compact"' in client.get("/enquiries/").content.decode()
    assert 'class="enquiries compact"' not in client.get("/enquiries/?compact=0").content.decode()


@pytest.mark.parametrize("sort", ["due", "-due", "created", "-created", "updated", "-updated"])
def test_pages_merge_the_parts_a_brand_sees_in_order(
    world: World, client: Client, sort: str
) -> None:
    """The brand's own enquiries and those its channels brought to a partner are read apart
    (queries.visible_parts) and merged: ties, empty due dates and page edges included."""
    from leadhub.enquiries.pagination import SORTS
    from leadhub.enquiries.queries import visible_enquiries, visible_parts
    from leadhub.orgs.models import Organisation

    made = [deliver(client, payload()).json()["number"] for _ in range(9)]
    base = timezone.now()
    for i, number in enumerate(made):
        at = base + timedelta(hours=(i * 5) % 7 // 2)
        Enquiry.objects.filter(number=number).update(
            due_at=None if i % 4 == 3 else at, created_at=at, updated_at=at
        )
    Enquiry.objects.filter(number__in=made[::2]).update(
        owner=Organisation.objects.get(key="dealer-a"), status="processing"
    )
    dispatcher = World.user("dispatcher")
    assert len(visible_parts(dispatcher)) > 1
    order = SORTS[sort]
    expected = list(
        visible_enquiries(dispatcher).order_by(*order.order_by()).values_list("number", flat=True)
    )
    assert sorted(expected) == sorted(made)
    auth = api_token(client, "dispatcher")
    seen: list[str] = []
    url = f"/api/v1/enquiries?sort={sort}&limit=2"
    while url:
        page = client.get(url, headers=auth).json()
        seen += [i["number"] for i in page["items"]]
        cursor = page["next_cursor"]
        url = f"/api/v1/enquiries?sort={sort}&limit=2&cursor={cursor}" if cursor else ""
    assert seen == expected


@pytest.mark.parametrize(
    "filters",
    [
        ListFilters(),
        ListFilters(done=None),
        ListFilters(queue=True),
        ListFilters(returned=True),
        ListFilters(responsible="none"),
    ],
    ids=["open", "all", "queue", "returned", "nobody yet"],
)
def test_the_parts_read_for_a_filter_hold_every_row_it_matches(
    world: World, client: Client, filters: ListFilters
) -> None:
    """Filters on the organisation's own enquiries read only its part (parts_to_read); the
    rows a partner holds through the brand's channels must still be found where they match."""
    from leadhub.orgs.models import Organisation

    made = [deliver(client, payload()).json()["number"] for _ in range(6)]
    Enquiry.objects.filter(number__in=made[:2]).update(
        owner=Organisation.objects.get(key="dealer-a"), status="processing"
    )
    Enquiry.objects.filter(number__in=made[1:4]).update(returned_at=timezone.now())
    Enquiry.objects.filter(number=made[5]).update(status="closed")
    dispatcher = World.user("dispatcher")
    qs = apply_filters(visible_enquiries(dispatcher), filters, dispatcher, timezone.now())
    expected = sorted(qs.values_list("number", flat=True))
    parts = parts_to_read(visible_parts(dispatcher), filters)
    page = paginate(qs, sort="due", cursor=None, limit=100, parts=parts)
    assert expected
    assert sorted(e.number for e in page.items) == expected


@pytest.mark.parametrize("sort", ["due", "-due", "created", "-created", "updated", "-updated"])
def test_the_page_conditions_hold_in_a_generic_plan(sort: str) -> None:
    """Prepared statements may be planned without their values (lib/sql.py): the cursor
    is one row-value comparison and the open condition literal, both of which such a
    plan can still match to an index (a bare OR of comparisons and `NOT IN ($1, $2)`
    made page 50 read 800,000 index entries)."""
    qs = Enquiry.objects.exclude(Q(LiteralIn(F("status"), CLOSED)))
    qs = qs.filter(SORTS[sort].after(timezone.now(), 7))
    sql = str(qs.values("id").query)
    column = SORTS[sort].column
    assert f'("enquiries_enquiry"."{column}", "enquiries_enquiry"."id") ' in sql
    assert "\"status\" IN ('closed', 'ordered')" in sql
    assert ("IS NULL" in sql) == (sort == "due")  # empty due dates come last
