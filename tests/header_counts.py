"""Shared by the tests of the header's counts and of the site without its cache."""

import re

# A Redis cache where nothing listens: every call fails as a server that is down.
DEAD_REDIS = {
    "default": {
        "BACKEND": "community.cache.ReusingRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
    }
}


def badge(client, element_id: str) -> int:
    """The number a header badge shows on the home page (0 when hidden)."""
    pattern = rf'id="{element_id}" class="badge"( hidden)?>(\d+)<'
    match = re.search(pattern, client.get("/").content.decode())
    return 0 if match.group(1) else int(match.group(2))
