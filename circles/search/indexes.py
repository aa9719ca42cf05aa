"""The full-text expressions, written once: the migration indexes exactly what the
selectors search, so PostgreSQL can use the GIN indexes."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector

CONFIG = "english"


def vector(field: str) -> SearchVector:
    return SearchVector(field, config=CONFIG)


# (model name in `circles`, field, index name)
INDEXED = (
    ("Thread", "title", "search_thread_title_gin"),
    ("Post", "body", "search_post_body_gin"),
    ("ChatMessage", "body", "search_message_body_gin"),
)


def gin_index(field: str, name: str) -> GinIndex:
    return GinIndex(vector(field), name=name)
