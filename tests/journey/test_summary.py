"""The patient's summary for her GP: /dashboard/summary/ and /dashboard/summary.pdf."""

import datetime
import shutil
import subprocess
import sys

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Complaint, Profile
from tests.factories import MONDAY, NOW, TODAY, at, complete, make_user, practise, safety_answers
from tests.journey.test_dashboard import make_questionnaire
from therapy.journey import summary
from therapy.journey.models import DiaryEntry, QuestionnaireResponse, SafetyCheck

pytestmark = pytest.mark.usefixtures("frozen")

BUDGET = 9  # her user, profile, course, progress, doses, practice, diary, scores, safety
needs_poppler = pytest.mark.skipif(
    not (shutil.which("pdftoppm") and shutil.which("pdftotext")),
    reason="poppler-utils (pdftoppm, pdftotext) is not installed",
)


@pytest.fixture
def history(alice, lessons):
    """Two weeks of practice and diary, two scores, an answered red flag, her complaints."""
    Profile.objects.filter(user=alice).update(
        complaints=[Complaint.URINE_LOSS, Complaint.LOW_BACK_PAIN]
    )
    complete(alice, lessons[0], lessons[1])
    last_week = MONDAY - datetime.timedelta(days=7)
    practise(alice, *(at(last_week + datetime.timedelta(days=d)) for d in range(7)), count=3)
    practise(alice, at(MONDAY), at(MONDAY, 13), at(TODAY, 8))
    for day in range(9):
        DiaryEntry.objects.create(
            user=alice,
            date=last_week + datetime.timedelta(days=day),
            leaks=3 if day < 7 else 1,
            pads=1,
            urgency=1,
            back_pain=6 if day < 7 else 3,
        )
    questionnaire = make_questionnaire(higher_is_worse=True)
    for score, weeks_ago in ((9, 1), (5, 0)):
        QuestionnaireResponse.objects.create(
            user=alice,
            questionnaire=questionnaire,
            total_score=score,
            due_date=TODAY - datetime.timedelta(weeks=weeks_ago),
            submitted_at=NOW - datetime.timedelta(weeks=weeks_ago),
        )
    safety_answers(alice, when=NOW - datetime.timedelta(weeks=2))
    check = safety_answers(
        alice,
        "fever_with_flank_pain",
        source=SafetyCheck.Source.CHECK_IN,
        when=NOW - datetime.timedelta(days=3),
    )
    check.help_sought_at = NOW - datetime.timedelta(days=3, hours=-2)
    check.save()
    return questionnaire


def pdf_text(content, tmp_path):
    path = tmp_path / "summary.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_it_sends_a_logged_out_visitor_to_the_login(client):
    for url in ("/dashboard/summary/", "/dashboard/summary.pdf"):
        response = client.get(url)

        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={url}"


def test_it_asks_for_consent_first(client, db):
    user = make_user("nieuw@example.com", consent=False)
    client.force_login(user)

    response = client.get("/dashboard/summary/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/consent/")


def test_it_refuses_post(alice_client):
    assert alice_client.post("/dashboard/summary/").status_code == 405
    assert alice_client.post("/dashboard/summary.pdf").status_code == 405


def test_it_is_linked_from_the_dashboard(alice_client):
    assert 'href="/dashboard/summary/"' in alice_client.get("/dashboard/").content.decode()


def test_it_shows_the_numbers_of_her_dashboard(alice_client, alice, history):
    dashboard = alice_client.get("/dashboard/").context
    response = alice_client.get("/dashboard/summary/")

    assert response.status_code == 200
    ctx = response.context
    assert ctx["practice"].this_week == dashboard["practice"].this_week == 3
    assert ctx["practice"].target == dashboard["practice"].target == 21
    assert [(w.monday, w.sessions) for w in ctx["weeks"]] == [
        (MONDAY, 3),
        (MONDAY - datetime.timedelta(days=7), 21),
    ]
    assert ctx["weeks"][1].target_met
    diary = {w.week: w for w in dashboard["weeks"]}
    assert [(w.leaks, w.back_pain) for w in ctx["weeks"]] == [
        (diary[w.monday].leaks, diary[w.monday].back_pain) for w in ctx["weeks"]
    ]
    (scored,) = ctx["scored"]
    change = scored.change
    assert (scored.first.total_score, scored.latest.total_score) == (9, 5)
    assert (change.points, change.meaningful, change.improved) == (-4, True, True)
    assert ctx["programme"].week == dashboard["programme"].week
    assert ctx["therapist"].display_name == "Marieke"
    page = response.content.decode()
    assert "Marieke" in page
    assert "−4" in page
    assert 'href="/dashboard/summary.pdf"' in page


