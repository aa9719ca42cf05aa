"""Any change to a watched word, wherever it is made (services, admin, shell), tells
every process to read the lists again."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from moderation.models import WatchedWord

from .selectors import watched_words_changed


@receiver(post_save, sender=WatchedWord)
@receiver(post_delete, sender=WatchedWord)
def _watched_word_changed(**_kwargs) -> None:
    watched_words_changed()
