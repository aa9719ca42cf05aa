"""Reads for other rooms: which safety reports were escalated (the review queue
marks them `data-escalated="true"`)."""

from .models import SafetyEscalation


def escalated_flag_ids(*, flag_ids) -> set[int]:
    """One query, however many flags the queue shows."""
    return set(
        SafetyEscalation.objects.filter(flag_id__in=list(flag_ids)).values_list(
            "flag_id", flat=True
        )
    )
