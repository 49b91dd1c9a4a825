"""`manage.py seed_demo`: the demo course and questionnaires from therapy/demo/content/."""

import functools
import io
import re
import shutil
from itertools import pairwise

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from courses import languages
from courses.models import Exercise, ExerciseDose, Invitation, Lesson, LessonImage, Step
from therapy.demo.loader import CONTENT_DIR, LESSON_FILE, load_course
from therapy.demo.management.commands import seed_demo
from therapy.demo.practice import practice_emails
from therapy.journey.models import AnswerOption, Question, Questionnaire, ScoreBand

pytestmark = pytest.mark.django_db

SEEDED = (
    Step,
    Lesson,
    Exercise,
    ExerciseDose,
    LessonImage,
    Questionnaire,
    Question,
    AnswerOption,
    ScoreBand,
)
# What may start a line right under another one; anything else continues a wrapped paragraph.
BLOCK_START = re.compile(r"- |\d+\. |#+ ")


def seed(**options):
    out = io.StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def counts():
    return {model.__name__: model.objects.count() for model in (*SEEDED, User)}


def continued_lines(text):
    """Lines that go on with the line above them: a paragraph wrapped by hand."""
    lines = pairwise(text.splitlines())
    return [line for above, line in lines if above and line and not BLOCK_START.match(line)]


def routine_state():
    """What the routine is made of: each routine exercise, what it replaces, its doses."""
    return {
        (exercise.lesson.slug, exercise.order): (
            exercise.pk,
            exercise.replaces_id,
            [
                (d.from_week, d.hold_seconds, d.relax_seconds, d.repetitions, d.sets)
                for d in exercise.dose_steps.all()
            ],
        )
        for exercise in Exercise.objects.in_routine().select_related("lesson")
    }


@pytest.fixture
def content_copy(tmp_path, monkeypatch):
    """A copy of the demo content that seed_demo reads instead; edit it to test errors."""
    root = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, root)
    monkeypatch.setattr(seed_demo, "load_course", functools.partial(load_course, root))
    return root


def edit(path, old, new):
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_it_duplicates_nothing_when_run_twice():
    seed(force_users=True)
    first = counts()
    routine = routine_state()

    output = seed(force_users=True)

    assert counts() == first
    assert routine_state() == routine
    assert first["User"] == 3 + len(practice_emails())  # two therapists, Anna, the practice
    assert all(first[model.__name__] > 0 for model in SEEDED)
    assert f"{first['LessonImage']} images (0 newly stored)" in output
    assert "patient@example.com" in output


def test_it_writes_no_history_when_run_again_on_unchanged_files():
    seed()
    histories = [Step.history, Lesson.history, Exercise.history, ExerciseDose.history]
    before = [history.count() for history in histories]

    seed()

    assert [history.count() for history in histories] == before


def test_it_brings_changed_text_back_to_the_files():
    seed()
    lesson = Lesson.objects.order_by("pk").first()
    original = lesson.body
    Lesson.objects.filter(pk=lesson.pk).update(body="Veranderd.", published=False)

    seed()

    lesson.refresh_from_db()
    assert lesson.body == original
    assert lesson.published


def test_it_loads_every_file_under_content():
    seed()

    course = load_course()
    lesson_files = sorted((CONTENT_DIR / "lessons").glob("*.md"))
    slugs = {LESSON_FILE.fullmatch(path.name)["slug"] for path in lesson_files}
    assert set(Lesson.objects.values_list("slug", flat=True)) == slugs
    assert Step.objects.count() == len(course.steps)

    image_files = {path.name for path in (CONTENT_DIR / "images").iterdir()}
    used = [image.path.name for lesson in course.lessons for image in lesson.images]
    assert set(used) == image_files
    assert LessonImage.objects.count() == len(used)

    questionnaire_files = sorted((CONTENT_DIR / "questionnaires").glob("*.toml"))
    assert set(Questionnaire.objects.values_list("slug", flat=True)) == {
        path.stem for path in questionnaire_files
    }

    # Nothing else lies there unread (a new kind of file needs the loader, and this test).
    loaded = {CONTENT_DIR / "course.toml", CONTENT_DIR / "README.md", *lesson_files}
    # The demo practice: therapy/demo/practice.py, tests/demo/test_practice.py.
    loaded.add(CONTENT_DIR / "practice.toml")
    # Videos and captions, each named by a lesson.
    videos = [lesson.video for lesson in course.lessons if lesson.video]
    videos += [path for lesson in course.lessons for path in lesson.captions.values()]
    assert set(videos) == set((CONTENT_DIR / "videos").iterdir())
    assert Lesson.objects.exclude(video_file="").count() == len(
        [lesson for lesson in course.lessons if lesson.video]
    )
    loaded |= set(videos)
    loaded |= {*questionnaire_files, *(CONTENT_DIR / "images").iterdir()}
    # The words in other languages: each file the counterpart of a Dutch one, and loaded.
    for language in languages.other_languages():
        words = CONTENT_DIR / language
        counterparts = {words / path.relative_to(CONTENT_DIR) for path in loaded}
        files = {path for path in words.rglob("*") if path.is_file()}
        assert files <= counterparts, files - counterparts
        loaded |= files
        translated = {path.name for path in files if path.parent.name == "lessons"}
        assert Lesson.objects.exclude(**{f"body_{language}": None}).count() == len(translated)
    assert {path for path in CONTENT_DIR.rglob("*") if path.is_file()} == loaded


