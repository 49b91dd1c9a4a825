"""The allauth settings pass Django's checks and use no deprecated names."""

import io
import warnings

from allauth.account import app_settings
from django.core.management import call_command

from therapy import settings as project_settings

DEPRECATED = [
    "ACCOUNT_AUTHENTICATION_METHOD",
    "ACCOUNT_EMAIL_REQUIRED",
    "ACCOUNT_USERNAME_REQUIRED",
    "ACCOUNT_SIGNUP_EMAIL_ENTER_TWICE",
    "ACCOUNT_SIGNUP_PASSWORD_ENTER_TWICE",
    "ACCOUNT_LOGIN_ATTEMPTS_LIMIT",
    "ACCOUNT_LOGIN_ATTEMPTS_TIMEOUT",
    "ACCOUNT_EMAIL_CONFIRMATION_COOLDOWN",
]


def test_it_passes_the_system_checks_without_warnings():
    out, err = io.StringIO(), io.StringIO()

    call_command("check", stdout=out, stderr=err)

    output = out.getvalue() + err.getvalue()
    assert "WARNINGS" not in output
    assert "no issues" in output


def test_it_uses_no_deprecated_allauth_setting():
    assert [name for name in DEPRECATED if hasattr(project_settings, name)] == []


def test_it_reads_the_allauth_settings_without_deprecation_warnings():
    names = [
        "LOGIN_METHODS",
        "SIGNUP_FIELDS",
        "RATE_LIMITS",
        "EMAIL_VERIFICATION",
        "PREVENT_ENUMERATION",
        "REAUTHENTICATION_TIMEOUT",
        "EMAIL_SUBJECT_PREFIX",
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        values = {name: getattr(app_settings, name) for name in names}

    assert values["LOGIN_METHODS"] == {"email"}
    assert values["SIGNUP_FIELDS"]["email"]["required"] is True
    assert "username" not in values["SIGNUP_FIELDS"]
    assert values["RATE_LIMITS"]["login_failed"] == "10/m/ip,5/300s/key"
    assert values["REAUTHENTICATION_TIMEOUT"] == 300
