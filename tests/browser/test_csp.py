"""The strict Content-Security-Policy breaks nothing: every kind of page runs in Chromium
without a single violation (the browser reports each one as a `securitypolicyviolation`
event and a console error)."""

import re

import pytest
from playwright.sync_api import expect

from courses.models import Lesson

pytestmark = pytest.mark.browser

WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(e.violatedDirective + " " + e.blockedURI);
});
"""


def violations(page):
    return page.evaluate("window.__violations")


@pytest.fixture
def watched(page, console_errors):
    page.add_init_script(WATCH)
    console_errors(page, ignore=re.compile(r"youtube|vimeo"))  # no network to the players
    return page


def test_it_has_the_policy_headers_on_every_page(client, alice_client, lessons):
    for path in ("/", "/help/", lessons[0].get_absolute_url(), "/dashboard/", "/today/"):
        response = alice_client.get(path, follow=True)
        policy = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "'unsafe-inline'" not in policy, path
        assert "frame-ancestors 'none'" in policy
        assert "frame-src https://www.youtube-nocookie.com https://player.vimeo.com" in policy
        assert "camera=()" in response.headers["Permissions-Policy"]


def test_it_runs_the_patients_pages_without_a_violation(
    watched, live_server, log_in, alice, lessons, console_errors
):
    Lesson.objects.filter(pk=lessons[0].pk).update(
        video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    )
    log_in(watched.context, alice)
    for path in ("/", "/help/", "/dashboard/", "/diary/", "/courses/bekkenbodem/"):
        watched.goto(live_server.url + path)
        assert violations(watched) == [], path

    watched.goto(live_server.url + lessons[0].get_absolute_url())
    expect(watched.locator("iframe[src*='youtube-nocookie.com']")).to_have_count(1)
    card = watched.locator(".exercise").first
    card.get_by_role("button", name=re.compile("Start|Begin", re.I)).click()
    expect(card.locator("[data-timer]")).to_have_attribute("data-state", "running")
    watched.wait_for_timeout(1200)  # the circle animates, the count ticks
    assert violations(watched) == []
    assert console_errors.errors == []


def test_it_runs_the_therapist_pages_and_the_admin_lesson_editor_without_a_violation(
    watched, live_server, log_in, therapist, alice, lessons, console_errors
):
    log_in(watched.context, therapist)
    for path in ("/therapist/", f"/therapist/patients/{alice.pk}/", "/admin/"):
        watched.goto(live_server.url + path)
        assert violations(watched) == [], path

    watched.goto(f"{live_server.url}/admin/courses/lesson/{lessons[0].pk}/change/")
    body = watched.locator("textarea[name='body_nl']")
    body.fill("## Kop\n\nMet **vet** en een lijst:\n\n- een\n- twee")
    preview = watched.locator(".markdown-preview, [data-markdown-preview]").first
    expect(preview).to_contain_text("Kop", timeout=5000)
    assert violations(watched) == []
    assert console_errors.errors == []
