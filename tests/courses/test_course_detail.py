"""Course overview: /courses/<course>/."""

import re
from html.parser import HTMLParser

from courses.models import Enrollment
from tests.factories import complete, make_course, make_user


class _Anchors(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.found.append(dict(attrs))


def hrefs(response, css_class):
    parser = _Anchors()
    parser.feed(response.content.decode())
    return [a["href"] for a in parser.found if css_class in (a.get("class") or "").split()]


def lesson_states(response):
    """[(state, title)] of each lesson in the overview, in page order."""
    return re.findall(
        r'class="lesson-item lesson-(\w+)".*?class="lesson-title"[^>]*>([^<]+)<',
        response.content.decode(),
        flags=re.S,
    )


def test_it_shows_steps_and_lessons_with_the_first_open(alice_client):
    response = alice_client.get("/courses/bekkenbodem/")

    assert response.status_code == 200
    assert response.templates[0].name == "courses/course_detail.html"
    assert lesson_states(response) == [
        ("open", "Les 1"),
        ("locked", "Les 2"),
        ("locked", "Les 3"),
        ("locked", "Les 4"),
        ("locked", "Les 5"),
    ]
    html = response.content.decode()
    assert html.count("badge-open") == 1
    assert html.count("badge-locked") == 4
    steps = html[html.index('class="step-list"') :]
    order = [
        steps.index(text) for text in ("Stap 1", "Les 1", "Les 2", "Stap 2", "Les 3", "Stap 3")
    ]
    assert order == sorted(order)
    assert "Samenvatting van les 1" in html
    assert hrefs(response, "button") == ["/courses/bekkenbodem/bekkenbodem-les-1/"]


def test_it_marks_done_lessons_and_continues_at_the_next_one(alice_client, alice, lessons):
    complete(alice, lessons[0], lessons[1], lessons[2])

    response = alice_client.get("/courses/bekkenbodem/")

    assert lesson_states(response) == [
        ("done", "Les 1"),
        ("done", "Les 2"),
        ("done", "Les 3"),
        ("open", "Les 4"),
        ("locked", "Les 5"),
    ]
    html = response.content.decode()
    assert html.count("badge-done") == 3
    assert 'value="60"' in html
    assert re.search(r"60%[^<]*\b3\b[^<]*\b5\b", html)
    assert hrefs(response, "button") == ["/courses/bekkenbodem/bekkenbodem-les-4/"]


def test_it_links_done_and_open_lessons_but_not_locked_ones(alice_client, alice, lessons):
    complete(alice, lessons[0])

    response = alice_client.get("/courses/bekkenbodem/")

    assert hrefs(response, "lesson-title") == [
        "/courses/bekkenbodem/bekkenbodem-les-1/",
        "/courses/bekkenbodem/bekkenbodem-les-2/",
    ]


def test_it_has_no_continue_button_when_everything_is_done(alice_client, alice, lessons):
    complete(alice, *lessons)

    response = alice_client.get("/courses/bekkenbodem/")

    assert [state for state, _title in lesson_states(response)] == ["done"] * 5
    assert 'value="100"' in response.content.decode()
    assert hrefs(response, "button") == []


def test_it_never_shows_another_patients_progress(alice_client, bob, lessons):
    complete(bob, *lessons[:3])

    response = alice_client.get("/courses/bekkenbodem/")

    assert [state for state, _title in lesson_states(response)] == ["open"] + ["locked"] * 4
    assert 'value="0"' in response.content.decode()


def test_it_offers_a_new_patient_to_start_without_enrolling_her_on_a_get(client, course):
    carol = make_user("carol@example.com")
    client.force_login(carol)

    response = client.get("/courses/bekkenbodem/")

    assert response.status_code == 200
    assert not Enrollment.objects.filter(user=carol).exists()
    assert 'action="/courses/bekkenbodem/enrol/"' in response.content.decode()
    assert lesson_states(response)[0] == ("open", "Les 1")


def test_it_enrols_her_once_when_she_starts_the_course(client, course):
    carol = make_user("carol@example.com")
    client.force_login(carol)

    response = client.post("/courses/bekkenbodem/enrol/")
    client.post("/courses/bekkenbodem/enrol/")  # a double click enrols once

    assert response.status_code == 302
    assert response["Location"] == "/courses/bekkenbodem/bekkenbodem-les-1/"
    assert Enrollment.objects.filter(user=carol, course=course).count() == 1


def test_it_refuses_to_enrol_on_a_get(alice_client, course):
    assert alice_client.get("/courses/bekkenbodem/enrol/").status_code == 405


def test_it_asks_to_log_in_before_enrolling(client, course):
    response = client.post("/courses/bekkenbodem/enrol/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_answers_404_when_enrolling_in_an_unpublished_course(client, db):
    make_course(slug="concept", published=False)
    carol = make_user("carol@example.com")
    client.force_login(carol)

    assert client.post("/courses/concept/enrol/").status_code == 404
    assert not Enrollment.objects.filter(user=carol).exists()


def test_it_does_not_enrol_staff(therapist_client, therapist, course):
    assert therapist_client.post("/courses/bekkenbodem/enrol/").status_code == 404
    assert not therapist.enrollments.exists()


def test_it_sends_a_patient_who_has_not_started_from_a_lesson_to_the_course(client, course):
    carol = make_user("carol@example.com")
    client.force_login(carol)

    response = client.get("/courses/bekkenbodem/bekkenbodem-les-1/")

    assert response.status_code == 302
    assert response["Location"] == "/courses/bekkenbodem/"
    assert not Enrollment.objects.filter(user=carol).exists()


def test_it_answers_404_for_an_unknown_course(alice_client):
    assert alice_client.get("/courses/bestaat-niet/").status_code == 404


def test_it_answers_404_for_an_unpublished_course(alice_client, alice):
    make_course(slug="concept", published=False)

    response = alice_client.get("/courses/concept/")

    assert response.status_code == 404
    assert not Enrollment.objects.filter(user=alice, course__slug="concept").exists()


def test_it_redirects_to_login_when_logged_out(client, course):
    response = client.get("/courses/bekkenbodem/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/courses/bekkenbodem/"


def test_it_refuses_post(alice_client):
    assert alice_client.post("/courses/bekkenbodem/").status_code == 405
