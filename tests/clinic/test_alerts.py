"""Alerts that mean something: no signals in a patient's first week, signals a therapist
marks as seen (POST /therapist/patients/<pk>/flags/seen/), and the daily email."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone, translation

from accounts.models import User
from courses.models import Enrollment
from tests.factories import NOW, make_user, practise, safety_answers
from therapy.clinic import overview
from therapy.clinic.models import DigestState, FlagReview
from therapy.journey.models import DiaryEntry
from therapy.journey.safety import RedFlag

pytestmark = pytest.mark.usefixtures("frozen")

SEEN_URL = "/therapist/patients/{}/flags/seen/"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def joined(user, days_ago):
    User.objects.filter(pk=user.pk).update(date_joined=NOW - timedelta(days=days_ago))
    user.refresh_from_db()
    return user


def page(therapist, **kwargs):
    from accounts.care import patients_of

    return overview.overview_page(patients=patients_of(therapist), **kwargs)


def attention_ids(therapist):
    return [row.user.pk for row in page(therapist, attention=True)["page"].object_list]


def flags_of(user):
    rows = overview.patient_rows(overview.patients_queryset().filter(pk=user.pk))
    return rows[0].flags


def flag(user, code):
    return next(f for f in flags_of(user) if f.code == code)


def mark_seen(client, user, code, note="Called her; all is well."):
    found = flag(user, code)
    return client.post(
        SEEN_URL.format(user.pk),
        {"code": found.code, "fingerprint": found.fingerprint, "note": note},
    )


def high_pain(user, day):
    DiaryEntry.objects.update_or_create(
        user=user,
        date=day,
        defaults={"leaks": 1, "pads": 1, "urgency": 1, "back_pain": 8},
    )


# --- Her first week ----------------------------------------------------------------------


def test_it_does_not_flag_a_patient_who_signed_up_seconds_ago(therapist, course):
    newcomer = make_user("nieuw@example.com", display_name="Nieuw", therapist=therapist)
    Enrollment.objects.create(user=newcomer, course=course)
    found = page(therapist)
    assert found["attention_count"] == 0
    assert flags_of(newcomer) == []


def test_it_flags_her_as_inactive_once_her_first_week_is_over(frozen, therapist, course):
    newcomer = make_user("nieuw@example.com", display_name="Nieuw", therapist=therapist)
    Enrollment.objects.create(user=newcomer, course=course)
    frozen.move_to(NOW + timedelta(days=6, hours=23))
    assert attention_ids(therapist) == []
    frozen.move_to(NOW + timedelta(days=8))
    assert attention_ids(therapist) == [newcomer.pk]
    assert [f.code for f in flags_of(newcomer)] == ["inactive"]


def test_it_raises_safety_answers_even_in_her_first_week(therapist, alice):
    safety_answers(alice, RedFlag.SADDLE_NUMBNESS)
    assert attention_ids(therapist) == [alice.pk]
    assert page(therapist)["page"].object_list[0].urgent


# --- Marking a signal as seen ------------------------------------------------------------


def test_it_marks_a_signal_as_seen_with_her_note(therapist_client, therapist, alice):
    joined(alice, 20)
    response = mark_seen(therapist_client, alice, "inactive", note="Gebeld: op vakantie.")
    assert response.status_code == 302
    assert response["Location"] == f"/therapist/patients/{alice.pk}/#signals"
    review = FlagReview.objects.get(patient=alice)
    assert (review.code, review.note, review.seen_by) == (
        "inactive",
        "Gebeld: op vakantie.",
        therapist,
    )
    assert attention_ids(therapist) == []
    assert page(therapist)["attention_count"] == 0
    detail = therapist_client.get(f"/therapist/patients/{alice.pk}/").content.decode()
    assert "Gebeld: op vakantie." in detail
    assert "Gezien door Marieke" in detail


def test_it_raises_a_seen_inactivity_signal_again_after_seven_more_days(
    frozen, therapist_client, therapist, alice
):
    joined(alice, 20)
    mark_seen(therapist_client, alice, "inactive")
    frozen.move_to(NOW + timedelta(days=6))
    assert attention_ids(therapist) == []
    frozen.move_to(NOW + timedelta(days=7, hours=1))
    assert attention_ids(therapist) == [alice.pk]
    assert not flag(alice, "inactive").seen


def test_it_raises_a_seen_practice_signal_again_when_she_stops_once_more(
    frozen, therapist_client, therapist, alice
):
    joined(alice, 40)
    practise(alice, NOW - timedelta(days=10))
    DiaryEntry.objects.create(user=alice, date=NOW.date(), leaks=0, pads=0, urgency=1, back_pain=1)
    assert [f.code for f in flags_of(alice)] == ["practice_stopped"]
    mark_seen(therapist_client, alice, "practice_stopped")
    assert attention_ids(therapist) == []
    # She practises again, then stops: after a week the signal is new.
    frozen.move_to(NOW + timedelta(days=2))
    practise(alice, NOW + timedelta(days=2))
    frozen.move_to(NOW + timedelta(days=9, hours=1))
    DiaryEntry.objects.create(
        user=alice, date=(NOW + timedelta(days=9)).date(), leaks=0, pads=0, urgency=1, back_pain=1
    )
    assert "practice_stopped" in [f.code for f in flags_of(alice) if not f.seen]
    assert attention_ids(therapist) == [alice.pk]


def test_it_keeps_a_seen_pain_signal_quiet_until_a_new_high_pain_day(
    frozen, therapist_client, therapist, alice
):
    practise(alice, NOW - timedelta(hours=2))
    high_pain(alice, NOW.date() - timedelta(days=2))
    high_pain(alice, NOW.date() - timedelta(days=1))
    mark_seen(therapist_client, alice, "pain_high")
    assert attention_ids(therapist) == []
    high_pain(alice, NOW.date())
    assert attention_ids(therapist) == [alice.pk]


def test_it_keeps_an_urgent_red_flag_on_top_until_it_is_seen(therapist_client, therapist, alice):
    bob = make_user("bob2@example.com", display_name="Aaron", therapist=therapist)
    joined(bob, 30)
    safety_answers(alice, RedFlag.SADDLE_NUMBNESS)
    rows = page(therapist)["page"].object_list
    assert rows[0].user == alice and rows[0].urgent
    # Sorted by name, the urgent answer still does not hide: it is counted as attention.
    mark_seen(therapist_client, alice, "red_flag", note="112 gebeld met haar.")
    rows = page(therapist)["page"].object_list
    assert rows[0].user == bob
    assert not next(r for r in rows if r.user == alice).urgent
    assert attention_ids(therapist) == [bob.pk]


def test_it_raises_a_new_red_flag_after_an_earlier_one_was_seen(
    frozen, therapist_client, therapist, alice
):
    safety_answers(alice, RedFlag.BLOOD_IN_URINE)
    mark_seen(therapist_client, alice, "red_flag")
    assert attention_ids(therapist) == []
    frozen.move_to(NOW + timedelta(days=3))
    safety_answers(alice, RedFlag.SADDLE_NUMBNESS, when=timezone.now())
    assert attention_ids(therapist) == [alice.pk]


# --- The view ----------------------------------------------------------------------------


def test_it_sends_a_logged_out_visitor_to_the_login(client, alice):
    response = client.post(SEEN_URL.format(alice.pk), {"code": "inactive", "note": "x"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not FlagReview.objects.exists()


def test_it_is_a_404_for_a_patient(alice_client, alice):
    safety_answers(alice, RedFlag.BLOOD_IN_URINE)
    response = alice_client.post(SEEN_URL.format(alice.pk), {"code": "red_flag", "note": "x"})
    assert response.status_code == 404
    assert not FlagReview.objects.exists()


def test_it_is_a_404_for_another_therapists_patient(client, other_therapist, alice):
    safety_answers(alice, RedFlag.BLOOD_IN_URINE)
    client.force_login(other_therapist)
    found = flag(alice, "red_flag")
    response = client.post(
        SEEN_URL.format(alice.pk),
        {"code": "red_flag", "fingerprint": found.fingerprint, "note": "x"},
    )
    assert response.status_code == 404
    assert not FlagReview.objects.exists()


def test_it_refuses_get(therapist_client, alice):
    assert therapist_client.get(SEEN_URL.format(alice.pk)).status_code == 405


@pytest.mark.parametrize(
    ("note", "error"),
    [
        ("", "Schrijf een korte notitie: wat je hebt gedaan of besloten."),
        ("x" * 201, "Houd de notitie op 200 tekens of minder."),
    ],
)
def test_it_wants_a_short_note(therapist_client, alice, note, error):
    safety_answers(alice, RedFlag.BLOOD_IN_URINE)
    response = mark_seen(therapist_client, alice, "red_flag", note=note)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not FlagReview.objects.exists()


def test_it_keeps_her_note_when_the_signal_changed_meanwhile(frozen, therapist_client, alice):
    safety_answers(alice, RedFlag.BLOOD_IN_URINE)
    stale = flag(alice, "red_flag")
    safety_answers(alice, RedFlag.SADDLE_NUMBNESS, when=NOW + timedelta(minutes=1))
    frozen.move_to(NOW + timedelta(minutes=2))
    response = therapist_client.post(
        SEEN_URL.format(alice.pk),
        {"code": "red_flag", "fingerprint": stale.fingerprint, "note": "Besproken."},
    )
    assert response.status_code == 400
    assert "Dit signaal is veranderd sinds je de pagina opende" in response.content.decode()
    assert not FlagReview.objects.exists()


def test_it_logs_the_access(therapist_client, alice):
    from auditlog.models import LogEntry

    safety_answers(alice, RedFlag.BLOOD_IN_URINE)
    before = LogEntry.objects.count()
    mark_seen(therapist_client, alice, "red_flag")
    assert LogEntry.objects.count() > before


def test_it_puts_her_reviews_in_her_export_and_erases_them_with_her(therapist_client, alice):
    from accounts.export import build_export
    from accounts.services import user_erase

    safety_answers(alice, RedFlag.BLOOD_IN_URINE)
    mark_seen(therapist_client, alice, "red_flag", note="Huisarts ingelicht.")
    exported = str(build_export(alice))
    assert "Huisarts ingelicht." in exported
    user_erase(user=alice)
    assert not FlagReview.objects.exists()


# --- The daily email ---------------------------------------------------------------------


def digest():
    mail.outbox.clear()
    call_command("send_attention_digest", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return list(mail.outbox)


def test_it_mails_a_therapist_only_when_something_new_needs_her(
    frozen, therapist_client, therapist, other_therapist, alice
):
    assert digest() == []  # nothing needs attention
    safety_answers(alice, RedFlag.BLOOD_IN_URINE)
    sent = digest()
    assert [m.to for m in sent] == [[therapist.email]]  # not the other therapist
    body = sent[0].body + sent[0].alternatives[0][0] + sent[0].subject
    for secret in ("Alice", alice.email, "blood", "Blood", "bloed"):
        assert secret not in body
    assert "1 patiënt" in sent[0].body  # her language: Dutch
    assert "/therapist/?filter=attention" in sent[0].body
    # The next day the same signal is not news.
    frozen.move_to(NOW + timedelta(days=1))
    assert digest() == []
    # Seen, it is not mailed either; a new one is.
    mark_seen(therapist_client, alice, "red_flag")
    assert digest() == []
    frozen.move_to(NOW + timedelta(days=2))
    safety_answers(alice, RedFlag.SADDLE_NUMBNESS, when=timezone.now())
    assert [m.to for m in digest()] == [[therapist.email]]


def test_it_keeps_no_health_data_in_the_digest_state(therapist, alice):
    safety_answers(alice, RedFlag.BLOOD_IN_URINE)
    digest()
    state = DigestState.objects.get(therapist=therapist)
    assert "red_flag" not in str(state.told)
    assert list(state.told) == [str(alice.pk)]
