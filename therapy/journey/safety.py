"""Red flags: the safety questions, what each answer means she must do, and by when.

One home for the list and its urgency. Grouped by what she must do:
- NOW: call the GP's out-of-hours service (huisartsenpost) or 112;
- TODAY: call her GP today;
- SOON: make a GP appointment before she goes on with the exercises;
- ADAPT: the course is adapted (pregnancy, a recent birth or operation), not stopped.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Urgency(models.TextChoices):
    # In order of urgency: NOW is the most urgent.
    NOW = "now", _("Now: call the out-of-hours GP service or 112")
    TODAY = "today", _("Today: call your GP")
    SOON = "soon", _("Soon: make an appointment with your GP")
    ADAPT = "adapt", _("The course is adapted for you")


URGENCY_ORDER = [Urgency.NOW, Urgency.TODAY, Urgency.SOON, Urgency.ADAPT]
URGENT = {Urgency.NOW, Urgency.TODAY}


class RedFlag(models.TextChoices):
    # now
    SADDLE_NUMBNESS = (
        "saddle_numbness",
        _("Numbness around your genitals, anus or inner thighs (where you would sit on a saddle)"),
    )
    SUDDEN_LOSS_OF_CONTROL = (
        "sudden_loss_of_control",
        _("Suddenly no longer being able to hold or pass urine or stool"),
    )
    WEAKNESS_BOTH_LEGS = "weakness_both_legs", _("New weakness in both legs")
    # today
    FEVER_WITH_FLANK_PAIN = (
        "fever_with_flank_pain",
        _("Fever together with pain in your side or back"),
    )
    BURNING_WITH_FEVER = "burning_with_fever", _("A burning feeling when passing urine, with fever")
    # soon
    BLOOD_IN_URINE = "blood_in_urine", _("Blood in your urine")
    BLEEDING_AFTER_MENOPAUSE = (
        "bleeding_after_menopause",
        _("Vaginal bleeding after your menopause"),
    )
    BULGE_OUTSIDE = (
        "bulge_outside",
        _("A bulge that stays outside your vagina, or that bleeds"),
    )
    BOWEL_CHANGE = "bowel_change", _("Blood in your stool, or a change in your bowel habit")
    WEIGHT_LOSS = "weight_loss", _("Losing weight without trying")
    NIGHT_PAIN = "night_pain", _("Back pain at night or at rest that does not ease")
    REPEATED_INFECTIONS = "repeated_infections", _("Bladder infections that keep coming back")
    TROUBLE_EMPTYING = "trouble_emptying", _("Trouble emptying your bladder, or a weak stream")
    NEUROLOGICAL_DISEASE = (
        "neurological_disease",
        _("A known neurological disease, such as MS or Parkinson's disease"),
    )
    SUDDEN_ONSET = "sudden_onset", _("Urine loss that started suddenly, without a clear reason")
    # adapt
    PREGNANT = "pregnant", _("Being pregnant")
    RECENT_BIRTH_OR_SURGERY = (
        "recent_birth_or_surgery",
        _("Giving birth, or an operation on your belly or pelvis, in the last 6 weeks"),
    )
    # Answered before the questions were split (kept so that old answers still read well).
    RECENT_SURGERY_OR_PREGNANCY = (
        "recent_surgery_or_pregnancy",
        _("Pelvic or abdominal surgery, or giving birth, in the last 6 weeks; or being pregnant"),
    )


URGENCY = {
    RedFlag.SADDLE_NUMBNESS: Urgency.NOW,
    RedFlag.SUDDEN_LOSS_OF_CONTROL: Urgency.NOW,
    RedFlag.WEAKNESS_BOTH_LEGS: Urgency.NOW,
    RedFlag.FEVER_WITH_FLANK_PAIN: Urgency.TODAY,
    RedFlag.BURNING_WITH_FEVER: Urgency.TODAY,
    RedFlag.BLOOD_IN_URINE: Urgency.SOON,
    RedFlag.BLEEDING_AFTER_MENOPAUSE: Urgency.SOON,
    RedFlag.BULGE_OUTSIDE: Urgency.SOON,
    RedFlag.BOWEL_CHANGE: Urgency.SOON,
    RedFlag.WEIGHT_LOSS: Urgency.SOON,
    RedFlag.NIGHT_PAIN: Urgency.SOON,
    RedFlag.REPEATED_INFECTIONS: Urgency.SOON,
    RedFlag.TROUBLE_EMPTYING: Urgency.SOON,
    RedFlag.NEUROLOGICAL_DISEASE: Urgency.SOON,
    RedFlag.SUDDEN_ONSET: Urgency.SOON,
    RedFlag.PREGNANT: Urgency.ADAPT,
    RedFlag.RECENT_BIRTH_OR_SURGERY: Urgency.ADAPT,
    RedFlag.RECENT_SURGERY_OR_PREGNANCY: Urgency.ADAPT,
}
# Asked today; the legacy answer is only read.
ASKED = [flag for flag in RedFlag if flag != RedFlag.RECENT_SURGERY_OR_PREGNANCY]
LABELS = dict(RedFlag.choices)


def questions_by_urgency():
    """[(urgency, [(code, label)])] in order of urgency, as the form and /help/ show them."""
    return [
        (urgency, [(flag.value, flag.label) for flag in ASKED if URGENCY[flag] == urgency])
        for urgency in URGENCY_ORDER
    ]


def urgency_of(flags):
    """The most urgent urgency among the answers, or None when there is none."""
    found = {URGENCY[RedFlag(code)] for code in flags if code in LABELS}
    return next((urgency for urgency in URGENCY_ORDER if urgency in found), None)


def grouped(flags):
    """[(urgency, [labels])] of her answers, most urgent first; groups without answers left out."""
    result = []
    for urgency in URGENCY_ORDER:
        labels = [LABELS[c] for c in flags if c in LABELS and URGENCY[RedFlag(c)] == urgency]
        if labels:
            result.append((urgency, labels))
    return result
