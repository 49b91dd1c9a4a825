"""Questionnaires: /questionnaires/<slug>/ and when they are due."""

from datetime import date, timedelta

import pytest

from tests.factories import NOW, TODAY, later, make_user
from therapy.journey.models import (
    Answer,
    AnswerOption,
    Question,
    Questionnaire,
    QuestionnaireResponse,
    ScoreBand,
)

pytestmark = pytest.mark.usefixtures("frozen")

URL = "/questionnaires/lekcheck/"


@pytest.fixture
def questionnaire(db):
    """Two questions scored 0–3; 3 points is a meaningful change; every 4 weeks."""
    questionnaire = Questionnaire.objects.create(
        title="Lekcheck",
        slug="lekcheck",
        published=True,
        min_meaningful_change=3,
        repeat_every_weeks=4,
    )
    for order, text in enumerate(["Hoe vaak verloor je urine?", "Hoeveel hield het je tegen?"]):
        question = Question.objects.create(questionnaire=questionnaire, text=text, order=order)
        for score in range(4):
            AnswerOption.objects.create(
                question=question, label=f"antwoord {score}", score=score, order=score
            )
    ScoreBand.objects.create(questionnaire=questionnaire, min_score=0, max_score=2, label="weinig")
    ScoreBand.objects.create(questionnaire=questionnaire, min_score=3, max_score=4, label="matig")
    ScoreBand.objects.create(questionnaire=questionnaire, min_score=5, max_score=6, label="veel")
    return questionnaire


def answers(questionnaire, *scores):
    """POST data choosing the option with the given score for each question, in order."""
    data = {}
    for question, score in zip(questionnaire.questions.all(), scores, strict=False):
        data[f"q{question.pk}"] = question.options.get(score=score).pk
    return data


def test_it_shows_the_questions_when_due(alice_client, questionnaire):
    response = alice_client.get(URL)

    assert response.status_code == 200
    assert response.context["can_answer"] is True
    assert response.context["due_date"] == TODAY
    assert len(response.context["form"].fields) == 2


def test_it_stores_the_answers_and_the_total(alice_client, alice, questionnaire):
    response = alice_client.post(URL, answers(questionnaire, 3, 2))

    assert response.status_code == 302
    assert response["Location"] == URL
    saved = QuestionnaireResponse.objects.get()
    assert (saved.user, saved.questionnaire, saved.due_date) == (alice, questionnaire, TODAY)
    assert saved.total_score == 5
    assert saved.submitted_at == NOW
    chosen = sorted(
        (a.question.text, a.option.score) for a in Answer.objects.select_related("option")
    )
    assert chosen == [("Hoe vaak verloor je urine?", 3), ("Hoeveel hield het je tegen?", 2)]


def test_it_refuses_a_second_answer_for_the_same_due_date(alice_client, questionnaire):
    alice_client.post(URL, answers(questionnaire, 3, 2))
    response = alice_client.post(URL, answers(questionnaire, 0, 0))

    assert response.status_code == 302
    assert QuestionnaireResponse.objects.get().total_score == 5
    assert Answer.objects.count() == 2
    assert alice_client.get(URL).context["can_answer"] is False


def test_it_is_due_again_after_the_repeat_interval(frozen, alice_client, alice, questionnaire):
    alice_client.post(URL, answers(questionnaire, 3, 2))

    later(frozen, alice_client, alice, NOW + timedelta(weeks=4) - timedelta(days=1))
    assert alice_client.get(URL).context["can_answer"] is False

    later(frozen, alice_client, alice, NOW + timedelta(weeks=4))
    page = alice_client.get(URL)
    assert page.context["can_answer"] is True
    assert page.context["due_date"] == TODAY + timedelta(weeks=4)
    alice_client.post(URL, answers(questionnaire, 1, 0))

    due_dates = list(QuestionnaireResponse.objects.values_list("due_date", flat=True))
    assert due_dates == [TODAY, TODAY + timedelta(weeks=4)]


def test_it_refuses_a_missing_answer(alice_client, questionnaire):
    data = answers(questionnaire, 3)  # the second question is left open

    response = alice_client.post(URL, data)

    assert response.status_code in {200, 400}
    second = questionnaire.questions.all()[1]
    assert list(response.context["form"].errors) == [f"q{second.pk}"]
    assert not QuestionnaireResponse.objects.exists()
    assert not Answer.objects.exists()


def test_it_refuses_an_option_of_another_question(alice_client, questionnaire):
    first, second = questionnaire.questions.all()
    data = {f"q{first.pk}": second.options.first().pk, f"q{second.pk}": second.options.first().pk}

    response = alice_client.post(URL, data)

    assert response.status_code in {200, 400}
    assert f"q{first.pk}" in response.context["form"].errors
    assert not QuestionnaireResponse.objects.exists()


def test_it_shows_the_band_of_the_score(alice_client, questionnaire):
    alice_client.post(URL, answers(questionnaire, 3, 2))

    history = alice_client.get(URL).context["history"]

    assert history.latest_band.label == "veel"
    assert history.change is None


