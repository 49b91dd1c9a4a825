"""Who saw which patient's record (accounts/access_log.py, NEN 7513)."""

import pytest
from auditlog.models import LogEntry

from accounts import access_log
from accounts.services import user_erase
from tests.factories import practise
from therapy.journey.models import DiaryEntry


def seen(patient):
    return [
        (entry.actor, entry.additional_data["what"]) for entry in access_log.accesses_of(patient)
    ]


@pytest.mark.parametrize(
    ("path", "what"),
    [
        ("/therapist/patients/{pk}/", "patient page"),
        ("/therapist/patients/{pk}/records.csv", "records as CSV"),
    ],
)
def test_it_logs_a_therapist_opening_her_records(therapist_client, therapist, alice, path, what):
    response = therapist_client.get(path.format(pk=alice.pk))

    assert response.status_code == 200
    assert seen(alice) == [(therapist, what)]
    entry = LogEntry.objects.get()
    assert entry.action == LogEntry.Action.ACCESS
    assert entry.remote_addr == "127.0.0.1"
    assert entry.timestamp is not None


def test_it_logs_an_admin_change_page_of_a_health_record(therapist_client, therapist, alice):
    entry = DiaryEntry.objects.create(
        user=alice, date="2026-03-10", leaks=1, pads=1, urgency=0, back_pain=4
    )
    therapist_client.get("/admin/therapy/diaryentry/")  # a list: not one patient's record

    therapist_client.get(f"/admin/therapy/diaryentry/{entry.pk}/change/")

    assert seen(alice) == [(therapist, "admin: diary entry")]


def test_it_logs_the_admin_page_of_a_practice_session(therapist_client, therapist, alice):
    (session,) = practise(alice, "2026-03-10T09:00:00+01:00")

    therapist_client.get(f"/admin/therapy/practicesession/{session.pk}/change/")

    assert seen(alice) == [(therapist, "admin: practice session")]


def test_it_keeps_another_patients_log_apart(therapist_client, alice, bob):
    therapist_client.get(f"/therapist/patients/{bob.pk}/")

    assert seen(alice) == []
    assert len(seen(bob)) == 1


def test_it_logs_nothing_for_a_page_she_may_not_see(client, alice, bob):
    client.force_login(bob)

    assert client.get(f"/therapist/patients/{alice.pk}/").status_code == 404
    assert seen(alice) == []


def test_it_keeps_the_log_pseudonymised_when_she_erases_her_account(
    therapist_client, therapist, alice
):
    therapist_client.get(f"/therapist/patients/{alice.pk}/")
    LogEntry.objects.log_create(
        alice,
        force_log=True,
        action=LogEntry.Action.ACCESS,
        actor=alice,
        actor_email=alice.email,
        additional_data={"what": "data export"},
    )
    patient_id = alice.pk

    user_erase(user=alice)

    (entry,) = LogEntry.objects.filter(action=LogEntry.Action.ACCESS)
    assert entry.actor == therapist
    assert entry.object_pk == str(patient_id)
    assert entry.object_repr == access_log.ERASED
    assert "alice" not in str(LogEntry.objects.values_list()).lower()
