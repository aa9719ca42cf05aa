"""Run every few minutes (cron, a systemd timer or a compose job): tells each circle,
once, about asks still waiting for a first reply after ASK_NUDGE_AFTER_HOURS."""

from django.core.management.base import BaseCommand

from circles.threads import services as thread_services


class Command(BaseCommand):
    help = (
        "Notify circle members, once per ask, of asks still waiting for a first reply."
    )

    def handle(self, *args, **options):
        nudged = thread_services.asks_nudge_overdue()
        self.stdout.write(
            f"{nudged} waiting ask(s) brought to their circles' attention."
        )
