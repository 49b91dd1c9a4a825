"""A dose: how long to hold and relax, how often, in how many sets."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Dose:
    hold: int
    relax: int
    repetitions: int
    sets: int = 1
    rest: int = 0  # seconds between sets
    adjusted: bool = False  # her therapist set it for her
    level_week: int | None = None  # she is held at the dose of this week

    @property
    def total_repetitions(self):
        return self.repetitions * self.sets

    @property
    def total_seconds(self):
        per_set = self.repetitions * (self.hold + self.relax)
        return self.sets * per_set + (self.sets - 1) * self.rest

    def as_json(self):
        """For the timer (through json_script)."""
        return {
            "hold": self.hold,
            "relax": self.relax,
            "reps": self.repetitions,
            "sets": self.sets,
            "rest": self.rest,
        }
