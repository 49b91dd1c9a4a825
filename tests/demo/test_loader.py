"""therapy/demo/loader.py: every problem in a content file names that file."""

import re

import pytest

from therapy.demo.loader import ContentError, ExerciseRef, load_course, load_questionnaires

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
        # No en/course.toml: no English words, so the pages show the Dutch.
        "title_en": None,
        "summary_en": None,
    }
    assert course.steps == [
        {
            "title": "Aanspannen",
            "introduction": "De eerste stap.",
            "unlock_after_days": 0,
            "unlock_after_sessions": 0,
            "title_en": None,
            "introduction_en": None,
        }
    ]
    [welkom] = course.lessons
    assert welkom.step == 1
    assert welkom.fields["estimated_minutes"] == 5
    assert welkom.fields["body"] == "Eerste alinea, op één regel.\n\n- Een punt."
    assert welkom.exercises[0].fields["instructions"] == (
        "1. Lig op je rug.\n2. Span aan en laat los."
    )
    assert welkom.images[0].path == content / "images" / "a.png"
    assert welkom.images[0].fields == {
        "alt_text": "Een bekken van voren.",
        "caption": "Je bekkenbodem.",
        "alt_text_en": None,
        "caption_en": None,
    }


def test_it_loads_a_questionnaire_named_after_its_file(content):
    [questionnaire] = load_questionnaires(content)

    assert questionnaire.fields["slug"] == "kort"
    assert questionnaire.fields["published"] is True
    [(question, options)] = questionnaire.questions
    assert question == {"text": "Hoe gaat het?", "text_en": None}
    assert options == [
        {"label": "Goed", "score": 0, "label_en": None},
        {"label": "Slecht", "score": 1, "label_en": None},
    ]
    assert questionnaire.bands == [
        {"min_score": 0, "max_score": 1, "label": "weinig last", "label_en": None}
    ]


def test_it_passes_other_fields_of_the_model_through(content):
    (content / "lessons" / "01-welkom.md").write_text(
        lesson(
            extra='transcript = "Wat er gezegd wordt."', exercise_extra="allow_short_relax = true"
        )
    )

    [welkom] = load_course(content).lessons

    assert welkom.fields["transcript"] == "Wat er gezegd wordt."
    assert welkom.exercises[0].fields["allow_short_relax"] is True


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


# --- The routine: in_routine, replaces, dose steps --------------------------------------

ROUTINE = """in_routine = true
starting_position = "Lig op je rug met je knieën gebogen."
lying_on_back = true
"""


def routine_lesson(*, slug="welkom", step=1, order=1, name="Lang aanspannen", extra=""):
    """A lesson whose exercise is in the routine, holding 5 s in week 1 and growing."""
    return (
        lesson(slug=slug, step=step, order=order, exercise_extra=ROUTINE + extra)
        .replace('name = "Lang aanspannen"', f'name = "{name}"')
        .replace("hold_seconds = 8\nrelax_seconds = 8\nrepetitions = 8\nsets = 3", SMALL_DOSE)
    )


SMALL_DOSE = "hold_seconds = 5\nrelax_seconds = 10\nrepetitions = 5\nsets = 1"


def dose_step(week, hold, relax, repetitions, sets=None):
    text = f"""
[[exercises.dose_steps]]
from_week = {week}
hold_seconds = {hold}
relax_seconds = {relax}
repetitions = {repetitions}
"""
    return text + (f"sets = {sets}\n" if sets is not None else "")


@pytest.fixture
def two_steps(content):
    """The content folder with a second step, whose lesson may name the first one's exercise."""
    (content / "course.toml").write_text(
        COURSE
        + """
[[steps]]
title = "Zitten"
introduction = "De tweede stap."
unlock_after_days = 14
unlock_after_sessions = 24
"""
    )
    (content / "lessons" / "01-welkom.md").write_text(routine_lesson(name="Liggend"))
    return content


