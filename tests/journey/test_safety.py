"""Safety questions by urgency: /safety/, the warning on every page, /help/, the alert."""

import pytest
from django.core import mail
from django.utils.html import escape

from tests.factories import NOW, make_user, safety_answers
from therapy.journey import safety
from therapy.journey.models import SafetyCheck

pytestmark = pytest.mark.usefixtures("frozen")

URL = "/safety/"
CONFIRM = "/safety/help-sought/"


def answer(client, *flags, **extra):
    data = {f"flags_{safety.URGENCY[safety.RedFlag(flag)]}": [] for flag in flags}
    for flag in flags:
        data[f"flags_{safety.URGENCY[safety.RedFlag(flag)]}"].append(flag)
    return client.post(URL, {**data, **extra})


# --- The list and its urgencies ----------------------------------------------------


def test_it_gives_every_question_an_urgency():
    assert set(safety.URGENCY) == set(safety.RedFlag)
    asked = [code for _u, questions in safety.questions_by_urgency() for code, _l in questions]
    assert len(asked) == len(set(asked)) == len(safety.ASKED)


@pytest.mark.parametrize(
    ("flags", "urgency"),
    [
        ([], None),
        (["pregnant"], "adapt"),
        (["blood_in_urine", "pregnant"], "soon"),
        (["burning_with_fever", "blood_in_urine"], "today"),
        (["blood_in_urine", "saddle_numbness"], "now"),
        (["unknown"], None),
    ],
)
def test_it_takes_the_most_urgent_answer(flags, urgency):
    assert safety.urgency_of(flags) == urgency


# --- GET and POST /safety/ -------------------------------------------------------


def test_it_shows_the_questions_grouped_by_what_to_do(alice_client):
    response = alice_client.get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    for urgency in ("now", "today", "soon", "adapt"):
        assert f'name="flags_{urgency}"' in html
    assert 'value="saddle_numbness"' in html
    assert 'value="recent_surgery_or_pregnancy"' not in html  # only read, never asked


def test_it_stores_no_to_everything_and_sends_her_on(alice_client, alice):
    response = alice_client.post(URL, {"next": "/today/"})

    assert response.status_code == 302
    assert response["Location"] == "/today/"
    check = SafetyCheck.objects.get(user=alice)
    assert (check.flags, check.urgency, check.source) == ([], "", "intake")
    assert mail.outbox == []


def test_it_keeps_her_on_the_advice_after_a_soon_answer(alice_client, alice):
    response = answer(alice_client, "blood_in_urine")

    assert response["Location"] == "/safety/"
    page = alice_client.get(URL).content.decode()
    assert "afspraak met je huisarts" in page
    assert mail.outbox == []  # not urgent: the therapist sees it on her overview


def test_it_says_now_plainly_with_the_numbers_and_tells_the_therapist(
    alice_client, alice, therapist, settings
):
    settings.OUT_OF_HOURS_PHONE = "088 123 45 67"

    answer(alice_client, "saddle_numbness")

    check = SafetyCheck.objects.get(user=alice)
    assert check.urgency == "now" and check.therapist_told_at == NOW
    page = alice_client.get("/diary/").content.decode()  # any page: the warning is there
    assert "tel:112" in page
    assert "088 123 45 67" in page
    [email] = mail.outbox
    assert email.to == [therapist.email]
    assert f"/therapist/patients/{alice.pk}/" in email.body
    for secret in ("gevoel", "Numbness", "saddle", "alice", "Alice"):
        assert secret.lower() not in (email.subject + email.body).lower()


def test_it_shows_the_warning_on_every_page_until_she_confirms(alice_client, alice):
    answer(alice_client, "fever_with_flank_pain")
    for url in ("/today/", "/courses/", "/dashboard/", "/accounts/profile/"):
        assert "safety-warning" in alice_client.get(url).content.decode(), url

    response = alice_client.post(CONFIRM)

    assert response.status_code == 302
    assert SafetyCheck.objects.get(user=alice).help_sought_at == NOW
    assert "safety-warning" not in alice_client.get("/courses/").content.decode()