def test_it_shows_her_complaints_and_red_flags_with_when_she_answered(alice_client, alice, history):
    response = alice_client.get("/dashboard/summary/")

    ctx = response.context
    assert ctx["profile"].get_complaints_display() == [
        Complaint.URINE_LOSS.label,
        Complaint.LOW_BACK_PAIN.label,
    ]
    (flagged,) = ctx["red_flags"]
    assert flagged.flags == ["fever_with_flank_pain"]
    assert ctx["safety_checks"] == 2
    page = response.content.decode()
    assert "8 maart 2026" in page  # answered three days before NOW (11 March)
    assert "8 maart 2026, 12:00" in page  # help sought two hours later


def test_it_renders_sensibly_for_a_patient_without_course_or_data(client, bob):
    client.force_login(bob)

    response = client.get("/dashboard/summary/")

    assert response.status_code == 200
    ctx = response.context
    assert ctx["programme"] is None
    assert ctx["weeks"] == []
    assert ctx["scored"] == []
    assert ctx["red_flags"] == []
    assert ctx["diary_trend"] is None


def test_it_keeps_to_its_query_budget_however_much_history_she_has(alice_client, alice, history):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert alice_client.get("/dashboard/summary/").status_code == 200
        return len(captured)

    queries()  # the content cache warm, as after the first page view of a process
    little = queries()
    practise(alice, *(at(TODAY - datetime.timedelta(days=d)) for d in range(14, 300)), count=3)
    DiaryEntry.objects.bulk_create(
        DiaryEntry(
            user=alice,
            date=TODAY - datetime.timedelta(days=d),
            leaks=1,
            pads=1,
            urgency=0,
            back_pain=2,
        )
        for d in range(14, 300)
    )
    for days_ago in range(20, 200, 20):
        safety_answers(alice, when=NOW - datetime.timedelta(days=days_ago))

    assert little <= BUDGET
    assert queries() == little


def test_it_downloads_a_pdf_without_health_data_in_its_name(alice_client, history):
    response = alice_client.get("/dashboard/summary.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == 'attachment; filename="samenvatting-2026-03-11.pdf"'
    assert response["Cache-Control"] == "no-store"


@needs_poppler
def test_its_pdf_renders_and_holds_the_numbers_of_her_dashboard(alice_client, history, tmp_path):
    dashboard = alice_client.get("/dashboard/").context
    content = alice_client.get("/dashboard/summary.pdf").content
    (tmp_path / "summary.pdf").write_bytes(content)

    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "50",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(tmp_path / "summary.pdf"),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    assert (tmp_path / "page.png").read_bytes().startswith(b"\x89PNG")
    info = subprocess.run(
        ["pdfinfo", str(tmp_path / "summary.pdf")], capture_output=True, text=True, check=True
    ).stdout
    assert "Pages:           1" in info  # one A4 page
    assert "595.28 x 841.89" in info or "595.276 x 841.89" in info
    text = pdf_text(content, tmp_path)
    practice = dashboard["practice"]
    assert f"{practice.this_week} van {practice.target}" in text
    (history_,) = [h for h in dashboard["histories"] if h.responses]
    assert f"{history_.latest.total_score} (" in text
    assert "−4" in text
    assert "Marieke" in text


def test_it_says_what_is_missing_without_weasyprint(alice_client, monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import weasyprint fails

    page = alice_client.get("/dashboard/summary/")
    pdf = alice_client.get("/dashboard/summary.pdf")

    assert page.status_code == 200
    assert "Pango" in page.context["pdf_unavailable"]
    assert 'href="/dashboard/summary.pdf"' not in page.content.decode()
    assert "PDF niet beschikbaar" in page.content.decode()
    assert pdf.status_code == 503
    assert pdf.content.decode().startswith("PDF niet beschikbaar: ")
    assert "Pango" in pdf.content.decode()


def test_its_pdf_fetches_only_the_sites_static_files():
    assert summary._static_file("http://testserver/static/css/summary.css").name == "summary.css"
    assert summary._static_file("https://example.com/static/../settings.py") is None
    assert summary._static_file("https://example.com/tracker.png") is None
    assert summary._static_file("file:///etc/passwd") is None
    weasyprint = summary.load_weasyprint()
    fetcher = summary._fetcher_class(weasyprint)()
    with pytest.raises(ValueError):
        fetcher.fetch("https://example.com/font.woff2")
