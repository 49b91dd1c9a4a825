"""The guided exercise timer in headless Chromium: a short exercise run to the end and seen
on the dashboard, a save that fails once and is retried (stored once), keyboard use with
reduced motion, and accessibility checks of the timer idle, running and done. Runs wait
in the offline queue (static/js/practice-queue.js, IndexedDB) until the server has them.

The real timer runs (3 s "get ready", then 2 s phases), so nothing sleeps: waits are on the
timer's own state (data-phase on its stage, data-state on its save status) with timeouts
long enough for a whole run. Phase changes are waited for on every animation frame, so a
screenshot lands inside a 2-second phase. Words are matched by regexes that accept the
English msgid and the Dutch translation; the phase words themselves are read from the
timer's data- attributes, so they follow whatever the template says.
"""

import re
from urllib.parse import parse_qs

import pytest
from playwright.sync_api import expect

from courses.models import Exercise
from therapy.journey.models import PracticeSession

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
RUN_TIMEOUT = 20_000  # ms: a whole short run (3 s ready + 8 s) with room to spare
SAVE_TIMEOUT = 15_000  # ms: the first retry comes 2 s after a failed save
LESSON_URL = "/courses/bekkenbodem/bekkenbodem-les-1/"

START = re.compile(r"^\s*(Start the exercise|Start de oefening|Start again|Opnieuw beginnen)\s*$")
PAUSE = re.compile(r"^\s*(Pause|Pauze)\s*$")
RESUME = re.compile(r"^\s*(Resume|Verder)\s*$")
STOP = re.compile(r"^\s*Stop\s*$")
PAUSED = re.compile(r"^\s*(Paused|Gepauzeerd)\s*$")
FEELING_QUESTION = re.compile(r"How did it feel\?|Hoe voelde het\?")
SAVED = re.compile(r"^\s*(Saved|Opgeslagen)\s*$")
SAVED_FEELING = re.compile(r"^\s*(Saved\. Thank you!|Opgeslagen\. Dank je wel[.!]?)\s*$")
RETRYING = re.compile(r"Not saved yet|Nog niet opgeslagen")
NOTHING_SAVED = re.compile(r"nothing was saved|niets opgeslagen", re.I)


def short_exercise(*, hold=2, relax=2, reps=2, sets=1):
    """Lesson 1's exercise, made short enough to run to the end in a test."""
    exercise = Exercise.objects.get(lesson__slug="bekkenbodem-les-1")
    exercise.kind = Exercise.Kind.LONG_HOLD
    exercise.hold_seconds = hold
    exercise.relax_seconds = relax
    exercise.repetitions = reps
    exercise.sets = sets
    exercise.save()
    return exercise


class TimerPage:
    """The parts of one exercise's timer on the lesson page."""

    def __init__(self, page, exercise):
        self.page = page
        self.card = page.locator(f"#exercise-{exercise.pk}")
        self.root = self.card.locator("[data-timer]")
        self.stage = self.root.locator("[data-timer-stage]")
        self.phase = self.root.locator("[data-timer-phase]")
        self.live = self.root.locator("[data-timer-live]")
        self.summary = self.root.locator("[data-timer-summary]")
        self.save = self.root.get_by_role("status")
        self.circle = self.root.locator("[data-timer-circle]")
        self.start = self.root.get_by_role("button", name=START)
        self.pause = self.root.get_by_role(
            "button", name=re.compile(f"{PAUSE.pattern}|{RESUME.pattern}")
        )
        self.stop = self.root.get_by_role("button", name=STOP)
        self.feelings = self.root.get_by_role("group", name=FEELING_QUESTION)

    def open(self, url):
        self.page.goto(url + LESSON_URL)
        expect(self.page.get_by_role("heading", level=1)).to_have_text("Les 1")
        expect(self.root).to_be_visible()  # timer.js ran: the timer is no longer hidden
        expect(self.start).to_be_visible()
        expect(self.stage).to_have_attribute("data-phase", "idle")

    def word(self, name):
        """A word from the template's data- attributes, e.g. word("word-contract")."""
        return self.root.get_attribute(f"data-{name}")

    def wait_for_phase(self, phase, *, count=None, timeout=RUN_TIMEOUT):
        """Checked on every animation frame, so it returns within a frame of the change.

        With `count`, also waits until the phase's seconds left show that number: in a
        2-second phase, count=1 is its middle (the circle and colours have moved on).
        """
        self.page.wait_for_function(
            """([root, phase, count]) =>
                root.querySelector("[data-timer-stage]").dataset.phase === phase
                && (count === null
                    || root.querySelector("[data-timer-count]").textContent === count)""",
            arg=[self.root.element_handle(), phase, None if count is None else str(count)],
            polling="raf",
            timeout=timeout,
        )

    def record_announcements(self):
        """Every text the aria-live region is given from now on, in window.__timerLive."""
        self.live.evaluate(
            """live => {
                window.__timerLive = [];
                new MutationObserver(() => window.__timerLive.push(live.textContent))
                    .observe(live, {childList: true, characterData: true, subtree: true});
            }"""
        )

    def announcements(self):
        return self.page.evaluate("() => window.__timerLive")


