"""Her therapist's feedback on /today/ and the dashboard until she has read it
(POST /feedback/<pk>/read/), and the pages kept for her change at once."""

import pytest
from django.test import Client

from courses.models import Feedback, PatientAccess
from tests.factories import make_routine, make_user, safety_answers

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def her(alice, course):
    make_routine(course)
    safety_answers(alice)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(alice)
    return client


@pytest.fixture
def note(alice, therapist):
    return Feedback.objects.create(user=alice, written_by=therapist, text="Mooi volgehouden!")


def seen(client, url):
    client.get(url)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_it_shows_her_feedback_with_who_and_when(her, note):
    for url in ("/today/", "/dashboard/"):
        html = seen(her, url)
        assert "Mooi volgehouden!" in html
        assert "Marieke" in html
        assert "11 March 2026" in html
        assert f'action="/feedback/{note.pk}/read/"' in html


def test_it_takes_read_feedback_away(her, note):
    response = her.post(f"/feedback/{note.pk}/read/", {"next": "/dashboard/"})

    assert response.status_code == 302 and response["Location"] == "/dashboard/"
    note.refresh_from_db()
    assert note.read_at is not None
    assert "Mooi volgehouden!" not in seen(her, "/today/")
    assert "Mooi volgehouden!" not in seen(her, "/dashboard/")


def test_it_keeps_the_first_time_she_read_it(her, note, frozen):
    her.post(f"/feedback/{note.pk}/read/")
    note.refresh_from_db()
    first = note.read_at
    frozen.shift(60)

    assert her.post(f"/feedback/{note.pk}/read/").status_code == 302
    note.refresh_from_db()
    assert note.read_at == first


def test_it_goes_back_to_today_without_a_safe_next(her, note):
    response = her.post(f"/feedback/{note.pk}/read/", {"next": "https://example.org/"})

    assert response["Location"] == "/today/"


def test_it_404s_for_another_patients_feedback(her, therapist):
    other = make_user("carla@example.com", therapist=therapist)
    theirs = Feedback.objects.create(user=other, written_by=therapist, text="Voor Carla")

    assert her.post(f"/feedback/{theirs.pk}/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_it_only_takes_post(her, note):
    assert her.get(f"/feedback/{note.pk}/read/").status_code == 405


def test_it_sends_someone_logged_out_to_the_login(client, note):
    response = client.post(f"/feedback/{note.pk}/read/")

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    note.refresh_from_db()
    assert note.read_at is None


def test_it_shows_new_feedback_on_her_kept_pages_at_once(her, alice, therapist):
    seen(her, "/today/")
    seen(her, "/dashboard/")

    Feedback.objects.create(user=alice, written_by=therapist, text="Nieuw bericht")

    assert "Nieuw bericht" in seen(her, "/today/")
    assert "Nieuw bericht" in seen(her, "/dashboard/")


def test_it_takes_a_lesson_she_had_seen_away_once_it_is_hidden(her, alice, lessons, therapist):
    assert "Les 2" in seen(her, "/courses/bekkenbodem/")

    staff = Client()
    staff.force_login(therapist)
    staff.post(
        f"/therapist/patients/{alice.pk}/programme/", {"lesson": lessons[1].pk, "state": "hidden"}
    )

    assert "Les 2" not in seen(her, "/courses/bekkenbodem/")
    assert her.get("/courses/bekkenbodem/bekkenbodem-les-2/").status_code == 404
    PatientAccess.objects.choose(user=alice, by=therapist, state="", lesson=lessons[1])
    assert "Les 2" in seen(her, "/courses/bekkenbodem/")
