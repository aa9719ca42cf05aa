"""A detector whose readings are scripted, for tests of how a chat line is read
after its writer's previous lines (not of the model's weights)."""

from moderation.screening.detector import Assessment, Detector


class Scripted(Detector):
    """Danger where a text has both "button" and "pressing", concern where it has
    "button" alone; the model's risk of a line alone is 0.5 where it has a word of
    `RISKY`, else 0.01."""

    RISKY = ("pressing", "heavy", "button")

    def __init__(self, **options):
        super().__init__(
            {
                "levels": {"classes": ["calm"], "b": [0.0], "w": {}},
                "kinds": {"classes": ["intent"], "b": [0.0], "w": {}},
                "context_lines": 2,
                **options,
            }
        )

    def assess(self, text: str) -> Assessment:
        if "button" in text and "pressing" in text:
            return Assessment("danger", "intent", 0.9)
        if "button" in text:
            return Assessment("concern", "hopelessness", 0.7)
        return Assessment(None, "", 0.1)

    def levels_risk(self, unit: str) -> float:
        return 0.5 if any(word in unit for word in self.RISKY) else 0.01