@pytest.mark.parametrize(
    ("first", "then", "change", "meaningful", "improved"),
    [
        ((3, 2), (1, 0), -4, True, True),
        ((3, 2), (1, 1), -3, True, True),
        ((3, 2), (2, 1), -2, False, True),
        ((0, 0), (2, 1), 3, True, False),
        ((1, 1), (1, 1), 0, False, None),
    ],
)
def test_it_shows_the_change_against_the_first_response(
    frozen, alice_client, alice, questionnaire, first, then, change, meaningful, improved
):
    alice_client.post(URL, answers(questionnaire, *first))
    later(frozen, alice_client, alice, NOW + timedelta(weeks=4))
    alice_client.post(URL, answers(questionnaire, *then))

    history = alice_client.get(URL).context["history"]

    assert len(history.responses) == 2
    assert history.change.points == change
    assert history.change.meaningful is meaningful
    assert history.change.improved is improved


def test_it_compares_with_the_first_not_the_previous_response(
    frozen, alice_client, alice, questionnaire
):
    for week, scores in [(0, (3, 3)), (4, (2, 2)), (8, (2, 1))]:
        later(frozen, alice_client, alice, NOW + timedelta(weeks=week))
        alice_client.post(URL, answers(questionnaire, *scores))

    history = alice_client.get(URL).context["history"]

    assert [r.total_score for r in history.responses] == [6, 4, 3]
    assert history.change.points == -3
    assert history.latest_band.label == "matig"


def test_it_404s_an_unpublished_questionnaire(alice_client, questionnaire):
    questionnaire.published = False
    questionnaire.save()

    assert alice_client.get(URL).status_code == 404
    assert alice_client.post(URL, answers(questionnaire, 1, 1)).status_code == 404
    assert not QuestionnaireResponse.objects.exists()


def test_it_404s_an_unknown_questionnaire(alice_client, questionnaire):
    assert alice_client.get("/questionnaires/bestaat-niet/").status_code == 404


def test_it_sends_a_logged_out_visitor_to_the_login(client, questionnaire):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={URL}"


def test_it_refuses_put(alice_client, questionnaire):
    assert alice_client.put(URL).status_code == 405


def test_it_is_not_due_for_a_patient_without_a_start(client, questionnaire):
    cora = make_user("cora@example.com", intake=False)
    client.force_login(cora)

    assert client.get(URL).context["can_answer"] is False
    client.post(URL, answers(questionnaire, 1, 1))
    assert not QuestionnaireResponse.objects.exists()


def test_it_keeps_bob_s_answers_apart(client, alice, bob, questionnaire):
    QuestionnaireResponse.objects.create(
        user=alice, questionnaire=questionnaire, due_date=TODAY, total_score=6
    )
    client.force_login(bob)

    page = client.get(URL)

    assert page.context["can_answer"] is True
    assert page.context["history"].responses == []
    client.post(URL, answers(questionnaire, 0, 1))
    assert QuestionnaireResponse.objects.get(user=bob).total_score == 1


# --- Questionnaire.due_dates ------------------------------------------------------------

START = date(2026, 1, 5)


@pytest.mark.parametrize(
    ("at_intake", "weeks", "today", "expected"),
    [
        (True, None, START, [START]),
        (True, None, START + timedelta(weeks=30), [START]),
        (False, None, START + timedelta(weeks=30), []),
        (True, 4, START + timedelta(weeks=4) - timedelta(days=1), [START]),
        (True, 4, START + timedelta(weeks=4), [START, START + timedelta(weeks=4)]),
        (
            True,
            4,
            START + timedelta(weeks=9),
            [START, START + timedelta(weeks=4), START + timedelta(weeks=8)],
        ),
        (False, 2, START + timedelta(days=13), []),
        (
            False,
            2,
            START + timedelta(weeks=4),
            [START + timedelta(weeks=2), START + timedelta(weeks=4)],
        ),
        (True, 4, START - timedelta(days=1), []),
    ],
)
def test_it_knows_when_a_questionnaire_is_due(at_intake, weeks, today, expected):
    questionnaire = Questionnaire(due_at_intake=at_intake, repeat_every_weeks=weeks)

    assert questionnaire.due_dates(START, today) == expected


def test_it_is_due_at_the_start_every_six_weeks_of_the_programme_and_at_the_retests():
    q = Questionnaire(due_at_intake=True, repeat_every_weeks=6, repeat_until_week=12)
    q.retest_weeks = "26, 13"
    start = TODAY

    dates = q.due_dates(start, start + timedelta(weeks=30))

    assert [(d - start).days for d in dates] == [0, 42, 91, 182]
    assert q.next_due_after(start, start + timedelta(days=42)) == start + timedelta(days=91)


@pytest.mark.parametrize("value", ["13, x", "0", "13;600"])
def test_it_refuses_retest_weeks_that_are_not_weeks(db, value):
    from django.core.exceptions import ValidationError

    q = Questionnaire(title="T", slug="t", retest_weeks=value)
    with pytest.raises(ValidationError):
        q.full_clean()