def test_it_stores_lesson_text_without_hard_wrapped_lines():
    assert continued_lines("Een zin die\ndoorloopt.\n\n- een punt\n- nog een") == ["doorloopt."]

    seed()

    texts = []
    for language in languages.all_languages():
        texts += Lesson.objects.values_list(f"body_{language}", flat=True)
        texts += Exercise.objects.values_list(f"instructions_{language}", flat=True)
    assert texts and all(texts)
    assert [line for text in texts for line in continued_lines(text)] == []
    assert all(text == text.strip() for text in texts)


def test_it_leaves_stored_images_alone_and_stores_a_missing_file_again():
    seed()
    images = LessonImage.objects.count()
    lost, kept = LessonImage.objects.order_by("pk")[:2]
    kept_name = kept.image.name
    kept_mtime = kept.image.storage.get_modified_time(kept.image.name)
    lost.image.storage.delete(lost.image.name)

    output = seed()

    assert "images (1 newly stored)" in output
    lost.refresh_from_db()
    assert lost.image.storage.exists(lost.image.name)
    assert lost.width == 1600
    assert len(lost.renditions) == 3
    kept.refresh_from_db()
    assert kept.image.name == kept_name
    assert kept.image.storage.get_modified_time(kept_name) == kept_mtime
    assert LessonImage.objects.count() == images


def test_it_makes_no_demo_users_when_debug_is_off(settings):
    settings.DEBUG = False

    output = seed()

    assert not User.objects.exists()
    assert not Invitation.objects.exists()
    assert "Demo users skipped: DEBUG is off." in output


def test_it_makes_the_demo_users_with_debug_on(settings):
    settings.DEBUG = True

    output = seed()

    assert set(User.objects.values_list("email", flat=True)) == {
        "patient@example.com",
        "therapeut@example.com",
        "sanne@example.com",
        *practice_emails(),
    }
    assert User.objects.get(email="therapeut@example.com").is_staff
    assert "Demo accounts (development only):" in output


def test_it_adds_one_open_invitation_whose_printed_link_works(settings, client):
    settings.DEBUG = True
    seed()

    output = seed()  # a second run: still one invitation, and a link that works

    invitation = Invitation.objects.get()
    assert invitation.therapist.email == "therapeut@example.com"
    assert invitation.status == Invitation.Status.OPEN
    link = re.search(r"http://127\.0\.0\.1:8000(/accounts/invitation/[\w-]+/)", output).group(1)
    assert client.get(link)["Location"] == "/accounts/signup/"


def test_it_links_each_routine_exercise_to_the_one_it_replaces():
    seed()

    sitting = Exercise.objects.get(name="Lang aanspannen (zittend)")
    standing = Exercise.objects.get(name="Lang aanspannen (staand)")

    assert sitting.replaces == Exercise.objects.get(name="Lang aanspannen (liggend)")
    assert standing.replaces == sitting
    assert sitting.in_routine and sitting.starting_position
    assert [(d.from_week, d.hold_seconds, d.repetitions) for d in sitting.dose_steps.all()] == [
        (3, 8, 8),
        (5, 10, 10),
    ]


def test_it_removes_dose_steps_and_exercises_that_the_files_no_longer_have():
    seed()
    holds = Exercise.objects.get(name="Lang aanspannen (liggend)")
    ExerciseDose.objects.create(
        exercise=holds, from_week=9, hold_seconds=12, relax_seconds=12, repetitions=12
    )
    ExerciseDose.objects.filter(exercise=holds, from_week=3).update(repetitions=20)
    Exercise.objects.create(lesson=holds.lesson, order=2, name="Van vroeger")

    seed()

    assert [(d.from_week, d.repetitions) for d in holds.dose_steps.all()] == [(3, 8), (5, 10)]
    assert list(holds.lesson.exercises.values_list("name", flat=True)) == [holds.name]


def test_it_takes_an_exercise_out_of_the_routine_when_its_file_does(content_copy):
    seed()
    lesson = content_copy / "lessons" / "04-loslaten-als-je-te-veel-aanspant.md"
    edit(lesson, "in_routine = true\n", "")

    seed()

    assert not Exercise.objects.get(name="Loslaten met je adem").in_routine


def test_it_stops_on_a_bad_dose_step_and_names_the_file(content_copy):
    lesson = content_copy / "lessons" / "02-bekkenbodem-vinden-en-aanspannen.md"
    edit(lesson, "hold_seconds = 8\nrelax_seconds = 8", "hold_seconds = 8\nrelax_seconds = 4")

    with pytest.raises(CommandError, match=r"02-bekkenbodem-vinden-en-aanspannen\.md: .*week 3"):
        seed()
    assert not Lesson.objects.exists()


def test_it_stops_on_a_replaces_name_that_does_not_exist_and_names_the_file(content_copy):
    lesson = content_copy / "lessons" / "06-bekkenbodem-oefenen-in-zit.md"
    edit(lesson, 'replaces = "Lang aanspannen (liggend)"', 'replaces = "Lang aanspannen (lig)"')

    with pytest.raises(
        CommandError,
        match=r"06-bekkenbodem-oefenen-in-zit\.md: .*'Lang aanspannen \(lig\)': no exercise",
    ):
        seed()
    assert not Exercise.objects.exists()


def test_it_seeds_the_questionnaires_schedule():
    seed()

    for questionnaire in Questionnaire.objects.all():
        assert questionnaire.due_at_intake
        assert questionnaire.repeat_every_weeks == 6
        assert questionnaire.retest_week_numbers == [13, 26]
