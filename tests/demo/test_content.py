"""The demo content itself: what a pelvic-floor physiotherapist would check in it."""

import re

from courses.models import HOLD_AND_REST_KINDS, Exercise
from therapy.demo.loader import load_course, load_questionnaires

COURSE = load_course()
EXERCISES = [(lesson, exercise) for lesson in COURSE.lessons for exercise in lesson.exercises]
ROUTINE = [(lesson, exercise) for lesson, exercise in EXERCISES if exercise.fields["in_routine"]]

# One term for one thing, and no calques (the patterns are "te slap" and "te gespannen").
AVOIDED = {
    "bolle rug": "ronde rug",
    "sleutels": "vuistregels",
    "betekenisvol": "merkbaar",
    "hang of span": "te slap of te gespannen",
    "inzakken": "te slap",
    "the knack": "de knijp",
}


def texts():
    """Every Dutch text of the demo content, with where it comes from."""
    yield "course.toml", COURSE.fields["summary"]
    for number, step in enumerate(COURSE.steps, start=1):
        yield f"step {number}", f"{step['title']} {step['introduction']}"
    for lesson in COURSE.lessons:
        fields = lesson.fields
        yield lesson.path.name, f"{fields['title']} {fields['summary']} {fields['body']}"
        for exercise in lesson.exercises:
            exercise_fields = exercise.fields
            words = (
                exercise_fields["name"],
                exercise_fields["instructions"],
                exercise_fields["starting_position"],
            )
            yield lesson.path.name, " ".join(words)
        for image in lesson.images:
            yield lesson.path.name, f"{image.fields['alt_text']} {image.fields['caption']}"
    for questionnaire in load_questionnaires():
        yield questionnaire.path.name, questionnaire.fields["introduction"]
        for question, options in questionnaire.questions:
            yield (
                questionnaire.path.name,
                " ".join([question["text"], *(o["label"] for o in options)]),
            )


def test_it_gives_every_routine_exercise_a_starting_position():
    assert len(ROUTINE) >= 10
    missing = [e.fields["name"] for _lesson, e in ROUTINE if not e.fields["starting_position"]]
    assert missing == []


def test_it_relaxes_at_least_as_long_as_it_holds_on_every_pelvic_floor_exercise():
    too_short = []
    for lesson, exercise in EXERCISES:
        fields = exercise.fields
        if fields["kind"] in HOLD_AND_REST_KINDS or fields["allow_short_relax"]:
            continue
        for dose in [fields, *exercise.dose_steps]:
            if dose["relax_seconds"] < dose["hold_seconds"]:
                too_short.append((lesson.path.name, fields["name"], dose.get("from_week", 1)))
    assert too_short == []


def test_it_starts_each_routine_exercise_at_its_week_1_dose_and_grows_it_with_the_weeks():
    """The holds and flicks lying, sitting and standing share one dose schedule."""
    schedules = {}
    for _lesson, exercise in ROUTINE:
        fields = exercise.fields
        if fields["kind"] in (Exercise.Kind.LONG_HOLD, Exercise.Kind.QUICK_FLICKS):
            steps = [(1, fields["hold_seconds"], fields["relax_seconds"], fields["repetitions"])]
            steps += [
                (d["from_week"], d["hold_seconds"], d["relax_seconds"], d["repetitions"])
                for d in exercise.dose_steps
            ]
            schedules[fields["name"]] = steps
    holds = [(1, 5, 10, 5), (3, 8, 8, 8), (5, 10, 10, 10)]
    flicks = [(1, 1, 2, 5), (3, 1, 2, 8), (5, 1, 2, 10)]
    for position in ("liggend", "zittend", "staand"):
        assert schedules.pop(f"Lang aanspannen ({position})") == holds
        assert schedules.pop(f"Snelle knijpjes ({position})") == flicks
    assert list(schedules) == ["De knijp bij een kuchje"]  # the knack does not grow


def test_it_tells_a_pregnant_patient_how_to_do_the_exercises_on_her_back():
    lessons = {lesson.path.name: lesson for lesson, e in EXERCISES if e.fields["lying_on_back"]}

    assert lessons
    for name, lesson in lessons.items():
        assert "20 weken zwanger" in lesson.fields["body"], name


def test_it_says_how_often_to_practise_in_the_first_lesson():
    body = COURSE.lessons[0].fields["body"]

    assert "**Vandaag**" in body
    assert "drie keer per dag" in body
    assert "twaalf weken" in body
    assert "een paar keer per week" in body


def test_it_uses_one_term_for_one_thing():
    found = [
        (where, avoided, better)
        for where, text in texts()
        for avoided, better in AVOIDED.items()
        if re.search(avoided, text, re.IGNORECASE)
    ]
    assert found == []


def test_it_answers_how_often_questions_with_nooit():
    for questionnaire in load_questionnaires():
        for question, options in questionnaire.questions:
            if question["text"].startswith("Hoe vaak"):
                assert options[0]["label"] == "Nooit", question["text"]
