"""The symptom diary: /diary/ (one entry per day, the last 30 days editable)."""

from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction

from tests.factories import TODAY
from therapy.journey.models import DiaryEntry

pytestmark = pytest.mark.usefixtures("frozen")

YESTERDAY = date(2026, 3, 10)
# Error messages are compared in English, the source language of the app.
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def day(**overrides):
    data = {
        "date": TODAY.isoformat(),
        "leaks": 2,
        "pads": 1,
        "urgency": 3,
        "back_pain": 4,
        "note": "Na het fietsen wat meer last.",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def entry(user, when=TODAY, **fields):
    values = {"leaks": 1, "pads": 1, "urgency": 1, "back_pain": 2, **fields}
    return DiaryEntry.objects.create(user=user, date=when, **values)


def error_codes(response, field):
    return [error.code for error in response.context["form"].errors.as_data()[field]]


def test_it_shows_the_form_for_today(alice_client):
    response = alice_client.get("/diary/")

    assert response.status_code == 200
    assert response.context["day"] == TODAY
    assert response.context["editing"] is False
    form = response.context["form"]
    assert form.initial["date"] == TODAY
    assert set(form.fields) == {"date", "leaks", "pads", "urgency", "back_pain", "note"}


def test_it_saves_a_day(alice_client, alice):
    response = alice_client.post("/diary/", day())

    assert response.status_code == 302
    assert response["Location"] == "/diary/?date=2026-03-11"
    saved = DiaryEntry.objects.get()
    assert saved.user == alice
    assert (saved.date, saved.leaks, saved.pads, saved.urgency, saved.back_pain) == (
        TODAY,
        2,
        1,
        3,
        4,
    )
    assert saved.note == "Na het fietsen wat meer last."


def test_it_updates_the_day_when_saved_again(alice_client, alice):
    alice_client.post("/diary/", day())
    response = alice_client.post("/diary/", day(leaks=0, back_pain=1, note=""))

    assert response.status_code == 302
    saved = DiaryEntry.objects.get()
    assert (saved.leaks, saved.back_pain, saved.note) == (0, 1, "")
    assert saved.pads == 1


def test_it_shows_the_saved_day_for_editing(alice_client, alice):
    saved = entry(alice, note="Goede dag")

    response = alice_client.get("/diary/?date=2026-03-11")

    assert response.context["editing"] is True
    assert response.context["form"].instance == saved


def test_it_lets_her_fill_in_and_edit_yesterday(alice_client, alice):
    alice_client.post("/diary/", day(date=YESTERDAY.isoformat(), leaks=5))
    alice_client.post("/diary/", day(date=YESTERDAY.isoformat(), leaks=4))

    saved = DiaryEntry.objects.get()
    assert (saved.date, saved.leaks) == (YESTERDAY, 4)
    page = alice_client.get("/diary/?date=2026-03-10")
    assert page.context["day"] == YESTERDAY
    assert page.context["form"].instance == saved


def test_it_accepts_the_day_30_days_ago(alice_client):
    response = alice_client.post("/diary/", day(date=(TODAY - timedelta(days=30)).isoformat()))

    assert response.status_code == 302
    assert DiaryEntry.objects.get().date == TODAY - timedelta(days=30)


def test_it_refuses_a_day_in_the_future(alice_client):
    response = alice_client.post("/diary/", day(date="2026-03-12"), **ENGLISH)

    assert response.status_code in {200, 400}
    assert response.context["form"].errors["date"] == [
        "You cannot fill in the diary for a day in the future."
    ]
    assert not DiaryEntry.objects.exists()


def test_it_refuses_a_day_older_than_30_days(alice_client):
    old = (TODAY - timedelta(days=31)).isoformat()
    response = alice_client.post("/diary/", day(date=old), **ENGLISH)

    assert response.status_code in {200, 400}
    assert response.context["form"].errors["date"] == [
        "You can fill in or change the last 30 days only."
    ]
    assert not DiaryEntry.objects.exists()


def test_it_does_not_change_an_old_day_either(alice_client, alice):
    old = entry(alice, TODAY - timedelta(days=40), leaks=3)

    response = alice_client.post("/diary/", day(date=old.date.isoformat(), leaks=0))

    assert "date" in response.context["form"].errors
    old.refresh_from_db()
    assert old.leaks == 3


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("leaks", -1, "min_value"),
        ("leaks", 51, "max_value"),
        ("leaks", "veel", "invalid"),
        ("leaks", None, "required"),
        ("pads", 21, "max_value"),
        ("urgency", 51, "max_value"),
        ("back_pain", 11, "invalid_choice"),
        ("back_pain", "3.5", "invalid_choice"),
        ("back_pain", -1, "invalid_choice"),
        ("back_pain", None, "required"),
        ("note", "x" * 501, "max_length"),
        ("date", None, "required"),
        ("date", "2026-02-30", "invalid"),
        ("date", "gisteren", "invalid"),
    ],
)
def test_it_refuses_each_bad_value_with_its_own_error(alice_client, alice, field, value, code):
    saved = entry(alice, leaks=7, note="ongewijzigd")

    response = alice_client.post("/diary/", day(**{field: value}))

    assert response.status_code in {200, 400}
    form = response.context["form"]
    assert list(form.errors) == [field]
    assert error_codes(response, field) == [code]
    assert DiaryEntry.objects.count() == 1
    saved.refresh_from_db()
    assert (saved.leaks, saved.note) == (7, "ongewijzigd")


