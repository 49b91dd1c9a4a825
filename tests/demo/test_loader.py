"""therapy/demo/loader.py: every problem in a content file names that file."""

import re

import pytest

from therapy.demo.loader import ContentError, load_course, load_questionnaires

COURSE = """
slug = "demo"
title = "Demo"
summary = "Een korte cursus."

[[steps]]
title = "Aanspannen"
introduction = "De eerste stap."
unlock_after_days = 0
unlock_after_sessions = 0
"""

QUESTIONNAIRE = """
title = "Kort"
introduction = "Eén vraag."
min_meaningful_change = 1
repeat_every_weeks = 4
higher_is_worse = true
due_at_intake = true

[[questions]]
text = "Hoe gaat het?"
options = [{ label = "Goed", score = 0 }, { label = "Slecht", score = 1 }]

[[bands]]
min_score = 0
max_score = 1
label = "weinig last"
"""


def lesson(*, slug="welkom", step=1, order=1, image="a.png", extra="", exercise_extra=""):
    return f"""+++
slug = "{slug}"
title = "Welkom"
step = {step}
order = {order}
summary = "Waar de cursus over gaat."
minutes = 5
{extra}

[[exercises]]
name = "Lang aanspannen"
kind = "long_hold"
hold_seconds = 8
relax_seconds = 8
repetitions = 8
sets = 3
rest_between_sets_seconds = 60
instructions = '''
1. Lig op je rug.
2. Span aan en laat los.
'''
{exercise_extra}

[[images]]
file = "{image}"
alt_text = "Een bekken van voren."
caption = "Je bekkenbodem."
+++

Eerste alinea, op één regel.

- Een punt.
"""


@pytest.fixture
def content(tmp_path):
    """A valid content folder with one step, one lesson, one image and one questionnaire."""
    root = tmp_path / "content"
    for folder in ("lessons", "images", "questionnaires"):
        (root / folder).mkdir(parents=True)
    (root / "course.toml").write_text(COURSE)
    (root / "lessons" / "01-welkom.md").write_text(lesson())
    (root / "images" / "a.png").write_bytes(b"not read by the loader")
    (root / "questionnaires" / "kort.toml").write_text(QUESTIONNAIRE)
    return root


def raises_naming(file_name, problem):
    return pytest.raises(ContentError, match=f"{re.escape(file_name)}: .*{re.escape(problem)}")


def test_it_loads_a_course_with_its_lessons(content):
    course = load_course(content)

    assert course.fields == {
        "slug": "demo",
        "title": "Demo",
        "summary": "Een korte cursus.",
        "published": True,
    }
    assert course.steps == [
        {
            "title": "Aanspannen",
            "introduction": "De eerste stap.",
            "unlock_after_days": 0,
            "unlock_after_sessions": 0,
        }
    ]
    [welkom] = course.lessons
    assert welkom.step == 1
    assert welkom.fields["estimated_minutes"] == 5
    assert welkom.fields["body"] == "Eerste alinea, op één regel.\n\n- Een punt."
    assert welkom.exercises[0]["instructions"] == "1. Lig op je rug.\n2. Span aan en laat los."
    assert welkom.images[0].path == content / "images" / "a.png"
    assert welkom.images[0].fields == {
        "alt_text": "Een bekken van voren.",
        "caption": "Je bekkenbodem.",
    }


def test_it_loads_a_questionnaire_named_after_its_file(content):
    [questionnaire] = load_questionnaires(content)

    assert questionnaire.fields["slug"] == "kort"
    assert questionnaire.fields["published"] is True
    [(question, options)] = questionnaire.questions
    assert question == {"text": "Hoe gaat het?"}
    assert options == [{"label": "Goed", "score": 0}, {"label": "Slecht", "score": 1}]
    assert questionnaire.bands == [{"min_score": 0, "max_score": 1, "label": "weinig last"}]


