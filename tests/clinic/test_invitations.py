"""/therapist/invitations/: invite a patient, resend or withdraw an invitation.

A therapist sees and changes only her own invitations (another's is a 404); a practice
owner sees all. The email holds the link and her message, nothing about health.
"""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone, translation

from courses.models import AccessCode, Invitation, hash_token
from tests.factories import make_course, make_user

LINK = re.compile(r"http://testserver/accounts/invitation/([\w-]+)/")


@pytest.fixture(autouse=True)
def _english(client):
    """Messages are compared in English, the source language (Dutch is the default)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


def invite(client, email="noor@example.com", course=None, message="", **extra):
    data = {"email": email, "course": course.pk if course else "", "message": message, **extra}
    return client.post("/therapist/invitations/", data)


def sent_token(message):
    match = LINK.search(message.body)
    assert match, message.body
    return match.group(1)


def make_invitation(therapist, course, email="noor@example.com"):
    invitation = Invitation(email=email, course=course, therapist=therapist)
    token = invitation.new_link()
    invitation.save()
    return invitation, token


@pytest.fixture
def other_client(client, other_therapist):
    from django.test import Client

    other = Client(HTTP_ACCEPT_LANGUAGE="en")
    other.force_login(other_therapist)
    return other


def test_it_shows_the_form_and_her_invitations(therapist_client, therapist, course):
    make_invitation(therapist, course)

    response = therapist_client.get("/therapist/invitations/")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="email"' in html
    assert "noor@example.com" in html
    assert "/therapist/invitations/" in therapist_client.get("/therapist/").content.decode()


def test_it_sends_an_invitation_with_a_single_link_and_her_message(
    therapist_client, therapist, course
):
    response = invite(therapist_client, course=course, message="Tot volgende week!")

    assert response.status_code == 302
    assert response["Location"] == "/therapist/invitations/"
    invitation = Invitation.objects.get()
    assert invitation.therapist == therapist
    assert invitation.course == course
    assert invitation.status == Invitation.Status.OPEN
    assert invitation.expires_at - invitation.sent_at == datetime.timedelta(days=14)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["noor@example.com"]
    assert "Tot volgende week!" in message.body
    assert "Marieke" in message.body
    assert hash_token(sent_token(message)) == invitation.token_hash


def test_it_puts_nothing_about_health_in_the_email(therapist_client, course):
    invite(therapist_client, course=course)

    body = mail.outbox[0].body.lower()
    for word in ("urine", "prolapse", "verzakking", "pain", "pijn", "leak"):
        assert word not in body


def test_it_lists_only_her_own_invitations(therapist_client, other_therapist, course):
    make_invitation(other_therapist, course, email="van.sanne@example.com")

    html = therapist_client.get("/therapist/invitations/").content.decode()

    assert "van.sanne@example.com" not in html


def test_it_lists_every_invitation_for_the_practice_owner(client, owner, therapist, course):
    make_invitation(therapist, course)
    client.force_login(owner)

    html = client.get("/therapist/invitations/").content.decode()

    assert "noor@example.com" in html
    assert "Marieke" in html  # the therapist column


def test_it_shows_the_status_of_each_invitation(therapist_client, therapist, course, alice):
    open_one, _t = make_invitation(therapist, course, email="open@example.com")
    used, _t = make_invitation(therapist, course, email="used@example.com")
    withdrawn, _t = make_invitation(therapist, course, email="withdrawn@example.com")
    expired, _t = make_invitation(therapist, course, email="expired@example.com")
    Invitation.objects.filter(pk=used.pk).update(used_at=timezone.now(), used_by=alice)
    Invitation.objects.filter(pk=withdrawn.pk).update(withdrawn_at=timezone.now())
    Invitation.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - datetime.timedelta(days=1)
    )

    rows = {
        inv.email: inv.status
        for inv in therapist_client.get("/therapist/invitations/").context["invitations"]
    }

    assert rows == {
        "open@example.com": "open",
        "used@example.com": "used",
        "withdrawn@example.com": "withdrawn",
        "expired@example.com": "expired",
    }


def test_it_shows_the_course_codes(therapist_client, course):
    AccessCode.objects.create(
        code="GROEP-2026", course=course, max_uses=12, ends_on=datetime.date(2030, 1, 1)
    )

    html = therapist_client.get("/therapist/invitations/").content.decode()

    assert "GROEP-2026" in html
    assert "/admin/courses/accesscode/" in html


def test_it_sends_a_logged_out_visitor_to_the_login(client, db):
    response = client.get("/therapist/invitations/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/therapist/invitations/")


def test_it_404s_for_a_patient(alice_client, therapist, course):
    invitation, _token = make_invitation(therapist, course)

    assert alice_client.get("/therapist/invitations/").status_code == 404
    assert alice_client.post(f"/therapist/invitations/{invitation.pk}/resend/").status_code == 404
    assert alice_client.post(f"/therapist/invitations/{invitation.pk}/withdraw/").status_code == 404
    assert len(mail.outbox) == 0


def test_it_refuses_the_wrong_methods(therapist_client, therapist, course):
    invitation, _token = make_invitation(therapist, course)

    assert therapist_client.put("/therapist/invitations/").status_code == 405
    assert therapist_client.get(f"/therapist/invitations/{invitation.pk}/resend/").status_code == (
        405
    )
    assert therapist_client.get(
        f"/therapist/invitations/{invitation.pk}/withdraw/"
    ).status_code == (405)


@pytest.mark.parametrize(
    ("data", "field", "error"),
    [
        ({"email": "niet-een-adres"}, "email", "Enter an email address like name@example.com."),
        ({"email": ""}, "email", None),
        ({"course": None}, "course", None),
        ({"message": "x" * 1001}, "message", None),
    ],
    ids=["bad-address", "no-address", "no-course", "long-message"],
)
def test_it_refuses_a_bad_form_and_sends_nothing(therapist_client, course, data, field, error):
    fields = {"email": "noor@example.com", "course": course, **data}
    response = invite(therapist_client, **fields)

    assert response.status_code == 400
    assert field in response.context["form"].errors
    if error:
        assert error in response.context["form"].errors[field]
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_it_refuses_an_address_that_already_has_an_account(therapist_client, course, bob):
    response = invite(therapist_client, email="BOB@example.com", course=course)

    assert response.status_code == 400
    assert "There is already an account with this address" in str(
        response.context["form"].errors["email"]
    )
    assert not Invitation.objects.exists()


def test_it_refuses_an_address_with_an_open_invitation(therapist_client, other_therapist, course):
    make_invitation(other_therapist, course)

    response = invite(therapist_client, email="noor@example.com", course=course)

    assert response.status_code == 400
    assert "already has an open invitation" in str(response.context["form"].errors["email"])
    assert Invitation.objects.count() == 1


def test_it_refuses_an_unpublished_course(therapist_client, db):
    draft = make_course(slug="concept", published=False)

    response = invite(therapist_client, course=draft)

    assert response.status_code == 400
    assert "course" in response.context["form"].errors


def test_it_stops_at_the_daily_limit(therapist_client, settings, course):
    settings.INVITATIONS_PER_DAY = 2
    invite(therapist_client, email="een@example.com", course=course)
    invite(therapist_client, email="twee@example.com", course=course)

    response = invite(therapist_client, email="drie@example.com", course=course)

    assert response.status_code == 400
    assert "the most invitations one therapist can send in a day" in str(
        response.context["form"].non_field_errors()
    )
    assert Invitation.objects.count() == 2
    assert len(mail.outbox) == 2


def test_it_counts_the_limit_per_therapist_and_day(
    therapist_client, other_client, frozen, settings, course
):
    settings.INVITATIONS_PER_DAY = 1
    invite(therapist_client, email="een@example.com", course=course)

    assert invite(other_client, email="twee@example.com", course=course).status_code == 302
    frozen.shift(datetime.timedelta(days=1))
    assert invite(therapist_client, email="drie@example.com", course=course).status_code == 302


def test_it_resends_with_a_new_link_and_a_new_expiry(therapist_client, frozen, therapist, course):
    invitation, old_token = make_invitation(therapist, course)
    old_expiry = invitation.expires_at
    frozen.shift(datetime.timedelta(days=3))

    response = therapist_client.post(f"/therapist/invitations/{invitation.pk}/resend/")

    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.expires_at == old_expiry + datetime.timedelta(days=3)
    new_token = sent_token(mail.outbox[0])
    assert new_token != old_token
    assert invitation.token_hash == hash_token(new_token)


def test_it_resends_an_expired_invitation(therapist_client, frozen, therapist, course):
    invitation, _token = make_invitation(therapist, course)
    frozen.shift(datetime.timedelta(days=20))

    therapist_client.post(f"/therapist/invitations/{invitation.pk}/resend/")

    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.OPEN
    assert len(mail.outbox) == 1


def test_it_does_not_resend_a_used_or_withdrawn_invitation(
    therapist_client, therapist, course, alice
):
    used, _t = make_invitation(therapist, course, email="used@example.com")
    Invitation.objects.filter(pk=used.pk).update(used_at=timezone.now(), used_by=alice)
    withdrawn, _t = make_invitation(therapist, course, email="gone@example.com")
    Invitation.objects.filter(pk=withdrawn.pk).update(withdrawn_at=timezone.now())

    for invitation in (used, withdrawn):
        response = therapist_client.post(
            f"/therapist/invitations/{invitation.pk}/resend/", follow=True
        )
        assert "cannot be sent again" in response.content.decode()
    assert mail.outbox == []


def test_it_does_not_resend_past_the_daily_limit(therapist_client, settings, therapist, course):
    settings.INVITATIONS_PER_DAY = 1
    invitation, _token = make_invitation(therapist, course)
    therapist_client.post(f"/therapist/invitations/{invitation.pk}/resend/")

    therapist_client.post(f"/therapist/invitations/{invitation.pk}/resend/")

    assert len(mail.outbox) == 1


def test_it_withdraws_an_open_invitation(client, therapist_client, therapist, course):
    invitation, token = make_invitation(therapist, course)

    response = therapist_client.post(f"/therapist/invitations/{invitation.pk}/withdraw/")

    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.WITHDRAWN
    assert client.get(f"/accounts/invitation/{token}/").status_code == 410


def test_it_does_not_withdraw_a_used_invitation(therapist_client, therapist, course, alice):
    invitation, _token = make_invitation(therapist, course)
    Invitation.objects.filter(pk=invitation.pk).update(used_at=timezone.now(), used_by=alice)

    response = therapist_client.post(
        f"/therapist/invitations/{invitation.pk}/withdraw/", follow=True
    )

    assert "already used, withdrawn or expired" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.withdrawn_at is None


def test_it_404s_another_therapists_invitation(therapist_client, other_therapist, course):
    invitation, _token = make_invitation(other_therapist, course)

    resend = therapist_client.post(f"/therapist/invitations/{invitation.pk}/resend/")
    withdraw = therapist_client.post(f"/therapist/invitations/{invitation.pk}/withdraw/")

    assert resend.status_code == 404
    assert withdraw.status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.OPEN
    assert mail.outbox == []


def test_it_lets_the_practice_owner_withdraw_anyones_invitation(client, owner, therapist, course):
    invitation, _token = make_invitation(therapist, course)
    client.force_login(owner)

    client.post(f"/therapist/invitations/{invitation.pk}/withdraw/")

    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.WITHDRAWN


def test_it_keeps_the_invitation_when_the_mail_server_fails(
    therapist_client, settings, course, caplog
):
    settings.EMAIL_BACKEND = "tests.clinic.test_invitations.FailingBackend"

    data = {"email": "noor@example.com", "course": course.pk, "message": ""}
    response = therapist_client.post("/therapist/invitations/", data, follow=True)

    assert Invitation.objects.count() == 1
    assert "could not be sent just now" in response.content.decode()
    assert "noor@example.com" not in caplog.text


def test_it_404s_for_staff_who_are_not_therapists(client, db, course):
    intern = make_user("stagiair@example.com", is_staff=True)
    client.force_login(intern)

    assert client.get("/therapist/invitations/").status_code == 404


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("mail server down for noor@example.com")


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm: session, permissions, content caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


# Session, user, groups (therapist check), MFA, owner check, invitations, codes, courses
# of the form, and the messages' session write: not one more per invitation or code.
INVITATIONS_BUDGET = 9


def test_it_keeps_the_page_within_its_query_budget_however_many_invitations(
    therapist_client, therapist, course, alice
):
    make_invitation(therapist, course, email="een@example.com")
    few = _queries(therapist_client, "/therapist/invitations/")
    for number in range(40):
        invitation, _token = make_invitation(therapist, course, email=f"p{number}@example.com")
        if number % 3 == 0:
            Invitation.objects.filter(pk=invitation.pk).update(
                used_at=timezone.now(), used_by=alice
            )
    for number in range(5):
        AccessCode.objects.create(
            code=f"GROEP-{number}", course=course, max_uses=5, ends_on=datetime.date(2030, 1, 1)
        )

    many = _queries(therapist_client, "/therapist/invitations/")

    print("invitations page queries:", few, many)
    assert many == few
    assert many <= INVITATIONS_BUDGET
