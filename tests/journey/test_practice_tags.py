"""The practice template tags (therapy/journey/templatetags/practice.py): the guided timer's
configuration through json_script, and the feelings and limits the lesson page renders."""

import json
import re

from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from therapy.journey.models import (
    PRACTICE_LOG_WINDOW_DAYS,
    PRACTICE_MAX_REPETITIONS,
    PracticeSession,
)
from therapy.journey.templatetags import practice

LESSON_URL = "/courses/bekkenbodem/bekkenbodem-les-1/"
CONFIG_TEMPLATE = (
    '{% load practice %}{% practice_timer_config as c %}{{ c|json_script:"timer-config" }}'
)
CONFIG_SCRIPT = re.compile(
    r'<script id="timer-config" type="application/json">(.*?)</script>', re.S
)


def render_config(user):
    request = RequestFactory().get(LESSON_URL)
    request.user = user
    return Template(CONFIG_TEMPLATE).render(Context({"request": request}))


def config_of(html):
    [raw] = CONFIG_SCRIPT.findall(html)
    return json.loads(raw)


def test_it_gives_the_lesson_page_the_timer_config_as_valid_json(alice_client, alice):
    response = alice_client.get(LESSON_URL)

    config = config_of(response.content.decode())
    assert config["logUrl"] == "/practice/log/"
    assert config["user"] == str(alice.pk)
    assert config["maxAgeDays"] == PRACTICE_LOG_WINDOW_DAYS
    assert config["maxRepetitions"] == PRACTICE_MAX_REPETITIONS
    assert config["readySeconds"] == practice.TIMER_READY_SECONDS
    # The hand-built block with escapejs is gone: json_script is the one way in.
    assert "escapejs" not in response.content.decode()


def test_it_takes_the_window_from_the_practice_log_limit(alice, monkeypatch):
    monkeypatch.setattr(practice, "PRACTICE_LOG_WINDOW_DAYS", 3)

    assert config_of(render_config(alice))["maxAgeDays"] == 3


def test_it_gives_the_timer_words_in_dutch_by_default(alice):
    strings = config_of(render_config(alice))["strings"]

    assert strings["ready"] == "Neem je beginhouding aan"
    assert strings["sayReady"] == "Neem je beginhouding aan, 3 seconden"
    assert strings["pause"] == "Pauze"
    assert strings["progressRep"] == "Herhaling {rep} van {reps}"
    assert strings["failed"] == "Deze oefening kon niet worden opgeslagen: {errors}"


def test_it_gives_the_timer_words_in_english(alice):
    with translation.override("en"):
        strings = config_of(render_config(alice))["strings"]

    assert strings["ready"] == "Get ready"
    assert strings["sayReady"] == "Get ready, 3 seconds"
    assert strings["resume"] == "Resume"
    assert strings["progressRepSet"] == "Repetition {rep} of {reps}, set {set} of {sets}"
    assert strings["summaryDone"] == "Well done! Repetitions done: {done} of {total}."


def test_it_finds_a_dutch_translation_for_every_timer_word(alice):
    # A msgid that no longer matches the .po file would fall back to English.
    with translation.override("en"):
        english = config_of(render_config(alice))["strings"]
    dutch = config_of(render_config(alice))["strings"]

    assert english.keys() == dutch.keys()
    assert [key for key in english if english[key] == dutch[key]] == []


def test_it_escapes_quotes_and_a_closing_script_tag_in_the_timer_words(alice, monkeypatch):
    nasty = 'Say "hi" & </script><script>alert(1)</script>'
    practice._timer_strings.cache_clear()  # worked out once per language otherwise
    real = practice.gettext
    monkeypatch.setattr(
        practice, "gettext", lambda message: nasty if message == "Get ready" else real(message)
    )

    html = render_config(alice)

    assert html.count("</script>") == 1  # only the block's own end
    assert "<script>alert" not in html
    assert config_of(html)["strings"]["ready"] == nasty


def test_it_reads_no_database_for_the_timer_config(alice, django_assert_num_queries):
    with django_assert_num_queries(0):
        render_config(alice)


def test_it_renders_the_feelings_from_the_model_on_the_timer_and_in_the_log_form(alice_client):
    response = alice_client.get(LESSON_URL)
    html = response.content.decode()

    with translation.override("nl"):
        expected = [(str(value), str(label)) for value, label in PracticeSession.Feeling.choices]
    buttons = re.findall(r'<button [^>]*data-feeling="(\d)"[^>]*>([^<]+)</button>', html)
    radios = re.findall(
        r'<input type="radio" name="feeling" value="(\d)"> ([^<]+?)\s*</label>', html
    )
    assert buttons == expected
    assert radios == expected
    assert expected[0] == ("1", "1 — heel zwaar")


def test_it_renders_the_feelings_in_english(alice):
    template = Template(
        "{% load practice %}{% practice_feelings as feelings %}"
        "{% for value, label in feelings %}{{ value }}={{ label }};{% endfor %}"
    )

    with translation.override("en"):
        html = template.render(Context())

    assert html == "1=1 — very hard;2=2 — hard;3=3 — okay;4=4 — good;5=5 — very good;"


def test_it_takes_the_log_form_maximum_from_the_practice_limit(alice_client):
    response = alice_client.get(LESSON_URL)

    [maximum] = re.findall(r'name="repetitions_done"[^>]*max="(\d+)"', response.content.decode())
    assert int(maximum) == PRACTICE_MAX_REPETITIONS
