"""Her practice calendar: /calendar/ (the link), /calendar/renew/ and /calendar/<token>.ics."""

import datetime

import pytest
from icalendar import Calendar

from accounts.models import Profile
from tests.factories import TODAY, make_user
from therapy.journey.calendar import maintenance_days, practice_times
from therapy.journey.models import CalendarFeed, Questionnaire

pytestmark = pytest.mark.usefixtures("frozen")


def feed_of(user):
    return CalendarFeed.renew(user)


def events(response, kind="practice"):
    cal = Calendar.from_ical(response.content)
    return [e for e in cal.walk("VEVENT") if str(e["uid"]).startswith(kind)]


def test_it_holds_the_next_seven_days_of_practice_times(client, alice):
    Profile.objects.filter(user=alice).update(reminder_time=datetime.time(9, 0))
    response = client.get(feed_of(alice).get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"
    found = events(response)
    starts = sorted(e.decoded("dtstart") for e in found)
    week = [s for s in starts if s.date() < TODAY + datetime.timedelta(days=7)]
    # Three routine sessions a day in the programme: at 09:00, then spread until 21:00.
    assert len(week) == 7 * 3
    assert [s.strftime("%H:%M") for s in week[:3]] == ["09:00", "14:00", "19:00"]
    assert {s.date() for s in week} == {TODAY + datetime.timedelta(days=i) for i in range(7)}
    assert all(s.tzinfo is not None for s in week)
    assert all(e.walk("VALARM") for e in found)


def test_it_says_nothing_about_her_health(client, alice):
    Profile.objects.filter(user=alice).update(complaints=["urine_loss"])
    body = client.get(feed_of(alice).get_absolute_url()).content.decode()
    for secret in ("alice", "Alice", "urine", "urine_loss", "Lekcheck", "score"):
        assert secret not in body


def test_it_lists_the_days_a_questionnaire_is_due(client, alice):
    Questionnaire.objects.create(
        title="Lekcheck",
        slug="lekcheck",
        published=True,
        repeat_every_weeks=6,
        repeat_until_week=12,
        min_meaningful_change=2,
    )
    found = events(client.get(feed_of(alice).get_absolute_url()), kind="questionnaire")
    # Due at the start (today, on her dashboard), then every 6 weeks until week 12.
    assert [e.decoded("dtstart") for e in found] == [TODAY + datetime.timedelta(weeks=6)]
    assert all(str(e["summary"]) == "Vragenlijst invullen" for e in found)


def test_it_follows_the_maintenance_rhythm():
    assert maintenance_days(3) == [0, 2, 5]
    assert maintenance_days(0) == []
    assert practice_times(datetime.time(20, 0), 3) == [datetime.time(20, 0)] * 1 + [
        datetime.time(20, 30),
        datetime.time(21, 0),
    ]


def test_it_gives_an_empty_calendar_without_a_course(client, bob):
    response = client.get(feed_of(bob).get_absolute_url())
    assert response.status_code == 200
    assert events(response) == []


def test_it_makes_the_old_link_a_404_when_renewed(client, alice):
    old = feed_of(alice).get_absolute_url()
    new = CalendarFeed.renew(alice).get_absolute_url()
    assert old != new
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_it_is_a_404_for_a_tampered_or_unknown_token(client, alice):
    url = feed_of(alice).get_absolute_url()
    assert client.get(url.replace(".ics", "x.ics")).status_code == 404
    assert client.get("/calendar/nothing-here.ics").status_code == 404


def test_it_is_a_404_once_her_account_is_closed(client, alice):
    url = feed_of(alice).get_absolute_url()
    alice.is_active = False
    alice.save()
    assert client.get(url).status_code == 404


def test_it_refuses_post_on_the_feed(client, alice):
    assert client.post(feed_of(alice).get_absolute_url()).status_code == 405


# --- /calendar/ and /calendar/renew/ ---


def test_it_shows_her_link_once_she_made_one(alice_client, alice):
    page = alice_client.get("/calendar/").content.decode()
    assert "/calendar/renew/" in page
    assert ".ics" not in page
    response = alice_client.post("/calendar/renew/")
    assert response.status_code == 302 and response["Location"] == "/calendar/"
    feed = CalendarFeed.objects.get(user=alice)
    page = alice_client.get("/calendar/").content.decode()
    assert f"http://testserver/calendar/{feed.token}.ics" in page
    assert f"webcal://testserver/calendar/{feed.token}.ics" in page


def test_it_renews_her_link(alice_client, alice):
    first = feed_of(alice).token
    alice_client.post("/calendar/renew/")
    assert CalendarFeed.objects.get(user=alice).token != first
    assert CalendarFeed.objects.count() == 1


def test_it_never_shows_another_patients_link(client, alice):
    feed_of(alice)
    other = make_user("carla@example.com")
    client.force_login(other)
    page = client.get("/calendar/").content.decode()
    assert CalendarFeed.objects.get(user=alice).token not in page


def test_it_sends_a_logged_out_visitor_to_the_login(client, db):
    for response in (client.get("/calendar/"), client.post("/calendar/renew/")):
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    assert not CalendarFeed.objects.exists()


def test_it_renews_only_by_post(alice_client):
    assert alice_client.get("/calendar/renew/").status_code == 405
    assert alice_client.post("/calendar/").status_code == 405


def test_it_links_the_calendar_from_her_details(alice_client):
    assert 'href="/calendar/"' in alice_client.get("/accounts/profile/").content.decode()


def test_it_puts_the_link_in_her_export_without_the_token(alice):
    from accounts.export import build_export

    token = feed_of(alice).token
    assert token not in str(build_export(alice))
