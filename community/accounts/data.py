"""Export my data: one document of everything the person made or was sent, as JSON
or as a page. Each app adds its sections through the registry (registry.py). Never
anyone else's address, never what others wrote that the person may not see."""

from django.utils import timezone

from . import registry


def account_export(*, user) -> dict:
    """A constant number of queries, however much the person wrote."""
    return {
        "exported_at": timezone.now().isoformat(),
        "profile": {
            "username": user.username,
            "display_name": user.display_name,
            "email": user.email,
            "email_verified": user.email_verified_at is not None,
            "date_joined": user.date_joined.isoformat(),
            "allow_messages": user.allow_messages,
            "time_zone": user.time_zone,
            "quiet_hours": user.quiet_hours,
            "email_choices": user.notify,
        },
        **registry.export_sections(user=user),
    }