def test_it_names_the_limit_in_the_error(alice_client):
    response = alice_client.post("/diary/", day(pads=21), **ENGLISH)

    assert response.context["form"].errors["pads"] == ["The number can be at most 20."]


def test_it_sends_a_logged_out_visitor_to_the_login(client):
    response = client.get("/diary/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/diary/"


def test_it_does_not_save_for_a_logged_out_visitor(client, alice):
    response = client.post("/diary/", day())

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not DiaryEntry.objects.exists()


def test_it_refuses_put(alice_client):
    assert alice_client.put("/diary/").status_code == 405


def test_it_never_shows_alice_s_entries_to_bob(client, alice, bob):
    entry(alice, note="Alleen voor Alice en haar therapeut")
    client.force_login(bob)

    for url in ["/diary/", "/diary/?date=2026-03-11"]:
        response = client.get(url)
        assert response.status_code == 200
        assert "Alleen voor Alice" not in response.content.decode()
        assert response.context["recent"] == []
        assert response.context["form"].instance.pk is None
        assert all(week.days == 0 for week in response.context["weeks"])


def test_it_gives_bob_his_own_row_for_the_same_day(client, alice, bob):
    alices = entry(alice, leaks=9)
    client.force_login(bob)

    client.post("/diary/", day(leaks=1))

    alices.refresh_from_db()
    assert alices.leaks == 9
    assert DiaryEntry.objects.get(user=bob).leaks == 1


def test_it_lists_her_recent_days(alice_client, alice):
    entry(alice, TODAY - timedelta(days=2))
    entry(alice, TODAY)
    entry(alice, TODAY - timedelta(days=45))

    response = alice_client.get("/diary/")

    assert [e.date for e in response.context["recent"]] == [
        TODAY,
        TODAY - timedelta(days=2),
    ]


def test_it_allows_one_row_per_day_in_the_database(alice):
    entry(alice)

    with pytest.raises(IntegrityError), transaction.atomic():
        entry(alice)


@pytest.mark.parametrize(
    ("field", "value"),
    [("leaks", 51), ("pads", 21), ("urgency", 51), ("back_pain", 11), ("leaks", -1)],
)
def test_it_keeps_the_ranges_in_the_database(alice, field, value):
    with pytest.raises(IntegrityError), transaction.atomic():
        entry(alice, **{field: value})
