"""A patient's own pages in headless Chromium: the symptom diary, the dashboard with her
practice this week, and an accessibility check of both.

The UI is Dutch by default and its texts are still being translated, so fields are found
by name, role or id, and visible words only through regexes that accept both the English
msgid and a Dutch translation.
"""

import datetime
import re

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format
from playwright.sync_api import expect

from tests.factories import practise
from therapy.journey.models import DiaryEntry

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
SAVE = re.compile(r"^\s*(Save|Opslaan)\s*$", re.I)
SAVED = re.compile(r"Saved for|Opgeslagen", re.I)
PAIN_TABLE = re.compile(r"back pain|rugpijn", re.I)
LEAKS_TABLE = re.compile(r"leak|lek|urineverlies", re.I)


def diary_form(page):
    return page.locator('main form:has([name="leaks"])')


def fill_day(page, *, leaks, pads, urgency, back_pain):
    form = diary_form(page)
    form.locator('input[name="leaks"]').fill(str(leaks))
    form.locator('input[name="pads"]').fill(str(pads))
    form.locator('input[name="urgency"]').fill(str(urgency))
    # The pain scale is a radio group; a radio's name is its number (0 and 10 say more).
    form.get_by_role("radio", name=re.compile(rf"^{back_pain}\b")).check()
    return form


def this_weeks_value(page, table_name):
    """The last row of a chart's visually hidden data table: (week label, value)."""
    table = page.get_by_role("table", name=table_name)
    expect(table).to_have_count(1)
    last = table.locator("tbody tr").last
    return last.get_by_role("rowheader"), last.get_by_role("cell")


def week_label(day):
    """The chart's label of the week `day` falls in: its Monday, as the page shows it."""
    monday = day - datetime.timedelta(days=day.weekday())
    with translation.override("nl"):
        return date_format(monday, "j b")


@pytest.fixture
def alice_with_history(alice):
    """Alice after a few weeks: diary days in earlier weeks, practice today and yesterday."""
    today = timezone.localdate()
    for weeks_ago, (leaks, pain) in enumerate([(2, 3), (4, 5), (6, 6)], start=1):
        DiaryEntry.objects.create(
            user=alice,
            date=today - datetime.timedelta(weeks=weeks_ago),
            leaks=leaks,
            pads=1,
            urgency=2,
            back_pain=pain,
        )
    now = timezone.now()
    practise(alice, now - datetime.timedelta(minutes=1))
    practise(alice, now)
    practise(alice, now - datetime.timedelta(days=1))
    return alice


