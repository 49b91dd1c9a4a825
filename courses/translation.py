"""Which course texts are written in more than one language (django-modeltranslation).

Each field below gets a column per language on the same row (``title_nl``, ``title_en``),
so a page reads its texts with the queries it had before: no join, no extra query per
language. Reading ``lesson.title`` gives the active language's text and falls back to Dutch
(``MODELTRANSLATION_FALLBACK_LANGUAGES``); ``courses.languages`` says which texts fell back.

The history models of lessons, exercises and steps carry the same columns, so that a
revision keeps both languages and a revert brings both back.
"""

from modeltranslation.translator import TranslationOptions, translator

from . import languages
from .models import Course, Exercise, Lesson, LessonImage, Step


class CourseTexts(TranslationOptions):
    fields = ("title", "summary")


class StepTexts(TranslationOptions):
    fields = ("title", "introduction")


class LessonTexts(TranslationOptions):
    fields = ("title", "summary", "body", "transcript")


class ImageTexts(TranslationOptions):
    fields = ("alt_text", "caption")


class ExerciseTexts(TranslationOptions):
    fields = ("name", "instructions", "starting_position")


def _history_keeps_every_language(model):
    """django-simple-history made the history model before the language columns existed:
    give it the columns, count them as changes, and bring them back with a revert."""
    history = model.history.model
    columns = [field for field in model._meta.fields if languages.is_language_column(field)]
    history.tracked_fields = [*history.tracked_fields, *columns]
    as_it_was = history.instance

    def instance(self):
        revision = as_it_was.fget(self)
        for field in columns:
            setattr(revision, field.attname, getattr(self, field.attname))
        return revision

    history.instance = property(instance)


for model, texts in (
    (Course, CourseTexts),
    (Step, StepTexts),
    (Lesson, LessonTexts),
    (LessonImage, ImageTexts),
    (Exercise, ExerciseTexts),
):
    translator.register(model, texts)
    if hasattr(model, "history"):
        translator.register(model.history.model, texts)
        _history_keeps_every_language(model)
