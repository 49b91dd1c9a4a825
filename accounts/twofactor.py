"""Staff see patients' health data: they need two-factor authentication (TOTP) first.

Checked on every request (she may switch it off), by the admin's middleware and by the
therapist pages' decorator.
"""

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _


def needs_two_factor_setup(user):
    """True when this user has no TOTP authenticator."""
    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def redirect_to_two_factor_setup(request):
    messages.warning(
        request,
        _(
            "Set up two-factor authentication first: the admin shows patients' "
            "health data. Scan the code with an authenticator app."
        ),
    )
    return redirect(reverse("mfa_activate_totp"))