def test_it_loads_routine_exercises_with_their_dose_steps(content):
    steps = dose_step(5, 10, 10, 10) + dose_step(3, 8, 8, 8, sets=2)
    (content / "lessons" / "01-welkom.md").write_text(routine_lesson(extra=steps))

    [exercise] = load_course(content).lessons[0].exercises

    assert exercise.fields["in_routine"] is True
    assert exercise.fields["starting_position"] == "Lig op je rug met je knieën gebogen."
    assert exercise.fields["lying_on_back"] is True
    assert exercise.dose_steps == [
        {"from_week": 3, "hold_seconds": 8, "relax_seconds": 8, "repetitions": 8, "sets": 2},
        {"from_week": 5, "hold_seconds": 10, "relax_seconds": 10, "repetitions": 10, "sets": 1},
    ]
    assert exercise.replaces is None


def test_it_gives_an_exercise_the_model_default_for_a_key_it_leaves_out(content):
    [exercise] = load_course(content).lessons[0].exercises

    # So that taking `in_routine = true` out of a file takes it out of the routine again.
    assert exercise.fields["in_routine"] is False
    assert exercise.fields["starting_position"] == ""
    assert exercise.fields["lying_on_back"] is False
    assert exercise.fields["allow_short_relax"] is False
    assert exercise.dose_steps == []


def test_it_resolves_replaces_to_the_exercise_of_an_earlier_lesson(two_steps):
    (two_steps / "lessons" / "02-zitten.md").write_text(
        routine_lesson(slug="zitten", step=2, name="Zittend", extra='replaces = "Liggend"')
    )

    first, second = load_course(two_steps).lessons

    assert second.exercises[0].replaces_name == "Liggend"
    assert second.exercises[0].replaces == ExerciseRef(lesson="welkom", order=1)


def test_it_rejects_replaces_naming_an_exercise_that_does_not_exist(two_steps):
    (two_steps / "lessons" / "02-zitten.md").write_text(
        routine_lesson(slug="zitten", step=2, name="Zittend", extra='replaces = "Staand"')
    )

    with raises_naming(
        "02-zitten.md",
        "[[exercises]] 1 (Zittend): replaces 'Staand': no exercise of the course has that name",
    ):
        load_course(two_steps)


def test_it_rejects_replaces_naming_an_exercise_of_a_later_lesson(two_steps):
    (two_steps / "lessons" / "01-welkom.md").write_text(
        routine_lesson(name="Liggend", extra='replaces = "Zittend"')
    )
    (two_steps / "lessons" / "02-zitten.md").write_text(
        routine_lesson(slug="zitten", step=2, name="Zittend")
    )

    with raises_naming(
        "01-welkom.md", "that exercise is in 02-zitten.md, not in an earlier lesson"
    ):
        load_course(two_steps)


def test_it_rejects_replaces_naming_an_exercise_outside_the_routine(two_steps):
    (two_steps / "lessons" / "01-welkom.md").write_text(lesson())
    (two_steps / "lessons" / "02-zitten.md").write_text(
        routine_lesson(slug="zitten", step=2, name="Zittend", extra='replaces = "Lang aanspannen"')
    )

    with raises_naming("02-zitten.md", "that exercise (01-welkom.md) is not in the routine"):
        load_course(two_steps)


def test_it_rejects_replaces_on_an_exercise_outside_the_routine(content):
    (content / "lessons" / "01-welkom.md").write_text(lesson(exercise_extra='replaces = "X"'))

    with raises_naming("01-welkom.md", "replaces is for routine exercises; add in_routine = true"):
        load_course(content)


