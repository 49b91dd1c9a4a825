"""The lesson editor in the admin: the text beside its live preview, and images placed in it.

The text field is one widget (templates/admin/courses/lesson/body_editor.html): the
textarea with the lesson's uploaded images above it, each with a button that writes its
token (`{{ image 12 }}`, courses/rendering.py) at the cursor, and the preview that
static/js/admin-markdown-preview.js fills from the admin's preview address. The grid that
puts the preview beside the text on a wide screen and under it on a narrow one is in
static/css/admin.css.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import ngettext

from . import languages
from .models import Lesson
from .rendering import image_token, unknown_image_tokens


def unknown_images_message(numbers):
    """What the editor says about tokens of images that are not this lesson's."""
    return ngettext(
        "This lesson has no image %(numbers)s, so patients see nothing there. "
        "Place one of the lesson's own images with its button above the text.",
        "This lesson has no images %(numbers)s, so patients see nothing there. "
        "Place the lesson's own images with their buttons above the text.",
        len(numbers),
    ) % {"numbers": ", ".join(str(number) for number in numbers)}


class LessonBodyWidget(forms.Textarea):
    def __init__(self, attrs=None, images=(), lesson_pk=None):
        super().__init__({**(attrs or {}), "rows": 24})
        self.images = list(images)
        self.lesson_pk = lesson_pk

    def render(self, name, value, attrs=None, renderer=None):
        textarea = super().render(name, value, attrs, renderer)
        context = {
            "textarea": textarea,
            "field_id": (attrs or {}).get("id", f"id_{name}"),
            "images": [
                {
                    "image": image,
                    "token": image_token(image.pk),
                    "thumb": image.srcset_items()[0][0],
                }
                for image in self.images
                if image.pk and image.image
            ],
            "preview_url": reverse("admin:courses_lesson_markdown_preview"),
            "lesson_pk": self.lesson_pk or "",
        }
        return render_to_string("admin/courses/lesson/body_editor.html", context)


def body_columns():
    """The lesson text's column per language (body_nl, body_en): one editor each."""
    return [languages.column("body", code) for code in languages.all_languages()]


class LessonAdminForm(forms.ModelForm):
    class Meta:
        model = Lesson
        # The admin's fieldsets give the fields (a list here would make django-modeltranslation
        # set ModelAdmin.fields beside the fieldsets).
        fields = ()

    def clean(self):
        cleaned = super().clean()
        images = None
        for name in body_columns():
            body = cleaned.get(name)
            if not body:
                continue
            if images is None:
                images = list(self.instance.images.all()) if self.instance.pk else []
            unknown = unknown_image_tokens(body, images)
            if unknown:
                self.add_error(
                    name, ValidationError(unknown_images_message(unknown), code="unknown_image")
                )
        return cleaned