def test_it_passes_other_fields_of_the_model_through(content):
    (content / "lessons" / "01-welkom.md").write_text(
        lesson(
            extra='transcript = "Wat er gezegd wordt."', exercise_extra="allow_short_relax = true"
        )
    )

    [welkom] = load_course(content).lessons

    assert welkom.fields["transcript"] == "Wat er gezegd wordt."
    assert welkom.exercises[0]["allow_short_relax"] is True


def test_it_rejects_a_missing_key(content):
    text = lesson().replace("minutes = 5\n", "")
    (content / "lessons" / "01-welkom.md").write_text(text)

    with raises_naming("01-welkom.md", "missing key 'minutes'"):
        load_course(content)


def test_it_rejects_a_missing_key_in_course_toml(content):
    (content / "course.toml").write_text(COURSE.replace('title = "Demo"\n', ""))

    with raises_naming("course.toml", "missing key 'title'"):
        load_course(content)


def test_it_rejects_an_unknown_key(content):
    (content / "lessons" / "01-welkom.md").write_text(lesson(exercise_extra="herhalingen = 8"))

    with raises_naming("01-welkom.md", "[[exercises]] 1: unknown key 'herhalingen'; allowed:"):
        load_course(content)


def test_it_rejects_an_unknown_key_in_a_questionnaire(content):
    (content / "questionnaires" / "kort.toml").write_text(QUESTIONNAIRE + 'titel = "Kort"\n')

    with raises_naming("kort.toml", "unknown key 'titel'"):
        load_questionnaires(content)


def test_it_rejects_a_duplicate_slug(content):
    (content / "lessons" / "02-welkom.md").write_text(lesson(order=2))

    with raises_naming("02-welkom.md", "slug 'welkom' is already used by 01-welkom.md"):
        load_course(content)


def test_it_rejects_a_step_number_that_does_not_exist(content):
    (content / "lessons" / "01-welkom.md").write_text(lesson(step=2))

    with raises_naming("01-welkom.md", "step 2 does not exist; course.toml has steps 1 to 1"):
        load_course(content)


def test_it_rejects_a_missing_image(content):
    (content / "lessons" / "01-welkom.md").write_text(lesson(image="b.png"))

    with raises_naming("01-welkom.md", "[[images]] 1: image file images/b.png does not exist"):
        load_course(content)


def test_it_rejects_an_image_outside_the_images_folder(content):
    (content / "lessons" / "01-welkom.md").write_text(lesson(image="../course.toml"))

    with raises_naming("01-welkom.md", "file must be a file name in images/"):
        load_course(content)


def test_it_rejects_a_value_the_model_field_would_refuse(content):
    text = lesson().replace('kind = "long_hold"', 'kind = "yoga"')
    (content / "lessons" / "01-welkom.md").write_text(text)

    # The model field's own message, in the active language.
    with raises_naming("01-welkom.md", "[[exercises]] 1: kind: ") as error:
        load_course(content)
    assert "'yoga'" in str(error.value)


def test_it_rejects_two_lessons_in_the_same_place(content):
    (content / "lessons" / "02-tweede.md").write_text(lesson(slug="tweede"))

    with raises_naming("02-tweede.md", "step 1 already has a lesson with order 1: 01-welkom.md"):
        load_course(content)


def test_it_rejects_a_slug_that_differs_from_the_file_name(content):
    (content / "lessons" / "01-welkom.md").write_text(lesson(slug="hallo"))

    with raises_naming("01-welkom.md", "slug 'hallo' differs from the file name's 'welkom'"):
        load_course(content)


def test_it_rejects_a_lesson_without_front_matter(content):
    (content / "lessons" / "01-welkom.md").write_text("Alleen tekst.\n")

    with raises_naming("01-welkom.md", "starts with a +++ line"):
        load_course(content)


def test_it_rejects_toml_that_does_not_parse(content):
    (content / "course.toml").write_text(COURSE + "title = \n")

    with raises_naming("course.toml", "not valid TOML"):
        load_course(content)
