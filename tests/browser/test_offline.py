"""Offline in Chromium: the service worker keeps /today/, the routine runs without a
connection, the run waits in the offline queue and is stored exactly once when the
connection is back; logging out leaves nothing in the worker's caches.

The live server is on localhost, a secure context, so the service worker runs. The timer
runs faster by a test setting (TIMER_SPEED), never by waiting.
"""

import re

import pytest
from playwright.sync_api import expect

from courses.models import Enrollment
from tests.factories import make_routine, make_user
from therapy.journey.models import PracticeSession, SafetyCheck

pytestmark = pytest.mark.browser

WAITING = re.compile(
    r"1 (practice session is waiting to be sent|oefensessie wacht om verstuurd te worden)"
)
CACHED_PATHS_JS = """async () => {
  const paths = [];
  for (const name of await caches.keys()) {
    for (const request of await (await caches.open(name)).keys()) {
      paths.push(new URL(request.url).pathname);
    }
  }
  return paths;
}"""


@pytest.fixture
def patient(transactional_db, course, settings):
    settings.TIMER_SPEED = 40
    make_routine(course)
    user = make_user("offline@example.com", display_name="Olga")
    Enrollment.objects.create(user=user, course=course)
    SafetyCheck.objects.create(user=user, flags=[])
    return user


def open_controlled(page, url):
    """Open `url` once the service worker controls the page, so that it kept a copy."""
    page.goto(url)
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=15_000)
    page.reload()  # now through the worker, which keeps this copy
    page.wait_for_function(
        """async (path) => {
            const cache = await caches.open("bekkenbodem-pages");
            return Boolean(await cache.match(path, {ignoreVary: true}));
        }""",
        arg="/today/",
        timeout=10_000,
    )


def test_it_runs_the_routine_offline_and_stores_it_once_when_back_online(
    page, live_server, log_in, patient, console_errors, artifacts_dir
):
    log_in(page.context, patient)
    # Going offline makes every request fail on purpose; those are the expected errors.
    console_errors(page, ignore=re.compile(r"/today/log/|/offline/session/|sw\.js"))
    open_controlled(page, f"{live_server.url}/today/")
    page.goto(f"{live_server.url}/dashboard/")  # a page with health data: never kept
    assert "/dashboard/" not in page.evaluate(CACHED_PATHS_JS)

    page.context.set_offline(True)
    page.goto(f"{live_server.url}/dashboard/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile("No connection|Geen verbinding")
    )
    page.goto(f"{live_server.url}/today/")  # served by the worker from its copy
    expect(page.locator("[data-routine-item]")).to_have_count(2)

    timer = page.locator("[data-routine-card] [data-timer]")
    timer.get_by_role("button", name=re.compile("Start my routine|routine", re.I)).click()
    expect(timer.locator("[data-timer-summary]")).to_be_visible(timeout=20_000)
    note = page.locator("[data-practice-queue]")
    expect(note).to_have_text(WAITING, timeout=10_000)
    expect(note).to_have_attribute("aria-live", "polite")
    expect(timer.locator("[data-timer-save]")).to_have_attribute("data-state", "retrying")
    page.screenshot(path=artifacts_dir / "today-offline-waiting.png", full_page=True)
    [waiting] = page.evaluate("() => PracticeQueue.all()")
    assert PracticeSession.objects.filter(user=patient).count() == 0

    page.context.set_offline(False)
    expect(timer.locator("[data-timer-save]")).to_have_attribute(
        "data-state", "saved", timeout=15_000
    )
    expect(note).to_be_hidden()
    assert page.evaluate("() => PracticeQueue.all()") == []
    # A reload sends nothing again: the queue is empty, and the key was stored once.
    page.reload()
    expect(page.locator("[data-routine-item]")).to_have_count(2)
    # The live server's thread may still be finishing its write: wait for it, bounded.
    for _ in range(50):
        if PracticeSession.objects.filter(user=patient).exists():
            break
        page.wait_for_timeout(200)
    [session] = PracticeSession.objects.filter(user=patient)
    assert str(session.idempotency_key) == waiting["key"]
    assert session.kind == "routine" and session.completed
    assert console_errors.errors == []


