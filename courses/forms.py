from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image

from .models import Lesson, LessonImage, LessonQuestion

MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_IMAGE_SIDE = 6000


class LessonImageField(forms.ImageField):
    """Pillow-validated upload with clear messages for each way an image can be wrong."""

    default_error_messages = {
        "invalid_image": _(
            "This file is not an image we can use. Upload a JPEG, PNG or WebP photo or drawing."
        ),
        "too_big_file": _("The image is larger than 10 MB. Make it smaller and try again."),
        "too_many_pixels": _(
            "The image is %(width)s × %(height)s pixels; at most %(max)s × %(max)s is allowed. "
            "Make it smaller and try again."
        ),
        "bomb": _(
            "The image has far too many pixels; at most %(max)s × %(max)s is allowed. "
            "Make it smaller and try again."
        ),
        "truncated": _(
            "The image file is incomplete or damaged. Save or export it again and retry."
        ),
        "format": _("Use a JPEG, PNG or WebP image (this one is %(format)s)."),
    }

    def to_python(self, data):
        if data in self.empty_values:
            return None
        if data.size > MAX_IMAGE_BYTES:
            raise ValidationError(self.error_messages["too_big_file"], code="too_big_file")
        try:
            data.seek(0)
            with Image.open(data) as probe:
                width, height = probe.size
                image_format = probe.format
        except Image.DecompressionBombError:
            raise ValidationError(
                self.error_messages["bomb"], code="bomb", params={"max": MAX_IMAGE_SIDE}
            ) from None
        except Exception:
            raise ValidationError(
                self.error_messages["invalid_image"], code="invalid_image"
            ) from None
        if width > MAX_IMAGE_SIDE or height > MAX_IMAGE_SIDE:
            raise ValidationError(
                self.error_messages["too_many_pixels"],
                code="too_many_pixels",
                params={"width": width, "height": height, "max": MAX_IMAGE_SIDE},
            )
        if image_format not in {"JPEG", "PNG", "WEBP"}:
            raise ValidationError(
                self.error_messages["format"], code="format", params={"format": image_format}
            )
        try:
            data.seek(0)
            with Image.open(data) as full:
                # verify() misses a cut-off JPEG; decoding every pixel does not.
                full.load()
        except Exception:
            raise ValidationError(self.error_messages["truncated"], code="truncated") from None
        data.seek(0)
        return super().to_python(data)


class LessonImageForm(forms.ModelForm):
    image = LessonImageField(
        label=_("image"),
        help_text=_("JPEG, PNG or WebP, at most 10 MB and 6000 × 6000 pixels."),
    )

    class Meta:
        model = LessonImage
        fields = ["image", "alt_text", "caption", "order"]


class MarkdownPreviewForm(forms.Form):
    body = forms.CharField(required=False, max_length=100_000)
    # The saved lesson being edited: its own images may be placed in the text.
    lesson = forms.ModelChoiceField(queryset=Lesson.objects.all(), required=False)


class AskQuestionForm(forms.ModelForm):
    class Meta:
        model = LessonQuestion
        fields = ["text"]
        labels = {"text": _("Your question")}
        help_texts = {"text": _("Only you and your therapist can see it. At most 1000 characters.")}
        widgets = {"text": forms.Textarea(attrs={"rows": 4, "maxlength": 1000})}
        error_messages = {
            "text": {
                "required": _("Write your question first."),
                "max_length": _("Your question can be at most %(limit_value)d characters."),
            }
        }

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Write your question first."))
        return text


class AnswerQuestionForm(forms.ModelForm):
    """The therapist's answer, on /therapist/ and in the admin alike."""

    class Meta:
        model = LessonQuestion
        fields = ["answer", "published_as_faq", "faq_text"]
        widgets = {
            "answer": forms.Textarea(attrs={"rows": 6}),
            "faq_text": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {"answer": {"required": _("Write an answer.")}}

    def clean_answer(self):
        answer = self.cleaned_data["answer"].strip()
        if not answer:
            raise forms.ValidationError(_("Write an answer."), code="required")
        return answer
