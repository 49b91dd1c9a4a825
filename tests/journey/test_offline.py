"""Installable and offline: GET /manifest.webmanifest, /sw.js, /offline/ and
/offline/session/ (therapy/journey/offline.py)."""

import json
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from therapy.journey import offline


def test_it_serves_the_manifest(client):
    response = client.get("/manifest.webmanifest")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/manifest+json")
    manifest = json.loads(response.content)
    assert manifest["name"] == "Bekkenbodem online"
    assert manifest["short_name"]
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == (
        "/today/",
        "/",
        "standalone",
    )
    assert manifest["lang"] == "nl"
    assert manifest["theme_color"] == "#2f6f6a"
    assert manifest["background_color"] == "#f8f4ee"
    sizes = {(icon["sizes"], icon.get("purpose", "any")) for icon in manifest["icons"]}
    assert sizes == {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}
    for icon in manifest["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/")), icon["src"]


def test_it_uses_the_palettes_accent_as_theme_colour():
    css = Path(finders.find("css/base.css")).read_text()

    assert f"--accent: {offline.THEME_COLOR};" in css
    assert f"--bg: {offline.BACKGROUND_COLOR};" in css


def test_it_links_the_manifest_and_theme_colour_from_every_page(client):
    html = client.get("/").content.decode()

    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert '<meta name="theme-color" content="#2f6f6a">' in html
    assert 'src="/static/js/offline.js" data-worker="/sw.js"' in html


def test_it_serves_the_service_worker_from_the_root_never_cached(client):
    response = client.get("/sw.js")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Cache-Control"] == "no-cache"
    assert "Service-Worker-Allowed" not in response
    body = response.content.decode()
    assert body.startswith("self.OFFLINE_CONFIG = ")
    assert "importScripts(CONFIG.queueScript)" in body


def test_it_tells_the_worker_what_to_keep_and_for_how_long(client):
    body = client.get("/sw.js").content.decode()
    config = json.loads(re.match(r"self\.OFFLINE_CONFIG = (.*);\n", body).group(1))

    assert "/offline/" in config["precache"]
    assert "/static/js/timer.js" in config["precache"]
    assert "/static/img/icon-192.png" in config["precache"]
    assert config["pageMaxAgeSeconds"] == 24 * 60 * 60
    assert config["maxAgeDays"] == 7
    kept = [re.compile(pattern) for pattern in config["keptPages"]]
    for path in ("/today/", "/courses/bekkenbodem/bekkenbodem-les-1/"):
        assert any(p.search(path) for p in kept), path
    # Her other health data is never kept by the worker.
    for path in (
        "/dashboard/",
        "/diary/",
        "/messages/",
        "/accounts/profile/",
        "/accounts/export/",
        "/dashboard/summary/",
        "/therapist/",
        "/courses/bekkenbodem/bekkenbodem-les-1/complete/",
    ):
        assert not any(p.search(path) for p in kept), path


def test_it_gives_the_worker_a_new_version_when_a_precached_file_changes(monkeypatch):
    first = offline._build_worker()
    real = offline._read_static
    monkeypatch.setattr(
        offline,
        "_read_static",
        lambda path: real(path) + (b"/* new */" if "timer" in path else b""),
    )

    assert offline._build_worker().split(b"\n")[0] != first.split(b"\n")[0]


def test_it_refuses_to_post_to_the_worker_and_the_manifest(client):
    assert client.post("/sw.js").status_code == 405
    assert client.post("/manifest.webmanifest").status_code == 405


@pytest.mark.parametrize("language", ["nl", "en"])
def test_it_shows_a_calm_translated_offline_page(client, language):
    response = client.get("/offline/", headers={"Accept-Language": language})

    assert response.status_code == 200
    text = response.content.decode()
    heading = {"nl": "Geen verbinding", "en": "No connection"}[language]
    assert heading in text
    assert "<script>" not in text  # strict CSP: nothing inline


def test_it_shows_the_offline_page_without_her_data(alice_client, alice):
    text = alice_client.get("/offline/").content.decode()

    assert alice.email not in text


def test_it_gives_her_session_a_fresh_token_and_never_lets_it_be_cached(alice_client, alice):
    response = alice_client.get("/offline/session/")

    assert response.status_code == 200
    data = response.json()
    assert data["user"] == str(alice.pk)
    assert len(data["csrfToken"]) >= 32
    assert "no-store" in response["Cache-Control"]


def test_it_says_no_one_is_logged_in_without_a_token(client):
    response = client.get("/offline/session/")

    assert response.json() == {"user": None, "csrfToken": None}


def test_it_refuses_a_post_to_the_session_check(alice_client):
    assert alice_client.post("/offline/session/").status_code == 405


def test_it_keeps_the_offline_pages_within_their_query_budget(
    alice_client, django_assert_max_num_queries
):
    alice_client.get("/offline/")  # the first request of a session also refreshes it
    # What every logged-in page reads (her session, her user, the safety warning): no more.
    with django_assert_max_num_queries(3):
        alice_client.get("/offline/")
    with django_assert_max_num_queries(2):
        alice_client.get("/offline/session/")
    # The worker and the manifest read nothing but who is asking.
    with django_assert_max_num_queries(2):
        alice_client.get("/sw.js")
        alice_client.get("/manifest.webmanifest")