def test_it_sends_what_waited_on_the_next_page_load_and_shows_a_refused_one(
    page, live_server, log_in, patient
):
    log_in(page.context, patient)
    open_controlled(page, f"{live_server.url}/today/")
    routine = page.evaluate("() => JSON.parse(document.getElementById('routine-config').text)")
    parts = [
        {"exercise": item["id"], "repetitions_done": 1, "skipped": False}
        for item in routine["items"]
    ]
    # Two runs left in the queue by an earlier page: a good one, and one with an
    # exercise that is not in her routine (refused, with its reason on the page).
    page.evaluate(
        """([user, parts]) => {
            const run = (key, parts) => ({key: key, user: user, url: "/today/log/",
                kind: "routine", parts: parts, started_at: new Date().toISOString(),
                duration_seconds: 30, repetitions_done: 2, completed: false, feeling: null});
            const bad = parts.map((p, i) => i ? Object.assign({}, p, {exercise: 999999}) : p);
            return Promise.all([
                PracticeQueue.put(run("00000000-0000-4000-8000-00000000000a", parts)),
                PracticeQueue.put(run("00000000-0000-4000-8000-00000000000b", bad)),
            ]);
        }""",
        [str(patient.pk), parts],
    )
    page.reload()

    note = page.locator("[data-practice-queue]")
    expect(note).to_contain_text(re.compile("could not be saved|kon niet worden opgeslagen"))
    expect(note).to_contain_text(re.compile("routine"))
    page.wait_for_function("() => PracticeQueue.all().then(r => r.length === 0)")
    [session] = PracticeSession.objects.filter(user=patient)
    assert str(session.idempotency_key) == "00000000-0000-4000-8000-00000000000a"


def test_it_shows_the_offline_page_instead_of_a_copy_older_than_a_day(
    page, live_server, log_in, patient
):
    log_in(page.context, patient)
    open_controlled(page, f"{live_server.url}/today/")
    # The kept copy, stamped 25 hours ago.
    page.evaluate(
        """async () => {
            const cache = await caches.open("bekkenbodem-pages");
            const kept = await cache.match("/today/", {ignoreVary: true});
            const headers = new Headers(kept.headers);
            headers.set("X-Stored-At", String(Date.now() - 25 * 3600 * 1000));
            await cache.put("/today/", new Response(await kept.blob(), {headers: headers}));
        }"""
    )

    page.context.set_offline(True)
    page.goto(f"{live_server.url}/today/")

    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile("No connection|Geen verbinding")
    )
    assert "/today/" not in page.evaluate(CACHED_PATHS_JS)  # and the stale copy is gone
    page.context.set_offline(False)


def test_it_leaves_the_caches_empty_after_logging_out(page, live_server, log_in, patient):
    log_in(page.context, patient)
    open_controlled(page, f"{live_server.url}/today/")
    page.goto(f"{live_server.url}/courses/bekkenbodem/bekkenbodem-les-1/")
    page.wait_for_function(
        """() => caches.open("bekkenbodem-pages")
            .then(cache => cache.match(
                "/courses/bekkenbodem/bekkenbodem-les-1/", {ignoreVary: true}))
            .then(Boolean)"""
    )
    assert "/today/" in page.evaluate(CACHED_PATHS_JS)

    page.get_by_role("button", name=re.compile("Log out|Uitloggen")).click()
    page.wait_for_url(re.compile(r"/($|accounts/)"))
    page.wait_for_function("() => window.offlineForgotten !== undefined")
    page.evaluate("() => window.offlineForgotten")

    assert page.evaluate("() => caches.keys()") == []
