"""The therapist's overview: flags that say whom to call, at /therapist/."""

import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from accounts.models import Profile, User
from courses.models import Enrollment, LessonProgress, LessonQuestion, PatientAccess
from tests.factories import NOW, TODAY, complete, make_user, practise, safety_answers
from therapy.clinic import overview
from therapy.journey.models import (
    DiaryEntry,
    PracticeSession,
    Questionnaire,
    QuestionnaireResponse,
    SafetyCheck,
)

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture(autouse=True)
def _settled(monkeypatch):
    # These tests are about the signals of patients past their first days (those have a
    # grace period of their own: tests/clinic/test_alerts.py).
    monkeypatch.setattr(overview, "GRACE_DAYS", 0)


@pytest.fixture(autouse=True)
def _english():
    # Reasons are compared in English, the app's source language.
    with translation.override("en"):
        yield


def row_for(user):
    return next(row for row in overview.patient_rows() if row.user.pk == user.pk)


def codes(user):
    return [flag.code for flag in row_for(user).flags]


def flag(user, code):
    return next(f for f in row_for(user).flags if f.code == code)


def diary(user, day, back_pain=2, **fields):
    return DiaryEntry.objects.create(
        user=user,
        date=day,
        **{"leaks": 1, "pads": 1, "urgency": 1, "back_pain": back_pain, **fields},
    )


def questionnaire(slug="lekcheck", **fields):
    fields = {"min_meaningful_change": 2, "published": True, **fields}
    return Questionnaire.objects.create(title=f"Vragenlijst {slug}", slug=slug, **fields)


def score(user, q, total, weeks_ago):
    return QuestionnaireResponse.objects.create(
        user=user,
        questionnaire=q,
        due_date=TODAY - timedelta(weeks=weeks_ago),
        submitted_at=NOW - timedelta(weeks=weeks_ago),
        total_score=total,
    )


def _activity(kind, user, lessons, moment):
    if kind == "practice":
        practise(user, moment)
    elif kind == "diary":
        entry = diary(user, moment.date())
        DiaryEntry.objects.filter(pk=entry.pk).update(updated_at=moment)
    elif kind == "opened":
        LessonProgress.objects.create(user=user, lesson=lessons[0], first_opened_at=moment)
    elif kind == "completed":
        LessonProgress.objects.create(
            user=user, lesson=lessons[0], first_opened_at=moment, completed_at=moment
        )


ACTIVITIES = ["practice", "diary", "opened", "completed"]


# --- Inactivity -----------------------------------------------------------------------


def test_it_flags_a_patient_with_no_activity_yet(alice):
    [inactive] = row_for(alice).flags

    assert inactive.code == "inactive"
    assert inactive.reason == "No activity yet"


@pytest.mark.parametrize("kind", ACTIVITIES)
def test_it_flags_no_activity_for_a_week(alice, lessons, kind):
    _activity(kind, alice, lessons, NOW - timedelta(days=8))

    assert codes(alice) == ["inactive"]
    assert flag(alice, "inactive").reason == "No activity for 8 days"


def test_it_flags_exactly_a_week_without_activity(alice):
    practise(alice, NOW - timedelta(days=7, minutes=1))

    assert flag(alice, "inactive").reason == "No activity for 7 days"


@pytest.mark.parametrize("kind", ACTIVITIES)
def test_it_does_not_flag_activity_within_the_week(alice, lessons, kind):
    _activity(kind, alice, lessons, NOW - timedelta(days=6))

    assert "inactive" not in codes(alice)


def test_it_flags_a_patient_who_is_active_but_stopped_practising(alice, lessons):
    practise(alice, NOW - timedelta(days=21))
    DiaryEntry.objects.create(user=alice, date=NOW.date(), leaks=1, pads=1, urgency=0, back_pain=3)

    assert codes(alice) == ["practice_stopped"]
    assert flag(alice, "practice_stopped").reason == "No practice for 7 days"


