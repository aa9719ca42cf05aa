"""What the resources sidebar shows beside circles, threads and the ask composer."""


def sidebar_context(*, text: str) -> dict:
    """The 3 to 5 library sections most relevant to `text`, and today's practice."""
    return {"sidebar_sections": [], "practice_today": None}


def circle_sidebar_context(*, circle) -> dict:
    """Sidebar for a circle page: its description and recent thread titles."""
    return sidebar_context(text=circle.description)


def ask_prompts() -> dict:
    """Gentle prompts for the ask composer: self-check questions, affirmations."""
    return {"self_check_questions": [], "affirmations": []}
