from django.core.management.base import BaseCommand, CommandError

from community.resources import services
from community.resources.parser import ParseError


class Command(BaseCommand):
    help = "(Re)import plain-text documents into the resources library (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "paths", nargs="*", help="files to import; none: the bundled ones"
        )

    def handle(self, *args, **options):
        paths = options["paths"] or services.bundled_paths()
        try:
            imported = services.resources_import(paths)
        except ParseError as exc:
            raise CommandError(f"{exc} (nothing was changed)") from None
        for item in imported:
            verb = "added" if item.created else "updated"
            self.stdout.write(
                f"{verb}: {item.resource.title} ({item.sections} sections)"
            )
