from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Message


class MessageForm(forms.Form):
    """A message in the conversation: plain text, not empty, not too long, and within the
    sender's daily limit (Message.daily_limit)."""

    text = forms.CharField(
        label=_("Your message"),
        max_length=Message.MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Write your message first."),
            "max_length": _(
                "Your message is too long: at most %(limit_value)d characters "
                "(it has %(show_value)d)."
            ),
        },
    )

    def __init__(self, *args, sender, **kwargs):
        super().__init__(*args, **kwargs)
        self.sender = sender

    def clean(self):
        cleaned = super().clean()
        limit = Message.daily_limit(self.sender)
        if Message.sent_today(self.sender) >= limit:
            raise forms.ValidationError(
                ngettext(
                    "You have sent %(limit)d message in the last 24 hours, the most there "
                    "can be. You can send this one later; your text is still here.",
                    "You have sent %(limit)d messages in the last 24 hours, the most there "
                    "can be. You can send this one later; your text is still here.",
                    limit,
                )
                % {"limit": limit},
                code="limit",
            )
        return cleaned
