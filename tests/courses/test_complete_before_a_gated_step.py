from django.contrib.messages import get_messages

from courses.models import Step
from courses.outline import LessonState


def test_it_does_not_promise_an_open_lesson_when_the_next_step_waits(alice_client, alice, course):
    Step.objects.filter(course=course, order=1).update(unlock_after_days=7)
    alice_client.post("/courses/bekkenbodem/bekkenbodem-les-1/complete/")

    response = alice_client.post("/courses/bekkenbodem/bekkenbodem-les-2/complete/")

    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert response["Location"] == "/courses/bekkenbodem/bekkenbodem-les-3/"
    # The last message is about this lesson; the one before it was about lesson 1.
    assert "les 2" in messages[-1].lower()
    assert "volgende les staat voor je open" not in messages[-1]
    outline = course.outline_for(alice)
    assert outline.lessons[2].state == LessonState.LOCKED
    assert outline.waiting.days == 7
