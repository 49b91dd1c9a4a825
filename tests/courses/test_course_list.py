"""My courses: /courses/."""

import re
from html.parser import HTMLParser

from courses.models import Course, Enrollment
from tests.factories import complete, make_course, make_user


class _Anchors(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.found.append(dict(attrs))


def button_hrefs(response):
    parser = _Anchors()
    parser.feed(response.content.decode())
    return [a["href"] for a in parser.found if "button" in (a.get("class") or "").split()]


def test_it_lists_the_course_with_progress_and_a_start_button(alice_client, course):
    response = alice_client.get("/courses/")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/courses/bekkenbodem/"' in html
    assert "Bekkenbodem" in html
    assert 'value="0"' in html  # the <progress> bar
    assert "0%" in html
    assert button_hrefs(response) == ["/courses/bekkenbodem/bekkenbodem-les-1/"]
    ((outline, enrolled),) = response.context["outlines"]
    assert enrolled is True
    assert (outline.done_count, outline.total, outline.percent_done) == (0, 5, 0)


def test_it_shows_percent_done_and_continues_at_the_first_open_lesson(alice_client, alice, lessons):
    complete(alice, lessons[0], lessons[1])

    response = alice_client.get("/courses/")

    html = response.content.decode()
    assert 'value="40"' in html
    # "40% done (2 of 5 lessons)", in whichever language
    assert re.search(r"40%[^<]*\b2\b[^<]*\b5\b", html)
    assert button_hrefs(response) == ["/courses/bekkenbodem/bekkenbodem-les-3/"]
    assert "Les 3" in html


def test_it_says_everything_is_done_when_all_lessons_are_complete(alice_client, alice, lessons):
    complete(alice, *lessons)

    response = alice_client.get("/courses/")

    html = response.content.decode()
    assert 'value="100"' in html
    assert button_hrefs(response) == []
    assert 'class="note"' in html


def test_it_does_not_show_another_patients_progress(alice_client, alice, bob, lessons):
    complete(bob, *lessons[:4])

    response = alice_client.get("/courses/")

    assert 'value="0"' in response.content.decode()
    assert button_hrefs(response) == ["/courses/bekkenbodem/bekkenbodem-les-1/"]


def test_it_offers_a_new_patient_to_start_a_course_and_enrols_nobody_on_a_get(client, course):
    carol = make_user("carol@example.com")
    client.force_login(carol)

    response = client.get("/courses/")

    assert response.status_code == 200
    assert not Enrollment.objects.filter(user=carol).exists()
    assert 'action="/courses/bekkenbodem/enrol/"' in response.content.decode()
    assert button_hrefs(response) == []


def test_it_leaves_unpublished_courses_out(alice_client, alice, course):
    make_course(slug="concept", published=False)

    response = alice_client.get("/courses/")

    assert "/courses/concept/" not in response.content.decode()
    assert [o.course.slug for o, _enrolled in response.context["outlines"]] == ["bekkenbodem"]
    assert not Enrollment.objects.filter(user=alice, course__slug="concept").exists()


def test_it_says_there_is_no_course_yet(client, db):
    client.force_login(make_user("carol@example.com"))

    response = client.get("/courses/")

    assert response.status_code == 200
    assert response.context["outlines"] == []
    assert Course.objects.count() == 0
    assert 'class="panel"' in response.content.decode()


def test_it_redirects_to_login_when_logged_out(client, course):
    response = client.get("/courses/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/courses/"


def test_it_refuses_post(alice_client):
    response = alice_client.post("/courses/")

    assert response.status_code == 405


def test_it_does_not_enrol_staff(therapist_client, therapist, course):
    response = therapist_client.get("/courses/")

    assert response.status_code == 200
    assert not therapist.enrollments.exists()
