"""Dates follow the patient's own time zone; pages with her data are never cached."""

from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine

from accounts.models import Profile
from therapy.journey.models import DiaryEntry

# 19:30 on Thursday in Curaçao is already Friday 00:30 in Amsterdam.
CURACAO_EVENING = datetime(2026, 11, 26, 19, 30, tzinfo=ZoneInfo("America/Curacao"))


def test_it_uses_her_time_zone_for_today(alice_client, alice):
    Profile.objects.filter(user=alice).update(timezone="America/Curacao")

    with time_machine.travel(CURACAO_EVENING, tick=False):
        alice_client.logout()
        alice_client.force_login(alice)
        response = alice_client.get("/diary/")
        refused = alice_client.post(
            "/diary/",
            {"date": "2026-11-27", "leaks": 1, "pads": 1, "urgency": 0, "back_pain": 2},
        )

    assert response.context["today"].isoformat() == "2026-11-26"
    assert refused.status_code == 200  # the form again: the 27th is her tomorrow
    assert not DiaryEntry.objects.filter(user=alice).exists()


def test_it_follows_a_changed_time_zone_at_once(alice_client, alice):
    with time_machine.travel(CURACAO_EVENING, tick=False):
        alice_client.logout()
        alice_client.force_login(alice)
        assert alice_client.get("/diary/").context["today"].isoformat() == "2026-11-27"
        alice_client.post(
            "/accounts/profile/",
            {"display_name": "Alice", "timezone": "America/Curacao", "language": "nl"},
        )
        assert alice_client.get("/diary/").context["today"].isoformat() == "2026-11-26"


def test_it_forbids_caching_pages_with_her_data(alice_client):
    for url in ["/dashboard/", "/diary/", "/accounts/profile/", "/courses/"]:
        response = alice_client.get(url)
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url


def test_it_lets_public_pages_be_cached_normally(client, db):
    response = client.get("/privacy/")

    assert "no-store" not in response.get("Cache-Control", "")
