import re

import pytest
from django.core import mail
from django.test import Client

from leadhub.testing.world import World, deliver, login, payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def number(world: World, client: Client) -> str:
    return str(deliver(client, payload()).json()["number"])


def test_pages_need_login(number: str, client: Client) -> None:
    for url in ("/enquiries/", f"/enquiries/{number.replace('/', '-')}/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_login_page_and_wrong_password(world: World, client: Client) -> None:
    assert client.get("/login/").status_code == 200
    response = client.post("/login/", {"username": "sales", "password": "wrong"})
    assert response.status_code == 200
    assert b"correct username and password" in response.content


def test_list_shows_rows_and_loads_counters_after(number: str, client: Client) -> None:
    login(client, "dispatcher")
    page = client.get("/enquiries/?type=quote").content.decode()
    assert number in page and "Luca Moretti" in page
    # The counts come a moment later (htmx), keeping the tab and filters in their links.
    assert "All (" not in page and 'hx-get="/enquiries/counters/?type=quote&amp;tab=all"' in page
    tabs = client.get("/enquiries/counters/?type=quote&tab=all").content.decode()
    assert "All (1)" in tabs and "Mine (0)" in tabs and "Unassigned (1)" in tabs
    assert "<html" not in tabs and "?type=quote&amp;sort=due&tab=mine" in tabs
    assert "load," not in tabs  # the swapped-in tabs refresh each minute, not at once again


def test_htmx_gets_only_the_rows(number: str, client: Client) -> None:
    login(client, "dispatcher")
    partial = client.get("/enquiries/", headers={"HX-Request": "true"}).content.decode()
    assert number in partial and "<html" not in partial


def test_detail_shows_contact_enquiry_and_history(number: str, client: Client) -> None:
    login(client, "dispatcher")
    page = client.get(f"/enquiries/{number.replace('/', '-')}/").content.decode()
    assert "luca.moretti@example.com" in page and "+390471123456" in page
    assert "Nine windows for a renovation" in page
    assert "Received through channel web" in page


@pytest.mark.parametrize("username", ["other-user", "dealer-a-user"])
def test_other_organisations_get_404(number: str, client: Client, username: str) -> None:
    login(client, username)
    assert client.get(f"/enquiries/{number.replace('/', '-')}/").status_code == 404
    page = client.get("/enquiries/").content.decode()
    assert number not in page
    assert "All (0)" in client.get("/enquiries/counters/").content.decode()


def test_logout(world: World, client: Client) -> None:
    login(client, "sales")
    client.post("/logout/")
    assert client.get("/enquiries/").status_code == 302


def test_password_reset_by_email(world: World, client: Client) -> None:
    response = client.post("/password-reset/", {"email": "s@brand.example"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/password-reset/\S+/)", str(mail.outbox[0].body))
    assert link is not None
    form = client.get(link.group(1), follow=True)
    assert form.status_code == 200
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "N3w-passw0rd!", "new_password2": "N3w-passw0rd!"},
    )
    assert done.status_code == 302
    assert client.login(username="sales", password="N3w-passw0rd!")


def test_interface_speaks_the_users_language(world: World, client: Client) -> None:
    login(client, "sales")
    client.cookies["django_language"] = "de"
    page = client.get("/enquiries/").content.decode()
    assert "Anfragen" in page


def test_admins_are_warned_about_categories_nobody_sees_whole(world: World, client: Client) -> None:
    from leadhub.orgs.models import CategoryRight

    login(client, "other-user")
    assert "may be missed" not in client.get("/enquiries/").content.decode()
    CategoryRight.objects.create(user=World.user("other-user"), category="test_drive", level="own")
    html = client.get("/enquiries/").content.decode()
    assert "some may be missed: Test drive." in html


def test_language_choice_is_saved_on_the_user_not_the_browser(world: World, client: Client) -> None:
    login(client, "dispatcher")
    client.post("/i18n/setlang/", {"language": "de", "next": "/enquiries/"})
    assert World.user("dispatcher").language == "de"
    assert "Anfragen" in client.get("/enquiries/").content.decode()
    client.post("/logout/")
    login(client, "other-user")  # same browser, the cookie says "de"; this user has no choice
    World.user("other-user").__class__.objects.filter(username="other-user").update(language="it")
    assert "Richieste" in client.get("/enquiries/").content.decode()


