import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client

SERIOUS = {"critical", "serious"}


@pytest.fixture
def log_in(live_server):
    """Puts a logged-in session into a browser context, for tests that are not about logging in."""

    def log_in(context, user):
        client = Client()
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": session.key, "value": session.value, "url": live_server.url}])

    return log_in


@pytest.fixture
def console_errors():
    """Collects console errors and uncaught exceptions of every page it is attached to."""
    errors = []

    def watch(page, *, ignore=None):
        def on_console(message):
            source = message.location.get("url", "")
            if message.type == "error" and not (ignore and ignore.search(source)):
                errors.append(f"{page.url}: {message.text} ({source})")

        page.on("console", on_console)
        page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
        return page

    watch.errors = errors
    return watch


@pytest.fixture
def axe_check():
    """Runs axe on a page; returns the serious and critical violations, printing the report."""

    def check(page, name=""):
        results = Axe().run(page)
        violations = results.response["violations"]
        # Every finding in one line (shown with -s or on failure), the full report if serious.
        print(
            f"axe {name or page.url}:",
            [(v["id"], v["impact"], len(v["nodes"])) for v in violations] or "no violations",
        )
        serious = [v for v in violations if v["impact"] in SERIOUS]
        if serious:
            print(f"--- axe: {name or page.url} ---")
            print(results.generate_report())
        return serious

    return check


# Elements that stick out past the right edge of the window, innermost first, to name the
# culprit when a page scrolls sideways.
_OVERFLOWING_JS = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll("body *")].filter(
    (el) => el.getBoundingClientRect().right > width + 0.5
  );
  return wide
    .filter((el) => !wide.some((other) => other !== el && el.contains(other)))
    .slice(0, 5)
    .map((el) => {
      const parent = el.closest("[class]");
      return `<${el.tagName.toLowerCase()}> in .${(parent && parent.className) || "?"}: "${
        el.textContent.trim().slice(0, 30)}" right edge at ${
        Math.round(el.getBoundingClientRect().right)}px`;
    });
}"""


@pytest.fixture
def page_overflow():
    """How many pixels a page scrolls sideways, and a few elements that stick out."""

    def measure(page):
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        return overflow, (page.evaluate(_OVERFLOWING_JS) if overflow > 0 else [])

    return measure