def test_it_shows_the_warning_in_a_new_session_too(client, alice):
    safety_answers(alice, "weakness_both_legs")
    client.force_login(alice)

    assert "safety-warning" in client.get("/courses/").content.decode()


def test_it_never_shows_her_warning_to_another_patient(client, alice, bob):
    safety_answers(alice, "weakness_both_legs")
    client.force_login(bob)

    assert "safety-warning" not in client.get("/accounts/profile/").content.decode()


def test_it_clears_the_warning_when_she_answers_again_with_no(alice_client, alice):
    answer(alice_client, "saddle_numbness")
    alice_client.post(URL, {})

    assert "safety-warning" not in alice_client.get("/courses/").content.decode()
    assert SafetyCheck.objects.filter(user=alice).count() == 2


def test_it_refuses_an_unknown_answer_and_stores_nothing(alice_client, alice):
    response = alice_client.post(URL, {"flags_now": ["not-a-question"]})

    assert response.status_code == 400
    assert not SafetyCheck.objects.exists()


def test_it_refuses_an_answer_in_the_wrong_group(alice_client, alice):
    response = alice_client.post(URL, {"flags_soon": ["saddle_numbness"]})

    assert response.status_code == 400
    assert not SafetyCheck.objects.exists()


def test_it_asks_to_log_in(client, db):
    assert client.get(URL)["Location"] == "/accounts/login/?next=/safety/"
    assert client.post(CONFIRM)["Location"].startswith("/accounts/login/")


def test_it_refuses_other_methods(alice_client):
    assert alice_client.put(URL).status_code == 405
    assert alice_client.get(CONFIRM).status_code == 405


def test_it_answers_404_to_a_confirmation_without_an_urgent_answer(alice_client, alice):
    safety_answers(alice, "blood_in_urine")

    assert alice_client.post(CONFIRM).status_code == 404


def test_it_confirms_only_her_own_answer(client, alice, bob):
    safety_answers(bob, "saddle_numbness")
    client.force_login(alice)

    assert client.post(CONFIRM).status_code == 404
    assert SafetyCheck.objects.get(user=bob).help_sought_at is None


def test_it_asks_the_safety_questions_again_with_a_questionnaire(alice_client, alice):
    from therapy.journey.models import AnswerOption, Question, Questionnaire

    q = Questionnaire.objects.create(title="Lekcheck", slug="lekcheck", published=True)
    question = Question.objects.create(questionnaire=q, text="Hoe vaak?")
    option = AnswerOption.objects.create(question=question, label="Nooit", score=0)

    page = alice_client.get("/questionnaires/lekcheck/").content.decode()
    assert 'name="safety-flags_now"' in page
    response = alice_client.post(
        "/questionnaires/lekcheck/",
        {f"q{question.pk}": option.pk, "safety-flags_today": ["burning_with_fever"]},
    )

    assert response["Location"] == "/safety/"
    check = SafetyCheck.objects.get(user=alice)
    assert (check.source, check.urgency) == ("check_in", "today")


# --- /help/ ------------------------------------------------------------------------


def test_it_shows_when_to_seek_help_without_login(client, db):
    response = client.get("/help/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "tel:112" in html
    for _urgency, questions in safety.questions_by_urgency():
        for _code, label in questions:
            assert escape(str(label)) in html


def test_it_links_help_from_the_footer_and_every_lesson(client, alice_client, lessons):
    assert 'href="/help/"' in client.get("/").content.decode()
    assert 'href="/help/"' in alice_client.get(lessons[0].get_absolute_url()).content.decode()


def test_it_refuses_post_to_help(client, db):
    assert client.post("/help/").status_code == 405


def test_it_sends_a_new_patient_from_the_intake_to_the_safety_questions(client, db):
    newcomer = make_user("nieuw@example.com", intake=False)
    client.force_login(newcomer)

    response = client.post(
        "/accounts/profile/",
        {"complaints": ["urine_loss"], "timezone": "Europe/Amsterdam", "language": "nl"},
    )

    assert response["Location"] == "/safety/"
