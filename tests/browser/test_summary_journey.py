"""The summary for the GP in Chromium: from her dashboard to the page, on a phone, and the
PDF she downloads."""

import re

import pytest
from playwright.sync_api import expect

from courses.models import Enrollment
from tests.factories import make_therapist, make_user, practise

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def patient(transactional_db, course):
    therapist = make_therapist("therapeut@example.com", display_name="Marieke")
    user = make_user("anna@example.com", display_name="Anna", therapist=therapist)
    Enrollment.objects.create(user=user, course=course)
    practise(user, "2026-03-10T09:00:00+01:00")
    return user


def test_it_takes_her_from_the_dashboard_to_a_summary_she_can_download(
    page, live_server, log_in, patient, console_errors, axe_check, page_overflow, artifacts_dir
):
    page.set_viewport_size(PHONE)
    log_in(page.context, patient)
    console_errors(page)

    page.goto(f"{live_server.url}/dashboard/")
    page.get_by_role(
        "link", name=re.compile("Summary for your GP|Samenvatting voor je huisarts")
    ).click()
    page.wait_for_url(f"{live_server.url}/dashboard/summary/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile("Summary of pelvic-floor therapy|Samenvatting bekkenbodemtherapie")
    )
    expect(page.locator(".summary")).to_contain_text("Marieke")
    page.screenshot(path=artifacts_dir / "summary-phone.png", full_page=True)
    assert axe_check(page, "summary") == []
    assert page_overflow(page)[0] == 0

    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("Download PDF|Pdf downloaden")).click()
    download = download_info.value
    assert re.fullmatch(
        r"(summary|samenvatting)-\d{4}-\d{2}-\d{2}\.pdf", download.suggested_filename
    )
    with open(download.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
    assert console_errors.errors == []
