"""Who may create an account: SIGNUP_MODE, and what she signs up with.

`open`: anyone (development). `invite`: only with a therapist's invitation or a course
code (production). `closed`: nobody. Invitations and course codes enrol her in a course,
so they live in the courses app; this app may not import it (the one-way imports), so
the signup form and the adapter ask the module named in ACCOUNTS_SIGNUP_GRANTS
(`courses.joining`), which offers:

- ``pending_invitation(request)``: the still-open invitation whose link she opened in
  this session, or None;
- ``check_code(code)``: the usable course code, or a ValidationError saying what to do;
- ``redeem(request, user, *, invitation, access_code)``: inside the signup transaction,
  use them up (raising ``GrantGone`` when another sign-up was first), enrol her and give
  her the therapist.
"""

from django.conf import settings
from django.utils.module_loading import import_string

OPEN, INVITE, CLOSED = "open", "invite", "closed"


class GrantGone(Exception):
    """The invitation or code was used up between the form's check and the save."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


def mode():
    return settings.SIGNUP_MODE


def is_open():
    return mode() != CLOSED


def needs_grant():
    return mode() == INVITE


def grants():
    return import_string(settings.ACCOUNTS_SIGNUP_GRANTS)