@pytest.mark.parametrize(
    ("step", "problem"),
    [
        (dose_step(3, 8, 6, 8), "dose_steps from week 3: relax_seconds: "),
        (dose_step(3, 61, 61, 8), "dose_steps from week 3: hold_seconds: "),
        (dose_step(3, 8, 8, 0), "dose_steps: repetitions: "),
        (dose_step(3, 8, 8, 8, sets=0), "dose_steps: sets: "),
        (dose_step(1, 5, 10, 5), "dose_steps from week 1: week 1 is the exercise's own dose"),
        (
            dose_step(3, 8, 8, 8) + dose_step(3, 9, 9, 9),
            "dose_steps from week 3: there is already a dose step",
        ),
    ],
    ids=["relax-shorter", "hold-over-60", "no-repetitions", "no-sets", "week-1", "same-week"],
)
def test_it_rejects_a_bad_dose_step(content, step, problem):
    (content / "lessons" / "01-welkom.md").write_text(routine_lesson(extra=step))

    with raises_naming("01-welkom.md", f"[[exercises]] 1 (Lang aanspannen), {problem}"):
        load_course(content)


def test_it_allows_a_short_relaxation_where_the_exercise_says_so(content):
    extra = "allow_short_relax = true\n" + dose_step(3, 8, 4, 8)
    (content / "lessons" / "01-welkom.md").write_text(routine_lesson(extra=extra))

    [exercise] = load_course(content).lessons[0].exercises

    assert exercise.dose_steps[0]["relax_seconds"] == 4


def test_it_rejects_an_exercise_whose_own_dose_breaks_the_rules(content):
    text = lesson().replace(
        "hold_seconds = 8\nrelax_seconds = 8", "hold_seconds = 61\nrelax_seconds = 61"
    )
    (content / "lessons" / "01-welkom.md").write_text(text)

    with raises_naming("01-welkom.md", "[[exercises]] 1 (Lang aanspannen): hold_seconds: "):
        load_course(content)


def test_it_rejects_dose_steps_on_an_exercise_outside_the_routine(content):
    (content / "lessons" / "01-welkom.md").write_text(lesson(exercise_extra=dose_step(3, 8, 8, 8)))

    with raises_naming("01-welkom.md", "dose_steps are the routine's doses over the weeks"):
        load_course(content)


def test_it_passes_the_programme_keys_of_the_course_through(content):
    (content / "course.toml").write_text(
        COURSE.replace(
            'summary = "Een korte cursus."\n',
            'summary = "Een korte cursus."\n'
            "programme_weeks = 12\nmaintenance_sessions_per_week = 3\n",
        )
    )

    fields = load_course(content).fields

    assert fields["programme_weeks"] == 12
    assert fields["maintenance_sessions_per_week"] == 3


def test_it_loads_a_questionnaires_schedule(content):
    schedule = 'repeat_until_week = 12\nretest_weeks = "13, 26"\n'
    (content / "questionnaires" / "kort.toml").write_text(schedule + QUESTIONNAIRE)

    [questionnaire] = load_questionnaires(content)

    assert questionnaire.fields["repeat_until_week"] == 12
    assert questionnaire.fields["retest_weeks"] == "13, 26"


def test_it_asks_a_questionnaire_without_a_schedule_end_or_retests(content):
    [questionnaire] = load_questionnaires(content)

    assert questionnaire.fields["repeat_until_week"] is None
    assert questionnaire.fields["retest_weeks"] == ""


def test_it_rejects_retest_weeks_that_are_not_a_list_of_weeks(content):
    (content / "questionnaires" / "kort.toml").write_text(
        'retest_weeks = "over drie maanden"\n' + QUESTIONNAIRE
    )

    with raises_naming("kort.toml", "retest_weeks: "):
        load_questionnaires(content)


ENGLISH_LESSON = """+++
title = "Welcome"
summary = "What the course is about."

[[exercises]]
name = "Long hold"
instructions = '''
1. Lie on your back.
2. Tighten and let go.
'''

[[images]]
alt_text = "A pelvis from the front."
caption = "Your pelvic floor."
+++

First paragraph, on one line.
"""


