"""The public home page, the language switch and /healthz."""

import re

from django.contrib.sessions.models import Session

from tests.html import hrefs, tags

ENGLISH_HEADLINE = "Strong and relaxed again, at your own pace"


def test_it_invites_a_visitor_to_sign_up(client, db):
    response = client.get("/")

    assert response.status_code == 200
    assert "/accounts/signup/" in hrefs(response)
    assert "/accounts/login/" in hrefs(response)
    assert "/courses/" not in hrefs(response)
    signup_buttons = [
        a
        for a in tags(response, "a")
        if a.get("href") == "/accounts/signup/" and "button" in a.get("class", "")
    ]
    assert signup_buttons


def test_it_sends_a_logged_in_patient_to_her_course(alice_client):
    response = alice_client.get("/")

    assert response.status_code == 200
    course_buttons = [
        a
        for a in tags(response, "a")
        if a.get("href") == "/courses/" and "button" in a.get("class", "")
    ]
    assert course_buttons
    assert "/accounts/signup/" not in hrefs(response)
    logout_forms = [f for f in tags(response, "form") if f.get("action") == "/accounts/logout/"]
    assert logout_forms and logout_forms[0]["method"] == "post"


def test_it_has_the_page_landmarks(client, db):
    response = client.get("/")

    html = response.content.decode()
    assert re.search(r"<html lang=\"nl\">", html)
    assert re.search(r"<title>[^<]*\S[^<]*</title>", html)
    assert len(tags(response, "main")) == 1
    assert len(tags(response, "h1")) == 1
    assert len(tags(response, "header")) == 1
    assert html.index("<header") < html.index("<nav") < html.index("</header>")
    assert html.index("</header>") < html.index("<main") < html.index("<footer")


def test_it_offers_a_language_switch_in_the_footer(client, db):
    response = client.get("/")

    html = response.content.decode()
    footer = html[html.index("<footer") :]
    assert re.search(r'<form[^>]*action="/i18n/setlang/"[^>]*method="post"', footer) or re.search(
        r'<form[^>]*method="post"[^>]*action="/i18n/setlang/"', footer
    )
    (select,) = [s for s in tags(response, "select") if s.get("name") == "language"]
    assert select.get("id")
    assert f'<label for="{select["id"]}"' in footer
    options = [o["value"] for o in tags(response, "option")]
    assert options == ["nl", "en"]
    assert 'name="csrfmiddlewaretoken"' in footer


def test_it_switches_to_english(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    assert response.status_code == 302
    assert response["Location"] == "/"
    page = client.get("/")
    html = page.content.decode()
    assert '<html lang="en">' in html
    assert ENGLISH_HEADLINE in html
    assert "Start the course" in html
    (selected,) = [o for o in tags(page, "option") if "selected" in o]
    assert selected["value"] == "en"


def test_it_switches_back_to_dutch(client, db):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    client.post("/i18n/setlang/", {"language": "nl", "next": "/"})

    html = client.get("/").content.decode()

    assert '<html lang="nl">' in html


def test_it_answers_the_health_check_without_login_or_session(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content.decode().strip() == "ok"
    assert response["Content-Type"].startswith("text/plain")
    assert "no-cache" in response["Cache-Control"]
    assert "sessionid" not in response.cookies
    assert Session.objects.count() == 0


def test_it_refuses_post_to_the_home_page(client, db):
    assert client.post("/").status_code == 405
