"""An invitation from first click to a patient on the therapist's overview (Must show 2,
the invitation part), in headless Chromium, with SIGNUP_MODE=invite as in production.

The therapist invites an address from /therapist/; the email (locmem outbox) holds the
link; the patient opens it, lands on the plain signup page with her address filled in,
signs up without a code email, consents, does the intake and is enrolled; she then shows
on her therapist's overview and not on another therapist's.

Texts are Dutch by default and still being translated: elements are found by name, role
or URL, visible words through regexes that accept the English msgid and the Dutch.
"""

import re

import pytest
from playwright.sync_api import expect

from courses.models import Invitation

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
EMAIL = "noor.de.vries@example.com"
MESSAGE = "Fijn dat je meedoet. Tot ziens in de praktijk!"
LINK = re.compile(r"(https?://[^\s]+/accounts/invitation/[\w-]+/)")
OWN_SUBMIT = '[type="submit"]:not([form])'


def form_with(page, name):
    return page.locator(f'main form:has([name="{name}"])')


def submit(form):
    form.locator(OWN_SUBMIT).first.click()


def patient_row(page, name):
    return page.locator("table tbody tr").filter(
        has=page.get_by_role("link", name=name, exact=True)
    )


# The whole way from the invitation to her therapist's overview (and on to feedback and
# messages) is tests/browser/test_practice_loop_journey.py.


def test_it_shows_a_tampered_link_as_a_clear_page(live_server, page, course, therapist, alice):
    invitation = Invitation(email=EMAIL, course=course, therapist=therapist)
    token = invitation.new_link()
    invitation.save()
    page.goto(live_server.url + f"/accounts/invitation/{token}/")
    page.goto(live_server.url + f"/accounts/invitation/{token[:-3]}abc/")

    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(r"does not work|werkt niet", re.I)
    )
    expect(page.locator('input[name="password1"]')).to_have_count(0)