def only_session(user):
    sessions = list(PracticeSession.objects.filter(user=user))
    assert len(sessions) == 1, f"expected one practice session, found {len(sessions)}"
    return sessions[0]


def screenshot(page, path):
    path.unlink(missing_ok=True)
    page.screenshot(path=path)
    assert path.stat().st_size > 0


def test_it_runs_a_short_exercise_to_the_end_and_saves_it_as_practice_not_as_a_session(
    live_server, page, course, alice, log_in, artifacts_dir, console_errors
):
    exercise = short_exercise()
    log_in(page.context, alice)
    console_errors(page)
    page.set_viewport_size(PHONE)
    timer = TimerPage(page, exercise)
    timer.open(live_server.url)
    timer.record_announcements()
    contract_word, relax_word = timer.word("word-contract"), timer.word("word-relax")
    # Phases under 3 s are announced with a one-word cue instead of "Contract, 2 seconds".
    contract_said = re.compile(
        rf"{re.escape(contract_word)}|{re.escape(timer.word('cue-contract'))}"
    )

    timer.start.click()
    expect(timer.pause).to_be_focused()
    expect(timer.stop).to_be_visible()

    timer.wait_for_phase("contract", count=1)
    screenshot(page, artifacts_dir / "timer-phone-contract.png")
    expect(timer.phase).to_have_text(contract_word)
    expect(timer.root.locator("[data-timer-progress]")).to_have_text(
        re.compile(r"(Repetition|Herhaling) 1 (of|van) 2")
    )
    expect(timer.live).to_have_text(contract_said)

    timer.wait_for_phase("relax", count=1)
    screenshot(page, artifacts_dir / "timer-phone-relax.png")
    expect(timer.phase).to_have_text(relax_word)

    timer.wait_for_phase("done")
    expect(timer.feelings).to_be_visible()
    expect(timer.summary).to_contain_text(re.compile(r"\b2 (of|van) 2\b"))
    expect(timer.summary).to_be_focused()
    expect(timer.start).to_be_visible()
    expect(timer.pause).to_be_hidden()
    expect(timer.save).to_have_text(SAVED, timeout=SAVE_TIMEOUT)

    feeling = timer.feelings.get_by_role("button", name=re.compile(r"^4\b"))
    feeling.click()
    expect(feeling).to_have_attribute("aria-pressed", "true")
    expect(timer.save).to_have_text(SAVED_FEELING, timeout=SAVE_TIMEOUT)
    expect(timer.save).to_have_attribute("data-state", "saved")

    session = only_session(alice)
    assert session.completed is True
    assert session.repetitions_done == 2
    assert session.feeling == 4
    assert session.exercise_id == exercise.pk
    assert session.by_hand is False
    assert 8 <= session.duration_seconds <= 12, session.duration_seconds

    # Announced at phase changes only, never with the ticking seconds: ready, contract,
    # relax, contract, relax, done makes 6.
    said = timer.announcements()
    assert any(contract_said.search(text) for text in said), said
    assert 5 <= len(said) <= 6 + 2, said

    # One exercise from a lesson is practice (saved, seen by the therapist) but not a
    # session: the dashboard counts runs of the daily routine (README, "what counts").
    page.goto(live_server.url + "/dashboard/")
    practice = page.locator("section.dash-practice")
    target = course.sessions_per_day * 7
    expect(practice.locator("#practice-count")).to_have_text(
        re.compile(rf"^\s*0\s+(of|van)\s+{target}\b")
    )
    practice.scroll_into_view_if_needed()
    screenshot(page, artifacts_dir / "dashboard-phone-after-timer.png")

    assert console_errors.errors == []