def test_not_found_page_has_the_layout(world: World, client: Client) -> None:
    login(client, "dispatcher")
    response = client.get("/enquiries/991231-000001/")
    assert response.status_code == 404
    assert "Not found" in response.content.decode() and "Log out" in response.content.decode()


def test_absences_page(world: World, client: Client) -> None:
    login(client, "sales")
    assert client.get("/me/absences/").status_code == 200
    bad = client.post("/me/absences/", {"starts_on": "2026-12-24", "ends_on": "2026-12-20"})
    assert bad.status_code == 400 and "end date is before" in bad.content.decode()
    other = World.user("other-user")  # not a colleague: not offered as substitute
    bad = client.post("/me/absences/", {"weekdays": ["fri"], "substitute": other.pk})
    assert bad.status_code == 400
    dispatcher = World.user("dispatcher")
    ok = client.post(
        "/me/absences/", {"weekdays": ["fri"], "substitute": dispatcher.pk}, follow=True
    )
    assert "Absence saved" in ok.content.decode()
    (absence,) = World.user("sales").absences.all()
    assert absence.weekdays == ["fri"] and absence.substitute == dispatcher
    # Nobody removes another user's absence.
    login(client, "dispatcher")
    client.post("/me/absences/", {"remove": absence.pk})
    assert World.user("sales").absences.count() == 1
    login(client, "sales")
    client.post("/me/absences/", {"remove": absence.pk})
    assert World.user("sales").absences.count() == 0


def test_contact_conveniences(number: str, client: Client) -> None:
    login(client, "dispatcher")
    html = client.get(f"/enquiries/{number.replace('/', '-')}/").content.decode()
    assert "https://www.openstreetmap.org/search?query=Via+Roma+12" in html
    # The e-mail template speaks the contact's language (Italian here).
    assert "mailto:luca.moretti%40example.com?subject=" in html
    assert f'data-copy="{number}"' in html and 'data-copy="+390471123456"' in html


def test_list_refreshes_itself_without_losing_the_place(number: str, client: Client) -> None:
    login(client, "dispatcher")
    html = client.get("/enquiries/?tab=all").content.decode()
    assert 'hx-trigger="every 30s' in html and "loaded-more" in html
    rows = client.get("/enquiries/?tab=all", headers={"HX-Request": "true"}).content.decode()
    assert number in rows and "<tbody" not in rows  # the refresh gets the rows only


def test_history_by_category(number: str, client: Client) -> None:
    login(client, "dispatcher")
    url = f"/enquiries/{number.replace('/', '-')}/"
    client.post(f"{url}notes/", {"text": "Prefers e-mail"})
    notes = client.get(f"{url}?history=note").content.decode()
    assert "Prefers e-mail" in notes and "Received through channel" not in notes
    everything = client.get(f"{url}?history=bogus").content.decode()
    assert "Prefers e-mail" in everything and "Received through channel" in everything


def test_tab_counters_stop_at_the_cap(
    world: World, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Beyond COUNTER_CAP a tab says "N+" (a capped count stays fast at a million rows)."""
    from leadhub.enquiries import queries

    monkeypatch.setattr(queries, "COUNTER_CAP", 2)
    for n in range(3):
        deliver(client, payload(external_id=f"cap-{n}"))
    login(client, "dispatcher")
    page = client.get("/enquiries/counters/").content.decode()
    assert "All (2+)" in page and "Unassigned (2+)" in page and "Mine (0)" in page
    assert "Returned (" not in page  # a zero count still hides the tab


def test_tab_count_below_and_above_the_cap() -> None:
    from leadhub.enquiries.queries import COUNTER_CAP, TabCount

    assert str(TabCount(COUNTER_CAP)) == str(COUNTER_CAP) and not TabCount(COUNTER_CAP).capped
    assert str(TabCount(COUNTER_CAP + 1)) == f"{COUNTER_CAP}+" and TabCount(COUNTER_CAP + 1).capped
    assert not TabCount(0) and TabCount(1)