def test_it_does_not_flag_practice_within_the_week(alice):
    practise(alice, NOW - timedelta(days=6))

    assert codes(alice) == []


def test_it_counts_the_latest_activity_of_any_kind(alice, lessons):
    practise(alice, NOW - timedelta(days=20))
    LessonProgress.objects.create(
        user=alice, lesson=lessons[0], first_opened_at=NOW - timedelta(days=2)
    )

    row = row_for(alice)
    assert row.last_activity == NOW - timedelta(days=2)
    assert "inactive" not in codes(alice)


# --- Back pain ------------------------------------------------------------------------


def test_it_flags_high_back_pain_on_two_days_this_week(alice):
    diary(alice, TODAY, back_pain=7)
    diary(alice, TODAY - timedelta(days=6), back_pain=9)

    high = flag(alice, "pain_high")
    assert "7" in high.reason
    assert "2 days" in high.reason


def test_it_does_not_flag_high_back_pain_on_one_day(alice):
    diary(alice, TODAY, back_pain=10)
    diary(alice, TODAY - timedelta(days=1), back_pain=6)

    assert "pain_high" not in codes(alice)


def test_it_does_not_flag_high_back_pain_before_this_week(alice):
    diary(alice, TODAY, back_pain=8)
    diary(alice, TODAY - timedelta(days=7), back_pain=8)

    assert "pain_high" not in codes(alice)


@pytest.mark.parametrize(
    ("this_week", "flagged"), [((5, 5), True), ((4, 4), True), ((3, 4), False)]
)
def test_it_flags_back_pain_rising_against_her_first_week(alice, this_week, flagged):
    first_day = TODAY - timedelta(weeks=4)
    for offset, pain in enumerate([2, 2, 2]):
        diary(alice, first_day + timedelta(days=offset), back_pain=pain)
    for offset, pain in enumerate(this_week):
        diary(alice, TODAY - timedelta(days=offset), back_pain=pain)

    assert ("pain_rising" in codes(alice)) is flagged
    if flagged:
        change = sum(this_week) / len(this_week) - 2
        assert f"{change:.1f}" in flag(alice, "pain_rising").reason


def test_it_does_not_flag_back_pain_that_went_down(alice):
    diary(alice, TODAY - timedelta(weeks=3), back_pain=6)
    diary(alice, TODAY, back_pain=2)

    row = row_for(alice)
    assert row.pain_change == -4
    assert "pain_rising" not in codes(alice)


# --- Intake and questionnaires --------------------------------------------------------


def test_it_flags_a_safety_answer(alice):
    safety_answers(alice, "blood_in_urine", "trouble_emptying")

    red = flag(alice, "red_flag")
    assert "Blood in your urine" in red.reason
    assert "Trouble emptying your bladder" in red.reason
    assert row_for(alice).urgent is False


def test_it_puts_an_urgent_safety_answer_on_top_until_she_sought_help(alice, bob):
    practise(alice, NOW)
    practise(bob, NOW)
    check = safety_answers(bob, "saddle_numbness")
    Enrollment.objects.create(user=bob, course=alice.enrollments.get().course)
    diary(alice, TODAY, back_pain=9)
    diary(alice, TODAY - timedelta(days=1), back_pain=9)  # alice's flag: high pain

    rows, _key = overview.sort_rows(overview.patient_rows(), "-flags")
    assert [row.name for row in rows][0] == "Bob"
    assert "not yet confirmed" in flag(bob, "red_flag").reason

    check.help_sought_at = NOW
    check.save()
    rows, _key = overview.sort_rows(overview.patient_rows(), "-flags")
    assert [row.name for row in rows][0] == "Alice"


def test_it_reads_only_her_latest_safety_answers(alice):
    practise(alice, NOW)
    safety_answers(alice, "blood_in_urine", when=NOW - timedelta(weeks=4))
    safety_answers(alice, when=NOW)

    assert codes(alice) == []


