"""A lesson read aloud with the browser's speech synthesis (static/js/read-aloud.js).

Chromium without a desktop has no voices, so the test puts a recording stand-in for
speechSynthesis in place before the page loads and checks what would have been said.
"""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

LESSON_URL = "/courses/bekkenbodem/bekkenbodem-les-1/"

FAKE_SPEECH = """
window.__spoken = [];
window.__state = 'idle';
class FakeUtterance { constructor(text) { this.text = text; this.lang = ''; } }
window.SpeechSynthesisUtterance = FakeUtterance;
const fake = {
  speak(u) { window.__spoken.push({text: u.text, lang: u.lang}); window.__current = u; },
  pause() { window.__state = 'paused'; },
  resume() { window.__state = 'reading'; },
  cancel() { window.__state = 'cancelled'; },
  getVoices() { return []; },
};
Object.defineProperty(window, 'speechSynthesis', {value: fake, configurable: true});
window.__finish = () => {
  const u = window.__current; window.__current = null; u && u.onend && u.onend();
};
"""


def test_it_reads_the_lesson_aloud_only_when_asked_with_pause_and_stop(
    live_server, page, alice, log_in, console_errors
):
    log_in(page.context, alice)
    console_errors(page)
    page.add_init_script(FAKE_SPEECH)
    page.goto(live_server.url + LESSON_URL)
    start = page.get_by_role("button", name="Voorlezen")
    expect(start).to_be_visible()
    assert page.evaluate("window.__spoken.length") == 0  # no sound by default

    start.click()
    spoken = page.evaluate("window.__spoken")
    title = page.locator("#lesson-title").inner_text()
    assert spoken == [{"text": title, "lang": "nl"}]
    expect(page.locator("[data-read-aloud] [role=status]")).to_have_text(
        "De les wordt voorgelezen."
    )

    page.get_by_role("button", name="Pauze").click()
    assert page.evaluate("window.__state") == "paused"
    page.get_by_role("button", name="Verder").click()
    assert page.evaluate("window.__state") == "reading"

    page.evaluate("window.__finish()")  # the title is read: on to the next paragraph
    assert len(page.evaluate("window.__spoken")) == 2
    page.get_by_role("button", name="Stoppen met voorlezen").click()
    assert page.evaluate("window.__state") == "cancelled"
    expect(start).to_be_visible()
    page.evaluate("window.__finish()")
    assert len(page.evaluate("window.__spoken")) == 2  # stopped means stopped


def test_it_shows_no_buttons_where_the_browser_cannot_speak(live_server, page, alice, log_in):
    log_in(page.context, alice)
    page.add_init_script("delete window.speechSynthesis; delete window.SpeechSynthesisUtterance;")
    page.goto(live_server.url + LESSON_URL)
    expect(page.locator("[data-read-aloud]")).to_be_hidden()
