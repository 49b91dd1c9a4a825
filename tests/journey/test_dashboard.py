"""The patient's overview: /dashboard/."""

from datetime import timedelta

import pytest

from tests.factories import MONDAY, NOW, TODAY, at, complete, practise
from therapy.journey.models import (
    AnswerOption,
    DiaryEntry,
    PracticeSession,
    Question,
    Questionnaire,
    QuestionnaireResponse,
    ScoreBand,
)

pytestmark = pytest.mark.usefixtures("frozen")


def make_questionnaire(slug="lekcheck", **fields):
    fields = {"published": True, "repeat_every_weeks": 4, "min_meaningful_change": 3, **fields}
    questionnaire = Questionnaire.objects.create(title=f"Vragenlijst {slug}", slug=slug, **fields)
    question = Question.objects.create(questionnaire=questionnaire, text="Hoe vaak?")
    for score in range(4):
        AnswerOption.objects.create(question=question, label=f"{score}", score=score, order=score)
    ScoreBand.objects.create(questionnaire=questionnaire, min_score=0, max_score=1, label="weinig")
    ScoreBand.objects.create(questionnaire=questionnaire, min_score=2, max_score=3, label="veel")
    return questionnaire


def test_it_sends_a_logged_out_visitor_to_the_login(client):
    response = client.get("/dashboard/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/dashboard/"


def test_it_refuses_post(alice_client):
    assert alice_client.post("/dashboard/").status_code == 405


def test_it_shows_practice_this_week_against_the_target(alice_client, alice):
    practise(alice, at(MONDAY), at(MONDAY, 13), at(MONDAY, 20), at(TODAY, 8))
    practise(alice, at(MONDAY - timedelta(days=1)))  # last week: not counted

    practice = alice_client.get("/dashboard/").context["practice"]

    assert practice.this_week == 4
    assert practice.target == 21
    assert practice.today == 1
    assert practice.days_this_week[0] == (MONDAY, 3)
    assert practice.days_this_week[2] == (TODAY, 1)
    assert practice.percent == round(100 * 4 / 21)


def test_it_draws_each_day_in_tenths_of_the_day_target_without_an_inline_style(alice_client, alice):
    practise(alice, at(MONDAY), at(MONDAY, 13), at(MONDAY, 20), at(MONDAY, 21), at(TODAY, 8))

    response = alice_client.get("/dashboard/")

    bars = response.context["practice"].week_bars
    # 3 a day is the target: 4 on Monday is a full bar, not more; 1 is a third (3 tenths).
    assert [tenths for _day, _count, tenths in bars] == [10, 0, 3, 0, 0, 0, 0]
    html = response.content.decode()
    assert html.count('<span class="bar-10"></span>') == 1
    assert html.count('<span class="bar-3"></span>') == 1
    assert 'style="' not in html


def test_it_takes_the_target_from_the_course(alice_client, alice, course):
    course.sessions_per_day = 2
    course.save()

    assert alice_client.get("/dashboard/").context["practice"].target == 14


@pytest.mark.parametrize(
    ("days_ago", "streak"),
    [
        ((0, 1, 2), 3),  # today, yesterday and the day before
        ((0, 2, 3), 1),  # a gap yesterday resets it
        ((1, 2, 3), 3),  # not yet today: yesterday's streak still stands
        ((2, 3, 4), 0),  # neither today nor yesterday
        ((), 0),
        (tuple(range(10)), 10),  # longer than this week
    ],
)
def test_it_counts_the_day_streak(alice_client, alice, days_ago, streak):
    practise(alice, *(at(TODAY - timedelta(days=n), 12) for n in days_ago))

    assert alice_client.get("/dashboard/").context["practice"].streak == streak


def test_it_counts_the_streak_in_her_local_days(alice_client, alice):
    # 00:30 in Amsterdam is still the day before in UTC.
    practise(alice, at(TODAY, 0, 30), at(TODAY - timedelta(days=1), 0, 30))
    practise(alice, at(TODAY - timedelta(days=2), 23, 30))

    practice = alice_client.get("/dashboard/").context["practice"]

    assert practice.streak == 3
    assert practice.today == 1


def test_it_shows_progress_per_step(alice_client, alice, lessons):
    complete(alice, lessons[0], lessons[1], lessons[2])

    outline = alice_client.get("/dashboard/").context["outline"]

    per_step = [
        (step.title, sum(le.state == "done" for le in step_lessons), len(step_lessons))
        for step, step_lessons in outline.steps
    ]
    assert per_step == [("Stap 1", 2, 2), ("Stap 2", 1, 2), ("Stap 3", 0, 1)]
    assert outline.percent_done == 60


def test_it_links_to_the_next_lesson(alice_client, alice, lessons):
    complete(alice, lessons[0], lessons[1], lessons[2])

    response = alice_client.get("/dashboard/")

    assert response.context["outline"].next_lesson == lessons[3]
    assert 'href="/courses/bekkenbodem/bekkenbodem-les-4/"' in response.content.decode()


def test_it_shows_the_diary_weeks_as_charts_with_tables(alice_client, alice):
    for offset, (leaks, pain) in enumerate([(2, 4), (3, 6), (1, 5)]):
        DiaryEntry.objects.create(
            user=alice,
            date=MONDAY + timedelta(days=offset),
            leaks=leaks,
            pads=1,
            urgency=0,
            back_pain=pain,
        )
    DiaryEntry.objects.create(
        user=alice, date=MONDAY - timedelta(days=3), leaks=7, pads=2, urgency=1, back_pain=8
    )

    response = alice_client.get("/dashboard/")

    weeks = response.context["weeks"]
    assert len(weeks) == 12
    assert weeks[-1].week == MONDAY
    assert (weeks[-1].leaks, weeks[-1].back_pain, weeks[-1].days) == (6, 5.0, 3)
    assert weeks[-2].week == MONDAY - timedelta(weeks=1)
    assert (weeks[-2].leaks, weeks[-2].back_pain) == (7, 8.0)
    assert weeks[0].leaks is None
    html = response.content.decode()
    assert html.count("<svg") >= 2
    assert html.count("<table") >= 2
    assert response.context["leaks_chart"].rows[-1][1] == 6


def test_it_draws_her_first_week_and_first_score_as_charts(alice_client, alice):
    DiaryEntry.objects.create(user=alice, date=TODAY, leaks=1, pads=1, urgency=0, back_pain=3)
    QuestionnaireResponse.objects.create(
        user=alice, questionnaire=make_questionnaire(), due_date=TODAY, total_score=2
    )

    html = alice_client.get("/dashboard/").content.decode()

    # One point per chart: the SVG must still be markup, not escaped text.
    assert html.count("<svg") == 3
    assert "&lt;circle" not in html
    assert "&lt;line" not in html


def test_it_shows_questionnaire_scores(alice_client, alice):
    questionnaire = make_questionnaire()
    QuestionnaireResponse.objects.create(
        user=alice,
        questionnaire=questionnaire,
        due_date=TODAY - timedelta(weeks=4),
        submitted_at=NOW - timedelta(weeks=4),
        total_score=3,
    )
    QuestionnaireResponse.objects.create(
        user=alice, questionnaire=questionnaire, due_date=TODAY, total_score=0
    )

    response = alice_client.get("/dashboard/")

    [(history, chart)] = response.context["score_charts"]
    assert history.questionnaire == questionnaire
    assert history.change.points == -3
    assert history.change.meaningful is True
    assert history.change.improved is True
    assert history.latest_band.label == "weinig"
    assert [value for _label, value in chart.rows] == [3, 0]
    assert "<svg" in response.content.decode()


def test_it_lists_the_questionnaires_that_are_due(alice_client, alice):
    due = make_questionnaire()
    make_questionnaire(slug="verborgen", published=False)
    answered = make_questionnaire(slug="rugpijn")
    QuestionnaireResponse.objects.create(
        user=alice, questionnaire=answered, due_date=TODAY, total_score=1
    )

    response = alice_client.get("/dashboard/")

    assert response.context["due"] == [(due, TODAY)]
    html = response.content.decode()
    assert 'href="/questionnaires/lekcheck/"' in html
    assert 'href="/questionnaires/verborgen/"' not in html


def test_it_lists_nothing_due_for_a_patient_without_a_start(client, make_user_without_start):
    make_questionnaire()
    client.force_login(make_user_without_start)

    assert client.get("/dashboard/").context["due"] == []


@pytest.fixture
def make_user_without_start(db):
    from tests.factories import make_user

    return make_user("cora@example.com", intake=False)


def test_it_stays_within_15_queries_with_two_years_of_data(
    alice_client, alice, lessons, django_assert_max_num_queries
):
    first = TODAY - timedelta(days=729)
    days = [first + timedelta(days=n) for n in range(730)]
    DiaryEntry.objects.bulk_create(
        DiaryEntry(user=alice, date=d, leaks=n % 5, pads=1, urgency=2, back_pain=n % 11)
        for n, d in enumerate(days)
    )
    practise(alice, *(at(d, hour) for d in days for hour in (8, 13, 20)))
    for slug in ("lekcheck", "rugpijn", "verzakking", "kwaliteit"):
        questionnaire = make_questionnaire(slug=slug)
        for n in range(3):
            QuestionnaireResponse.objects.create(
                user=alice,
                questionnaire=questionnaire,
                due_date=first + timedelta(weeks=4 * n),
                submitted_at=at(first + timedelta(weeks=4 * n)),
                total_score=n,
            )
    complete(alice, lessons[0], lessons[1])
    assert PracticeSession.objects.count() == 2190
    # The first page view after logging in also checks her consent and saves the session;
    # the budget is for the page itself.
    alice_client.get("/dashboard/")

    with django_assert_max_num_queries(15):
        response = alice_client.get("/dashboard/")

    assert response.status_code == 200
    assert response.context["practice"].streak >= 366
    assert response.context["weeks"][-1].days == 3