def test_it_does_not_flag_an_intake_without_red_flags(alice):
    practise(alice, NOW)

    assert codes(alice) == []


@pytest.mark.parametrize(
    ("higher_is_worse", "first", "latest", "flagged"),
    [
        (True, 10, 12, True),
        (True, 10, 15, True),
        (True, 10, 11, False),
        (True, 10, 6, False),
        (False, 10, 14, False),
        (False, 10, 8, True),
        (False, 10, 9, False),
    ],
)
def test_it_flags_a_questionnaire_score_that_got_worse(
    alice, higher_is_worse, first, latest, flagged
):
    practise(alice, NOW)
    q = questionnaire(higher_is_worse=higher_is_worse)
    score(alice, q, first, weeks_ago=8)
    score(alice, q, latest, weeks_ago=0)

    assert codes(alice) == (["score_worse"] if flagged else [])
    if flagged:
        reason = flag(alice, "score_worse").reason
        assert "Vragenlijst lekcheck" in reason
        assert str(abs(latest - first)) in reason


def test_it_does_not_flag_a_single_score(alice):
    practise(alice, NOW)
    score(alice, questionnaire(), 30, weeks_ago=0)

    assert codes(alice) == []


def test_it_keeps_the_score_flag_when_another_questionnaire_is_answered_later(alice):
    practise(alice, NOW)
    worse = questionnaire("lekcheck")
    score(alice, worse, 4, weeks_ago=8)
    score(alice, worse, 9, weeks_ago=1)
    score(alice, questionnaire("rugpijn"), 3, weeks_ago=0)

    assert "score_worse" in codes(alice)


def test_it_gives_every_flag_a_reason(alice):
    safety_answers(alice, "fever_with_flank_pain")
    diary(alice, TODAY - timedelta(weeks=5), back_pain=1)
    diary(alice, TODAY, back_pain=8)
    diary(alice, TODAY - timedelta(days=1), back_pain=8)
    DiaryEntry.objects.update(updated_at=NOW - timedelta(days=10))
    q = questionnaire()
    score(alice, q, 1, weeks_ago=6)
    score(alice, q, 5, weeks_ago=2)

    flags = row_for(alice).flags

    assert sorted(f.code for f in flags) == [
        "inactive",
        "pain_high",
        "pain_rising",
        "red_flag",
        "score_worse",
    ]
    assert all(f.reason.strip() for f in flags)


def test_it_leaves_staff_out(alice, therapist):
    assert [row.user for row in overview.patient_rows()] == [alice]


# --- Sorting, filtering, pages --------------------------------------------------------


@pytest.fixture
def patients(lessons, therapist):
    """Dora (2 flags), Anna (no flags), Cato (1 flag); Bea does not exist. All Marieke's."""
    anna = make_user("anna@example.com", display_name="Anna", therapist=therapist)
    practise(anna, NOW)
    cato = make_user("cato@example.com", display_name="Cato", therapist=therapist)
    dora = make_user("dora@example.com", display_name="Dora", therapist=therapist)
    safety_answers(dora, "blood_in_urine")
    return {"anna": anna, "cato": cato, "dora": dora}


def test_it_sorts_rows_by_flags_then_by_name(patients):
    rows, key = overview.sort_rows(overview.patient_rows(), "-flags")

    assert key == "-flags"
    assert [row.name for row in rows] == ["Dora", "Cato", "Anna"]


def test_it_sorts_patients_with_as_many_flags_by_name(patients):
    # Anna loses her practice: now Anna and Cato both have one flag.
    PracticeSession.objects.filter(user=patients["anna"]).delete()

    rows, _key = overview.sort_rows(overview.patient_rows(), "-flags")

    assert [row.name for row in rows] == ["Dora", "Anna", "Cato"]


def test_it_sorts_rows_by_name(patients):
    rows, key = overview.sort_rows(overview.patient_rows(), "name")

    assert key == "name"
    assert [row.name for row in rows] == ["Anna", "Cato", "Dora"]


