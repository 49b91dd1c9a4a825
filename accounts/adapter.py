import logging
import smtplib

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib import messages
from django.urls import reverse
from django.utils.translation import gettext as _

from . import signup

logger = logging.getLogger(__name__)


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        """Send, but never turn a mail-server failure into a 500 for the patient."""
        try:
            super().send_mail(template_prefix, email, context)
        except (smtplib.SMTPException, OSError) as error:
            # No traceback: a refused recipient's error text contains the address.
            logger.error("Could not send the %s email (%s)", template_prefix, type(error).__name__)
            request = getattr(self, "request", None) or context.get("request")
            if request is not None:
                messages.error(
                    request,
                    _(
                        "We could not send you an email just now. Please try again in a "
                        "few minutes. If it keeps failing, contact your therapist."
                    ),
                )

    def is_open_for_signup(self, request):
        # `invite` keeps the form open: it asks for the invitation or the course code.
        return signup.is_open()

    def is_email_verified(self, request, email):
        """An address her invitation link was sent to is verified by opening that link."""
        invitation = signup.grants().pending_invitation(request)
        if invitation is not None and invitation.email.lower() == email.lower():
            return True
        return super().is_email_verified(request, email)

    def _after_login_url(self, request, default):
        user = request.user
        if user.is_authenticated and not user.is_staff:
            profile = getattr(user, "profile", None)
            if profile is None or profile.intake_completed_at is None:
                return reverse("accounts:profile")
        return default

    def get_login_redirect_url(self, request):
        return self._after_login_url(request, super().get_login_redirect_url(request))

    def get_signup_redirect_url(self, request):
        return self._after_login_url(request, super().get_signup_redirect_url(request))

    def get_email_verification_redirect_url(self, email_address):
        # After confirming a changed address she goes back to her addresses, not the course.
        if self.request.user.is_authenticated:
            return reverse("account_email")
        return super().get_email_verification_redirect_url(email_address)