def test_it_saves_a_diary_day_updates_it_and_refuses_a_bad_number(
    live_server, page, alice, log_in, console_errors
):
    log_in(page.context, alice)
    console_errors(page)
    today = timezone.localdate()
    page.goto(live_server.url + "/diary/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(diary_form(page).locator('input[name="date"]')).to_have_value(today.isoformat())

    # A first day: 3 leaks, back pain 6.
    form = fill_day(page, leaks=3, pads=2, urgency=4, back_pain=6)
    form.get_by_role("button", name=SAVE).click()
    expect(page).to_have_url(f"{live_server.url}/diary/?date={today.isoformat()}")
    expect(page.locator(".message-success")).to_contain_text(SAVED)
    entry = DiaryEntry.objects.get(user=alice)
    assert (entry.date, entry.leaks, entry.pads, entry.urgency, entry.back_pain) == (
        today,
        3,
        2,
        4,
        6,
    )

    week, leaks = this_weeks_value(page, LEAKS_TABLE)
    expect(week).to_have_text(week_label(today))
    expect(leaks).to_have_text("3")
    week, pain = this_weeks_value(page, PAIN_TABLE)
    expect(week).to_have_text(week_label(today))
    expect(pain).to_have_text(re.compile(r"^\s*6([.,]0)?\s*$"))

    # The same day again, now with back pain 4: the day is changed, not added.
    form = diary_form(page)
    expect(form.get_by_role("radio", name=re.compile(r"^6\b"))).to_be_checked()
    expect(form.locator('input[name="leaks"]')).to_have_value("3")
    form.get_by_role("radio", name=re.compile(r"^4\b")).check()
    form.get_by_role("button", name=SAVE).click()
    expect(page.locator(".message-success")).to_contain_text(SAVED)
    assert DiaryEntry.objects.filter(user=alice).count() == 1
    assert DiaryEntry.objects.get(user=alice).back_pain == 4
    _week, pain = this_weeks_value(page, PAIN_TABLE)
    expect(pain).to_have_text(re.compile(r"^\s*4([.,]0)?\s*$"))
    _week, leaks = this_weeks_value(page, LEAKS_TABLE)
    expect(leaks).to_have_text("3")

    # 99 leaks is more than the form takes: an error summary and the field's own error.
    before = DiaryEntry.objects.values().get(user=alice)
    form = diary_form(page)
    form.locator('input[name="leaks"]').fill("99")
    form.get_by_role("button", name=SAVE).click()
    summary = page.get_by_role("alert")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text(re.compile(r"\b50\b"))
    summary_link = summary.locator('a[href="#id_leaks"]')
    expect(summary_link).to_be_visible()
    leaks_input = page.locator('input[name="leaks"]')
    expect(leaks_input).to_have_value("99")
    expect(leaks_input).to_have_attribute("aria-invalid", "true")
    field_error = page.locator("#id_leaks_error")
    expect(field_error).to_be_visible()
    expect(field_error).to_contain_text(re.compile(r"\b50\b"))
    # The error is announced with the field, not only shown next to it.
    described_by = (leaks_input.get_attribute("aria-describedby") or "").split()
    assert "id_leaks_error" in described_by, f"aria-describedby={described_by}"
    expect(page.locator(".message-success")).to_have_count(0)
    # Following the summary's link puts her in the field.
    summary_link.click()
    expect(leaks_input).to_be_focused()
    assert DiaryEntry.objects.values().get(user=alice) == before

    assert console_errors.errors == []


def test_it_shows_practice_this_week_and_the_streak_on_the_dashboard_at_phone_width(
    live_server, page, alice_with_history, log_in, artifacts_dir, console_errors, page_overflow
):
    alice = alice_with_history
    log_in(page.context, alice)
    console_errors(page)
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/dashboard/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Alice")

    # Two sessions today; yesterday's counts this week unless today is a Monday.
    this_week = 3 if timezone.localdate().weekday() > 0 else 2
    target = 3 * 7
    expect(page.locator("#practice-count")).to_have_text(
        re.compile(rf"^\s*{this_week}\s+(of|van)\s+{target}\b")
    )
    practice = page.locator("section.dash-practice")
    expect(practice.get_by_role("progressbar")).to_have_attribute(
        "value", str(round(100 * this_week / target))
    )
    expect(practice.locator(".streak")).to_contain_text(
        re.compile(r"\b2\s+(days in a row|dagen (op rij|achter elkaar))", re.I)
    )
    today_item = practice.locator(".week-day-today")
    expect(today_item).to_have_count(1)
    expect(today_item.locator(".week-day-count")).to_have_text("2")

    # Her diary weeks are on the dashboard too, with their numbers for screen readers.
    _week, pain = this_weeks_value(page, PAIN_TABLE)
    expect(pain).to_have_text(re.compile(r"^\s*[–-]\s*$"))  # nothing this week yet

    path = artifacts_dir / "dashboard-phone.png"
    path.unlink(missing_ok=True)
    page.screenshot(path=path, full_page=True)
    assert path.stat().st_size > 0
    assert console_errors.errors == []
    overflow, culprits = page_overflow(page)
    assert overflow <= 0, f"/dashboard/ scrolls sideways by {overflow}px on a phone: {culprits}"


@pytest.mark.parametrize(
    ("url", "with_errors"),
    [("/diary/", False), ("/dashboard/", False), ("/diary/", True)],
    ids=["diary", "dashboard", "diary-with-errors"],
)
def test_it_has_no_serious_accessibility_violations_on_her_practice_pages(
    url, with_errors, live_server, page, alice_with_history, log_in, axe_check, console_errors
):
    alice = alice_with_history
    DiaryEntry.objects.create(
        user=alice, date=timezone.localdate(), leaks=1, pads=1, urgency=0, back_pain=3
    )
    log_in(page.context, alice)
    console_errors(page)
    page.goto(live_server.url + url)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    if with_errors:
        # The diary with its error summary and field errors.
        diary_form(page).locator('input[name="leaks"]').fill("99")
        diary_form(page).locator('input[name="pads"]').fill("")
        diary_form(page).get_by_role("button", name=SAVE).click()
        expect(page.get_by_role("alert")).to_be_visible()

    serious = axe_check(page, url + (" with errors" if with_errors else ""))
    assert not serious, f"serious accessibility violations on {url}: {[v['id'] for v in serious]}"
    assert console_errors.errors == []