def test_it_sorts_by_flags_for_an_unknown_key(patients):
    _rows, key = overview.sort_rows(overview.patient_rows(), "password")

    assert key == "-flags"


def names(response):
    return [row.name for row in response.context["page"].object_list]


def test_it_sorts_the_page_by_flags_by_default(therapist_client, patients):
    response = therapist_client.get("/therapist/")

    assert response.status_code == 200
    assert names(response) == ["Dora", "Cato", "Anna"]
    assert response.context["sort"] == "-flags"


def test_it_sorts_the_page_by_name(therapist_client, patients):
    response = therapist_client.get("/therapist/?sort=name")

    assert names(response) == ["Anna", "Cato", "Dora"]
    assert therapist_client.get("/therapist/?sort=-name").context["sort"] == "-name"
    assert names(therapist_client.get("/therapist/?sort=-name")) == ["Dora", "Cato", "Anna"]


def test_it_filters_the_patients_who_need_attention(therapist_client, patients):
    response = therapist_client.get("/therapist/?filter=attention")

    assert names(response) == ["Dora", "Cato"]
    assert response.context["attention"] is True
    assert response.context["total"] == 2


def test_it_shows_25_patients_per_page(therapist_client, therapist):
    users = User.objects.bulk_create(
        User(email=f"p{i:02}@example.com", display_name=f"Patient {i:02}") for i in range(30)
    )
    Profile.objects.bulk_create(Profile(user=u, therapist=therapist) for u in users)

    first = therapist_client.get("/therapist/?sort=name")
    second = therapist_client.get("/therapist/?sort=name&page=2")

    assert len(first.context["page"].object_list) == 25
    assert names(second) == [f"Patient {i:02}" for i in range(25, 30)]
    assert first.context["total"] == 30


# --- A fixed number of queries --------------------------------------------------------


def add_patients(course, lessons, count, start, therapist=None):
    """`count` patients with a profile, enrolment, diary, practice, lesson and question."""
    users = User.objects.bulk_create(
        User(email=f"patient{n}@example.com", display_name=f"Patient {n}")
        for n in range(start, start + count)
    )
    Profile.objects.bulk_create(
        Profile(
            user=u,
            intake_completed_at=NOW - timedelta(weeks=6),
            therapist=therapist,
        )
        for u in users
    )
    SafetyCheck.objects.bulk_create(
        SafetyCheck(user=u, flags=["blood_in_urine"], urgency="soon", answered_at=NOW)
        for u in users
        if u.pk % 7 == 0
    )
    Enrollment.objects.bulk_create(Enrollment(user=u, course=course) for u in users)
    DiaryEntry.objects.bulk_create(
        DiaryEntry(
            user=u, date=TODAY - timedelta(days=d), leaks=1, pads=1, urgency=1, back_pain=d % 11
        )
        for u in users
        for d in range(0, 40, 3)
    )
    PracticeSession.objects.bulk_create(
        PracticeSession(
            user=u,
            exercise_name="Lang vasthouden",
            idempotency_key=uuid.uuid4(),
            started_at=NOW - timedelta(days=d, hours=1),
            duration_seconds=300,
            repetitions_done=24,
        )
        for u in users
        for d in range(0, 20, 2)
    )
    LessonProgress.objects.bulk_create(
        LessonProgress(user=u, lesson=lessons[0], first_opened_at=NOW, completed_at=NOW)
        for u in users
    )
    LessonQuestion.objects.bulk_create(
        LessonQuestion(user=u, lesson=lessons[0], text="Mag ik dit ook zittend doen?")
        for u in users
    )
    q = Questionnaire.objects.get_or_create(
        slug="lekcheck", defaults={"title": "Lekcheck", "published": True}
    )[0]
    QuestionnaireResponse.objects.bulk_create(
        QuestionnaireResponse(
            user=u,
            questionnaire=q,
            due_date=TODAY - timedelta(weeks=w),
            submitted_at=NOW - timedelta(weeks=w),
            total_score=w + u.pk % 5,
        )
        for u in users
        for w in (0, 4)
    )