# The page's own retry, alone: with the service worker, Background Sync may send the queued
# run first (tests/browser/test_offline.py), which made this test race.
@pytest.mark.browser_context_args(service_workers="block")
def test_it_saves_once_when_the_first_save_fails(live_server, page, alice, log_in, console_errors):
    exercise = short_exercise()
    log_in(page.context, alice)
    console_errors(page)
    sent = []
    held = []  # the retry, held back until the test has looked

    def first_one_fails(route):
        sent.append(parse_qs(route.request.post_data or ""))
        if len(sent) == 1:
            route.abort()
        elif len(sent) == 2:
            held.append(route)
        else:
            route.continue_()

    page.route("**/practice/log/", first_one_fails)
    timer = TimerPage(page, exercise)
    timer.open(live_server.url)

    timer.start.click()
    timer.wait_for_phase("done")
    expect(timer.save).to_have_text(RETRYING, timeout=SAVE_TIMEOUT)
    expect(timer.save).to_have_attribute("data-state", "retrying")
    for _ in range(SAVE_TIMEOUT // 50):  # until the retry goes out (bounded)
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "the timer did not try again"
    assert PracticeSession.objects.filter(user=alice).count() == 0  # the failed try kept nothing
    held[0].continue_()
    expect(timer.save).to_have_text(SAVED, timeout=SAVE_TIMEOUT)
    expect(timer.save).to_have_attribute("data-state", "saved")

    session = only_session(alice)
    assert (session.completed, session.repetitions_done, session.feeling) == (True, 2, None)
    assert len(sent) == 2
    assert sent[0]["idempotency_key"] == sent[1]["idempotency_key"]
    assert sent[1]["idempotency_key"] == [str(session.idempotency_key)]

    # How it felt, afterwards: the same row gets the feeling, no second row.
    timer.feelings.get_by_role("button", name=re.compile(r"^2\b")).click()
    expect(timer.save).to_have_text(SAVED_FEELING, timeout=SAVE_TIMEOUT)
    assert only_session(alice).feeling == 2
    assert len(sent) == 3
    # Nothing is left behind in the offline queue to be sent again on the next visit.
    page.wait_for_function("() => PracticeQueue.all().then(records => records.length === 0)")
    assert (
        page.evaluate(
            "() => Object.keys(localStorage).filter(k => k.startsWith('bekkenbodem.practice-log.'))"
        )
        == []
    )

    # The aborted request is the one console error this test causes on purpose.
    aborted = [e for e in console_errors.errors if "/practice/log/" in e]
    assert len(aborted) == 1, console_errors.errors
    assert [e for e in console_errors.errors if e not in aborted] == []


def test_it_is_usable_with_the_keyboard_and_reduced_motion(
    live_server, page, alice, log_in, console_errors
):
    # A long relaxation after the first repetition: pausing, resuming and stopping all
    # happen inside it, so exactly one repetition is done however slow the machine is.
    exercise = short_exercise(hold=2, relax=10, reps=2)
    log_in(page.context, alice)
    console_errors(page)
    page.emulate_media(reduced_motion="reduce")
    timer = TimerPage(page, exercise)
    timer.open(live_server.url)
    assert page.evaluate("() => matchMedia('(prefers-reduced-motion: reduce)').matches")

    # Reach the start button with Tab alone, from the top of the page.
    start = timer.root.locator("[data-timer-start]")
    for _ in range(80):
        page.keyboard.press("Tab")
        if start.evaluate("button => button === document.activeElement"):
            break
    else:
        pytest.fail("the timer's start button cannot be reached with Tab")
    expect(timer.start).to_be_focused()
    page.keyboard.press("Enter")
    expect(timer.pause).to_be_focused()
    expect(timer.pause).to_have_text(PAUSE)

    timer.wait_for_phase("contract")
    # A still circle: no growing and shrinking, the phase shows by word and colour.
    assert timer.circle.evaluate("c => getComputedStyle(c).transform") == "none"
    assert timer.circle.evaluate("c => getComputedStyle(c).transitionDuration") == "0s"
    timer.wait_for_phase("relax")
    assert timer.circle.evaluate("c => getComputedStyle(c).transform") == "none"

    # Space pauses, Enter resumes; focus stays on the button.
    page.keyboard.press("Space")
    expect(timer.stage).to_have_attribute("data-paused", "true")
    expect(timer.phase).to_have_text(PAUSED)
    expect(timer.pause).to_have_text(RESUME)
    expect(timer.pause).to_be_focused()
    expect(timer.live).to_have_text(PAUSED)
    page.keyboard.press("Enter")
    expect(timer.stage).not_to_have_attribute("data-paused", "true")
    expect(timer.phase).to_have_text(timer.word("word-relax"))
    expect(timer.pause).to_have_text(PAUSE)
    expect(timer.pause).to_be_focused()

    # Tab to Stop, Enter: stopped during the first relaxation, one repetition done.
    page.keyboard.press("Tab")
    expect(timer.stop).to_be_focused()
    page.keyboard.press("Enter")
    expect(timer.stage).to_have_attribute("data-phase", "done")
    expect(timer.phase).to_have_text(re.compile(r"^\s*(Stopped|Gestopt)\s*$"))
    expect(timer.summary).to_contain_text(re.compile(r"\b1 (of|van) 2\b"))
    expect(timer.summary).to_be_focused()
    expect(timer.save).to_have_text(SAVED, timeout=SAVE_TIMEOUT)

    session = only_session(alice)
    assert (session.completed, session.repetitions_done, session.feeling) == (False, 1, None)
    assert 2 <= session.duration_seconds <= 4, session.duration_seconds

    # How it felt, by keyboard: the buttons follow the summary; the third is "3 — okay".
    for _ in range(3):
        page.keyboard.press("Tab")
    third = timer.feelings.get_by_role("button", name=re.compile(r"^3\b"))
    expect(third).to_be_focused()
    page.keyboard.press("Space")
    expect(third).to_have_attribute("aria-pressed", "true")
    expect(timer.save).to_have_text(SAVED_FEELING, timeout=SAVE_TIMEOUT)
    assert only_session(alice).feeling == 3

    # Started again and stopped during "get ready": nothing is saved, and she is told so.
    for _ in range(3):  # past "4" and "5" to "Start again"
        page.keyboard.press("Tab")
    expect(timer.start).to_be_focused()
    page.keyboard.press("Enter")
    expect(timer.pause).to_be_focused()
    page.keyboard.press("Tab")
    expect(timer.stop).to_be_focused()
    page.keyboard.press("Enter")
    expect(timer.stage).to_have_attribute("data-phase", "idle")
    expect(timer.save).to_have_text(NOTHING_SAVED)
    expect(timer.start).to_be_focused()
    assert PracticeSession.objects.filter(user=alice).count() == 1

    assert console_errors.errors == []


def test_it_has_no_serious_accessibility_violations_idle_running_and_done(
    live_server, page, alice, log_in, axe_check, console_errors
):
    exercise = short_exercise()
    log_in(page.context, alice)
    console_errors(page)
    timer = TimerPage(page, exercise)
    timer.open(live_server.url)

    serious = axe_check(page, "lesson page, timer idle")
    assert not serious, f"timer idle: {[v['id'] for v in serious]}"

    timer.start.click()
    timer.wait_for_phase("contract")
    serious = axe_check(page, "lesson page, timer running")
    assert not serious, f"timer running: {[v['id'] for v in serious]}"

    timer.wait_for_phase("done")
    expect(timer.save).to_have_text(SAVED, timeout=SAVE_TIMEOUT)
    serious = axe_check(page, "lesson page, timer done")
    assert not serious, f"timer done: {[v['id'] for v in serious]}"

    assert console_errors.errors == []


def test_it_shows_the_running_timer_and_its_buttons_on_a_phone(live_server, page, alice, log_in):
    exercise = short_exercise()
    log_in(page.context, alice)
    page.set_viewport_size(PHONE)
    timer = TimerPage(page, exercise)
    timer.open(live_server.url)

    timer.start.click()
    timer.wait_for_phase("ready")
    expect(timer.pause).to_be_focused()
    for part in (timer.phase, timer.pause, timer.stop):
        expect(part).to_be_in_viewport()


def test_it_keeps_a_run_cut_short_by_leaving_the_page_and_saves_it_on_the_next_visit(
    live_server, page, alice, log_in, console_errors
):
    # One repetition is done during the long relaxation, when she leaves the page.
    exercise = short_exercise(hold=2, relax=30, reps=2)
    log_in(page.context, alice)
    console_errors(page)
    timer = TimerPage(page, exercise)
    timer.open(live_server.url)
    # A run from another patient on this device, and one of hers too old for the server.
    page.evaluate(
        """([exercise, user]) => {
            const old = new Date(Date.now() - 8 * 24 * 3600 * 1000).toISOString();
            const record = (key, who, started) => ({key: key, user: who, exercise: exercise,
                started_at: started, duration_seconds: 20, repetitions_done: 2,
                completed: true, feeling: null});
            const keep = (record) => localStorage.setItem(
                "bekkenbodem.practice-log." + record.key, JSON.stringify(record));
            keep(record("00000000-0000-4000-8000-000000000001", "someone else",
                         new Date().toISOString()));
            keep(record("00000000-0000-4000-8000-000000000002", user, old));
        }""",
        [exercise.pk, str(alice.pk)],
    )

    timer.start.click()
    timer.wait_for_phase("relax")
    page.goto(live_server.url + "/dashboard/")
    assert PracticeSession.objects.filter(user=alice).count() == 0

    timer.open(live_server.url)
    expect(timer.save).to_have_text(
        re.compile(r"earlier practice session|eerdere oefensessie"), timeout=SAVE_TIMEOUT
    )
    session = only_session(alice)
    assert (session.completed, session.repetitions_done) == (False, 1)
    # Moved from localStorage into the offline queue (IndexedDB): hers is sent and gone,
    # the stale one dropped; the other patient's waits for her.
    page.wait_for_function("() => PracticeQueue.all().then(records => records.length === 1)")
    kept = page.evaluate("() => PracticeQueue.all().then(records => records.map(r => r.key))")
    assert kept == ["00000000-0000-4000-8000-000000000001"]
    assert (
        page.evaluate("() => Object.keys(localStorage).filter(k => k.includes('practice'))") == []
    )
    assert console_errors.errors == []


def test_it_ends_a_run_where_she_left_it_when_the_page_comes_back_from_the_cache(
    live_server, page, alice, log_in, console_errors
):
    exercise = short_exercise(hold=2, relax=30, reps=2)
    log_in(page.context, alice)
    console_errors(page)
    timer = TimerPage(page, exercise)
    timer.open(live_server.url)

    timer.start.click()
    timer.wait_for_phase("relax")
    # What the browser does when she leaves and comes back through its page cache (the test
    # browser does not keep logged-in pages there), with a few seconds away in between.
    page.evaluate("() => dispatchEvent(new PageTransitionEvent('pagehide', {persisted: true}))")
    [kept] = page.evaluate(
        "() => Object.keys(localStorage).filter(k => k.startsWith('bekkenbodem.practice-log.'))"
    )
    page.wait_for_timeout(3000)
    page.evaluate("() => dispatchEvent(new PageTransitionEvent('pageshow', {persisted: true}))")

    expect(timer.stage).to_have_attribute("data-phase", "done")
    expect(timer.root).to_have_attribute("data-state", "finished")
    expect(timer.summary).to_contain_text(re.compile(r"\b1 (of|van) 2\b"))
    expect(timer.save).to_have_text(SAVED, timeout=SAVE_TIMEOUT)
    session = only_session(alice)
    assert kept == f"bekkenbodem.practice-log.{session.idempotency_key}"
    assert (session.completed, session.repetitions_done) == (False, 1)
    # It ends when she left (2 s after "get ready"), not when she came back.
    assert 2 <= session.duration_seconds <= 3, session.duration_seconds
    assert console_errors.errors == []
