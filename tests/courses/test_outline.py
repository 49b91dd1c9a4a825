"""The outline: which lessons are done, open or locked for one patient (courses/outline.py)."""

from django.utils import timezone

from courses.models import Course, Lesson, Step
from courses.outline import CourseOutline, LessonState
from tests.factories import complete, make_course


def states(outline):
    return [lesson.state for lesson in outline.lessons]


# --- CourseOutline -------------------------------------------------------------------


def test_it_opens_only_the_first_lesson_for_a_new_patient(alice, course):
    outline = course.outline_for(alice)

    assert states(outline) == ["open", "locked", "locked", "locked", "locked"]
    assert (outline.done_count, outline.total, outline.percent_done) == (0, 5, 0)
    assert outline.next_lesson.slug == "bekkenbodem-les-1"


def test_it_opens_the_lesson_after_the_last_done_one(alice, course, lessons):
    complete(alice, lessons[0], lessons[1])

    outline = course.outline_for(alice)

    assert states(outline) == ["done", "done", "open", "locked", "locked"]
    assert outline.percent_done == 40
    assert outline.next_lesson.slug == "bekkenbodem-les-3"


def test_it_rounds_the_percentage(alice):
    course = make_course(slug="drie", lessons_per_step=(3,))
    complete(alice, *list(course.published_lessons())[:2])

    assert course.outline_for(alice).percent_done == 67


def test_it_has_no_next_lesson_when_all_are_done(alice, course, lessons):
    complete(alice, *lessons)

    outline = course.outline_for(alice)

    assert outline.percent_done == 100
    assert outline.next_lesson is None


def test_it_reports_zero_percent_for_a_course_without_lessons(alice):
    empty = Course.objects.create(title="Leeg", slug="leeg", published=True)

    outline = empty.outline_for(alice)

    assert (outline.total, outline.percent_done, outline.next_lesson) == (0, 0, None)
    assert outline.steps == []


def test_it_groups_lessons_by_step_in_order(alice, course):
    steps = course.outline_for(alice).steps

    assert [(step.title, [le.title for le in lessons]) for step, lessons in steps] == [
        ("Stap 1", ["Les 1", "Les 2"]),
        ("Stap 2", ["Les 3", "Les 4"]),
        ("Stap 3", ["Les 5"]),
    ]


def test_it_leaves_out_steps_without_published_lessons(alice, course):
    Lesson.objects.filter(step__title="Stap 2").update(published=False)

    steps = course.outline_for(alice).steps

    assert [step.title for step, _lessons in steps] == ["Stap 1", "Stap 3"]


def test_it_gives_neighbours_and_no_state_for_a_lesson_outside_the_outline(alice, course):
    draft = Lesson.objects.get(slug="bekkenbodem-les-3")
    draft.published = False
    draft.save()

    outline = course.outline_for(alice)
    previous, following = outline.neighbours(Lesson.objects.get(slug="bekkenbodem-les-4"))

    assert (previous.slug, following.slug) == ("bekkenbodem-les-2", "bekkenbodem-les-5")
    assert outline.state_of(draft) is None
    assert outline.neighbours(draft) == (None, None)
    assert outline.neighbours(Lesson.objects.get(slug="bekkenbodem-les-1"))[0] is None


def test_it_builds_states_from_a_progress_map(alice, lessons):
    now = timezone.now()
    outline = CourseOutline(
        lessons[0].step.course, lessons, {lessons[0].id: (now, now), lessons[1].id: (now, None)}
    )

    assert states(outline) == [LessonState.DONE, LessonState.OPEN] + [LessonState.LOCKED] * 3


# --- Ordering and publishing ---------------------------------------------------------


def test_it_skips_unpublished_lessons_in_the_order(alice, course, lessons):
    Lesson.objects.filter(slug="bekkenbodem-les-2").update(published=False)
    complete(alice, lessons[0])

    outline = course.outline_for(alice)

    assert [le.slug for le in outline.lessons] == [
        "bekkenbodem-les-1",
        "bekkenbodem-les-3",
        "bekkenbodem-les-4",
        "bekkenbodem-les-5",
    ]
    assert states(outline) == ["done", "open", "locked", "locked"]


def test_it_orders_lessons_by_step_order_then_lesson_order(db):
    course = Course.objects.create(title="Volgorde", slug="volgorde", published=True)
    # Made in the "wrong" order, so that ids alone would give the wrong answer.
    later = Step.objects.create(course=course, title="Later", order=2)
    first = Step.objects.create(course=course, title="Eerst", order=1)
    for step, titles in ((later, ["C2", "C1"]), (first, ["B3", "B1", "B2"])):
        for title in titles:
            Lesson.objects.create(
                step=step, title=title, slug=title.lower(), order=int(title[1]), published=True
            )

    assert [le.title for le in course.published_lessons()] == ["B1", "B2", "B3", "C1", "C2"]


def test_it_leaves_out_lessons_of_an_unpublished_course(db):
    course = make_course(slug="concept", published=False)

    assert list(course.published_lessons()) == []
    assert Lesson.objects.published().count() == 0
    assert Course.objects.published().count() == 0


# --- Lesson.is_unlocked_for ----------------------------------------------------------


def test_it_unlocks_the_first_lesson_only(alice, lessons):
    assert [le.is_unlocked_for(alice) for le in lessons] == [True, False, False, False, False]


def test_it_unlocks_the_next_lesson_after_completion(alice, lessons):
    complete(alice, lessons[0])

    assert [le.is_unlocked_for(alice) for le in lessons] == [True, True, False, False, False]


def test_it_unlocks_per_user(alice, bob, lessons):
    complete(bob, lessons[0], lessons[1])

    assert lessons[2].is_unlocked_for(bob) is True
    assert lessons[1].is_unlocked_for(alice) is False


def test_it_never_unlocks_an_unpublished_lesson(alice, lessons):
    Lesson.objects.filter(pk=lessons[0].pk).update(published=False)

    assert Lesson.objects.get(pk=lessons[0].pk).is_unlocked_for(alice) is False
