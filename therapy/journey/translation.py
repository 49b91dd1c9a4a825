"""Which questionnaire texts are written in more than one language (django-modeltranslation;
see courses/translation.py). Her answers point at the options, so a patient who changes her
language keeps her scores."""

from modeltranslation.translator import TranslationOptions, translator

from .models import AnswerOption, Question, Questionnaire, ScoreBand


class QuestionnaireTexts(TranslationOptions):
    fields = ("title", "introduction")


class QuestionTexts(TranslationOptions):
    fields = ("text",)


class LabelTexts(TranslationOptions):
    fields = ("label",)


translator.register(Questionnaire, QuestionnaireTexts)
translator.register(Question, QuestionTexts)
translator.register(AnswerOption, LabelTexts)
translator.register(ScoreBand, LabelTexts)