def english(content, name, text):
    path = content / "en" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_it_adds_the_english_words_from_the_parallel_files(content):
    english(content, "course.toml", 'title = "Demo course"\n[[steps]]\ntitle = "Tightening"\n')
    english(content, "lessons/01-welkom.md", ENGLISH_LESSON)
    english(
        content,
        "questionnaires/kort.toml",
        'title = "Short"\n[[questions]]\ntext = "How are you?"\n'
        'options = [{ label = "Well" }, { label = "Badly" }]\n',
    )

    course = load_course(content)
    [questionnaire] = load_questionnaires(content)

    assert course.fields["title"] == "Demo"  # the Dutch stays the Dutch
    assert course.fields["title_en"] == "Demo course"
    assert course.fields["summary_en"] is None  # left out: shown in Dutch
    assert course.steps[0]["title_en"] == "Tightening"
    assert course.steps[0]["introduction_en"] is None
    [welkom] = course.lessons
    assert welkom.fields["title_en"] == "Welcome"
    assert welkom.fields["body_en"] == "First paragraph, on one line."
    assert welkom.fields["transcript_en"] is None
    assert welkom.exercises[0].fields["name"] == "Lang aanspannen"
    assert welkom.exercises[0].fields["name_en"] == "Long hold"
    assert welkom.exercises[0].fields["instructions_en"] == (
        "1. Lie on your back.\n2. Tighten and let go."
    )
    assert welkom.exercises[0].fields["hold_seconds"] == 8  # numbers only in the Dutch file
    assert welkom.images[0].fields["caption_en"] == "Your pelvic floor."
    assert questionnaire.fields["title_en"] == "Short"
    [(question, options)] = questionnaire.questions
    assert question["text_en"] == "How are you?"
    assert [option["label_en"] for option in options] == ["Well", "Badly"]
    assert [option["score"] for option in options] == [0, 1]
    assert questionnaire.bands[0]["label_en"] is None  # no [[bands]]: in Dutch


@pytest.mark.parametrize(
    ("name", "text", "problem"),
    [
        # Numbers live in the Dutch file only, so the two cannot disagree.
        (
            "lessons/01-welkom.md",
            ENGLISH_LESSON.replace('name = "Long hold"', 'name = "Long hold"\nhold_seconds = 5'),
            "[[exercises]] 1: unknown key 'hold_seconds'",
        ),
        (
            "lessons/01-welkom.md",
            ENGLISH_LESSON.replace('title = "Welcome"', 'slug = "x"'),
            "'slug'",
        ),
        (
            "lessons/01-welkom.md",
            ENGLISH_LESSON.replace("[[images]]", "[[images]]\nalt_text = 'x'\n[[images]]"),
            "2 [[images]] tables; 01-welkom.md has 1",
        ),
        (
            "questionnaires/kort.toml",
            '[[questions]]\ntext = "How are you?"\noptions = [{ label = "Well" }]\n',
            "[[questions]] 1: 1 [[options]] tables; kort.toml has 2",
        ),
        ("course.toml", 'title = "Demo"\ntitel = "typo"\n', "unknown key 'titel'"),
        ("course.toml", 'title = "x" * 3', "not valid TOML"),
    ],
)
def test_a_wrong_english_file_is_an_error_naming_it(content, name, text, problem):
    path = english(content, name, text)

    with raises_naming(str(path), problem):
        load_course(content)
        load_questionnaires(content)


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("lessons/02-welkom.md", "there is no lessons/02-welkom.md in Dutch"),  # misnumbered
        ("questionnaires/kort-en.toml", "there is no questionnaires/kort-en.toml in Dutch"),
        ("lesson/01-welkom.md", "not a words file"),  # a misspelt folder
    ],
)
def test_an_english_file_without_its_dutch_one_is_an_error(content, name, problem):
    path = english(content, name, ENGLISH_LESSON)

    with raises_naming(str(path if "lesson/" not in name else path.parent), problem):
        load_course(content)
        load_questionnaires(content)