def count_queries(func):
    with CaptureQueriesContext(connection) as context:
        func()
    return len(context.captured_queries)


def test_it_builds_the_rows_in_a_fixed_number_of_queries(course, lessons):
    add_patients(course, lessons, 10, start=0)
    with_10 = count_queries(overview.patient_rows)

    add_patients(course, lessons, 190, start=10)
    with_200 = count_queries(overview.patient_rows)

    assert len(overview.patient_rows()) == 200
    assert with_200 == with_10
    assert with_200 <= 12


def test_it_shows_200_patients_in_as_many_queries_as_10(
    therapist_client, therapist, course, lessons
):
    add_patients(course, lessons, 10, start=0, therapist=therapist)
    therapist_client.get("/therapist/")  # the first view also saves the session
    with_10 = count_queries(lambda: therapist_client.get("/therapist/"))

    add_patients(course, lessons, 190, start=10, therapist=therapist)
    # The first view builds the 190 new patients' statuses, in a fixed number of queries too.
    building = count_queries(lambda: therapist_client.get("/therapist/"))
    with CaptureQueriesContext(connection) as context:
        response = therapist_client.get("/therapist/")
    with_200 = len(context.captured_queries)

    assert response.status_code == 200
    assert response.context["total"] == 200
    assert len(response.context["page"].object_list) == 25
    assert with_200 == with_10
    assert with_200 <= 20
    assert building <= with_200 + 12


def test_it_builds_a_patients_status_again_when_her_data_changes(therapist_client, alice):
    assert therapist_client.get("/therapist/?filter=attention").context["attention_count"] == 1
    practise(alice, NOW)
    diary = [
        DiaryEntry(
            user=alice, date=TODAY - timedelta(days=d), leaks=0, pads=0, urgency=0, back_pain=9
        )
        for d in (0, 1)
    ]
    DiaryEntry.objects.bulk_create(diary)  # no signal: the bulk write says so itself
    from accounts.versions import data_changed

    data_changed(alice.pk)

    row = therapist_client.get("/therapist/").context["page"].object_list[0]
    assert "pain_high" in [flag.code for flag in row.flags]
    assert alice.clinic_status.steady_flags >= 1


def test_it_builds_the_statuses_again_on_a_new_day(therapist_client, therapist, alice, frozen):
    practise(alice, NOW)
    assert therapist_client.get("/therapist/?filter=attention").context["total"] == 0

    frozen.shift(timedelta(days=8))  # a week without anything: inactive
    therapist_client.logout()  # her session ended meanwhile; a cache would still hold it
    therapist_client.force_login(therapist)

    response = therapist_client.get("/therapist/?filter=attention")
    assert response.context["total"] == 1
    assert [f.code for f in response.context["page"].object_list[0].flags] == ["inactive"]


def test_the_cron_command_builds_the_statuses_of_the_day(alice, bob):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("overview_refresh", stdout=out)
    assert out.getvalue().startswith("Built 2 patient status(es)")
    call_command("overview_refresh", stdout=out)
    assert "Built 0 patient status(es)" in out.getvalue()


def test_a_lesson_or_step_hidden_for_her_does_not_count_for_her_progress(alice, therapist, lessons):
    complete(alice, lessons[0], lessons[1])  # 2 of the course's 5 lessons
    assert row_for(alice).percent_done == 40

    PatientAccess.objects.create(
        user=alice, lesson=lessons[4], state=PatientAccess.State.HIDDEN, set_by=therapist
    )
    assert row_for(alice).percent_done == 50  # 2 of her 4

    PatientAccess.objects.create(
        user=alice, step=lessons[2].step, state=PatientAccess.State.HIDDEN, set_by=therapist
    )
    row = row_for(alice)
    assert row.percent_done == 100  # the step with lessons 3 and 4 is not hers either
