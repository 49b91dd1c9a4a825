"""Two short questionnaires written for this app (not licensed instruments)."""

from therapy.journey.models import AnswerOption, Question, Questionnaire, ScoreBand

PAIN_LABELS = {
    0: "0 – geen pijn",
    5: "5 – matige pijn",
    10: "10 – ergste pijn die je kunt bedenken",
}

QUESTIONNAIRES = [
    {
        "slug": "lage-rugpijn",
        "title": "Lage rugpijn",
        "introduction": (
            "Eén vraag over je lage rug. Denk aan de afgelopen zeven dagen. Een verschil van "
            "2 punten of meer is een echte verandering."
        ),
        "min_meaningful_change": 2,
        "repeat_every_weeks": 4,
        "questions": [
            (
                "Hoeveel last had je de afgelopen week gemiddeld van je lage rug?",
                [(PAIN_LABELS.get(score, str(score)), score) for score in range(11)],
            ),
        ],
        "bands": [(0, 3, "weinig pijn"), (4, 6, "matige pijn"), (7, 10, "veel pijn")],
    },
    {
        "slug": "lekcheck",
        "title": "Lekcheck",
        "introduction": (
            "Vier korte vragen over urineverlies in de afgelopen week. Er zijn geen goede of "
            "foute antwoorden: kies wat het best past."
        ),
        "min_meaningful_change": 3,
        "repeat_every_weeks": 4,
        "questions": [
            (
                "Hoe vaak verloor je de afgelopen week urine?",
                [("Niet", 0), ("Eén of twee keer", 1), ("Een paar keer", 2), ("Elke dag", 3)],
            ),
            (
                "Hoeveel urine verloor je meestal?",
                [("Niets", 0), ("Een paar druppels", 1), ("Een scheutje", 2), ("Veel", 3)],
            ),
            (
                "Hoeveel hield het je tegen in wat je wilde doen, zoals wandelen of sporten?",
                [("Helemaal niet", 0), ("Een beetje", 1), ("Flink", 2), ("Heel erg", 3)],
            ),
            (
                "Hoe vaak dacht je aan lekken als je de deur uit ging?",
                [("Nooit", 0), ("Soms", 1), ("Vaak", 2), ("Altijd", 3)],
            ),
        ],
        "bands": [(0, 3, "weinig last"), (4, 7, "matige last"), (8, 12, "veel last")],
    },
]


def seed_questionnaires():
    """Create or refresh the demo questionnaires; returns how many there are."""
    for data in QUESTIONNAIRES:
        questionnaire, _ = Questionnaire.objects.update_or_create(
            slug=data["slug"],
            defaults={
                "title": data["title"],
                "introduction": data["introduction"],
                "min_meaningful_change": data["min_meaningful_change"],
                "repeat_every_weeks": data["repeat_every_weeks"],
                "higher_is_worse": True,
                "due_at_intake": True,
                "published": True,
            },
        )
        for order, (text, options) in enumerate(data["questions"], start=1):
            question, _ = Question.objects.update_or_create(
                questionnaire=questionnaire, order=order, defaults={"text": text}
            )
            for option_order, (label, score) in enumerate(options, start=1):
                AnswerOption.objects.update_or_create(
                    question=question, order=option_order, defaults={"label": label, "score": score}
                )
        for low, high, label in data["bands"]:
            ScoreBand.objects.update_or_create(
                questionnaire=questionnaire,
                min_score=low,
                defaults={"max_score": high, "label": label},
            )
    return len(QUESTIONNAIRES)
