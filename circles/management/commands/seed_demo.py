"""The demo data `make run` loads: a circle with a host, a moderator and members.
Idempotent: running it again changes nothing and prints the same log-ins."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from circles.chat import services as chat_services
from circles.memberships import services as membership_services
from circles.models import Circle, Membership
from circles.threads import services as thread_services
from community.accounts.models import User

DEMO_PASSWORD = "demo-circles-2026"
DEMO_PEOPLE = [
    ("demo-host", "Willow", Membership.Role.HOST),
    ("demo-moderator", "Harbor", Membership.Role.MODERATOR),
    ("demo-member", "Juniper", Membership.Role.MEMBER),
    ("demo-member2", "Rowan", Membership.Role.MEMBER),
]
DEMO_SLUG = "demo-circle"


class Command(BaseCommand):
    help = "Create a demo circle with demo members, and print their log-ins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="run outside local mode (the demo password is public)",
        )

    @transaction.atomic
    def handle(self, *args, **options):
        if not (settings.LOCAL_MODE or options["force"]):
            raise CommandError(
                "seed_demo makes demo accounts whose password is printed in the "
                "README, so it runs only in local mode (LOCAL_MODE=1, as `make run` "
                "sets it). Add --force to run it anyway. Nothing was changed."
            )
        call_command("import_resources", stdout=self.stdout)
        users = {}
        for username, display_name, _role in DEMO_PEOPLE:
            user, created = User.objects.get_or_create(
                username=username, defaults={"display_name": display_name}
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            users[username] = user
        circle = Circle.objects.filter(slug=DEMO_SLUG).first()
        if circle is None:
            circle = membership_services.circle_create(
                creator=users["demo-host"],
                name="Demo circle",
                description="A demo circle for trying things out: chat, threads and asks.",
            )
            if circle.slug != DEMO_SLUG:
                circle.slug = DEMO_SLUG
                circle.save(update_fields=["slug"])
        for username, _name, role in DEMO_PEOPLE[1:]:
            membership_services.membership_join(
                user=users[username], circle=circle, accept_guidelines=True
            )
            if role == Membership.Role.MODERATOR:
                membership_services.membership_set_role(
                    actor=users["demo-host"],
                    circle=circle,
                    user_id=users[username].id,
                    role=role,
                )
        if not circle.threads.exists():
            self._demo_content(circle, users)
        self.stdout.write(
            self.style.SUCCESS(f"Demo circle: {circle.get_absolute_url()}")
        )
        self.stdout.write(f"Demo log-ins (password for all: {DEMO_PASSWORD}):")
        for username, display_name, role in DEMO_PEOPLE:
            self.stdout.write(f"  {username:<16} shown as {display_name:<8} ({role})")

    def _demo_content(self, circle, users):
        """A welcome thread, an ask waiting for a reply and a little chat, made
        through the services like anything members write."""
        host, member = users["demo-host"], users["demo-member"]
        welcome = thread_services.thread_create(
            author=host,
            circle=circle,
            title="Welcome: how this circle works",
            body="This is a place to practise asking for help, and offering it.\n\n"
            "- **Chat** is for the moment.\n- **Threads** keep longer conversations.\n"
            "- An **ask** says what would help and how you would like replies.",
        ).thread
        thread_services.post_reply(
            author=users["demo-moderator"], thread=welcome, body="Glad you are here."
        )
        thread_services.thread_create(
            author=member,
            circle=circle,
            title="Setting boundaries with my partner",
            body="I find it hard to say what I need without feeling guilty.",
            kind="ask",
            needs=["listening", "perspective"],
            reply_norm="listen_only",
        )
        for n, (user, text) in enumerate(
            [
                (host, "Good morning, everyone."),
                (member, "Morning. Rough night, but here."),
            ]
        ):
            chat_services.chat_message_post(
                author=user, circle=circle, body=text, client_id=f"demo-{n}"
            )
