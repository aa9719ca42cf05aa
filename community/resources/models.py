from django.db import models
from django.urls import reverse


class Resource(models.Model):
    """A document of the library, imported from a plain-text file."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    summary = models.TextField(blank=True)
    source_name = models.CharField(max_length=200, blank=True)
    imported_at = models.DateTimeField()

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("resources:detail", args=[self.slug])


class Section(models.Model):
    class Kind(models.TextChoices):
        INTRODUCTION = "introduction", "Introduction"
        SECTION = "section", "Section"
        STRATEGY = "strategy", "Strategy"
        PRACTICE = "practice", "Practice"
        TIP = "tip", "Tip"
        REFLECTION_QUESTION = "reflection_question", "Reflection question"
        AFFIRMATION = "affirmation", "Affirmation"
        CONCLUSION = "conclusion", "Conclusion"

    resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, related_name="sections"
    )
    position = models.PositiveIntegerField()
    anchor = models.SlugField(max_length=80)
    heading = models.CharField(max_length=300)
    kind = models.CharField(max_length=24, choices=Kind.choices)
    body = models.TextField(blank=True)
    body_html = models.TextField(blank=True)

    class Meta:
        ordering = ["resource", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "anchor"], name="section_anchor_unique"
            ),
            models.UniqueConstraint(
                fields=["resource", "position"], name="section_position_unique"
            ),
        ]

    def __str__(self):
        return self.heading

    def get_absolute_url(self):
        return f"{self.resource.get_absolute_url()}#{self.anchor}"
