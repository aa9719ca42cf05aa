"""Where the site's sockets live. The routing modules serve these routes and pages
reach them through `socket_path` (templates: `{% socket_url %}`), so no path is typed
twice. WebSocket routes are not in Django's URLconf; a resolver of their own reverses
them with the same converters."""

from django.urls import URLResolver, path
from django.urls.resolvers import RoutePattern

CIRCLE = "circle"
ME = "me"
ROUTES = {
    CIRCLE: "ws/circles/<slug:slug>/",
    ME: "ws/me/",
}


def _reversed_only(*args, **kwargs):  # pragma: no cover - never served over HTTP
    raise NotImplementedError("a WebSocket route, served by the ASGI router")


_resolver = URLResolver(
    RoutePattern(""),
    [path(route, _reversed_only, name=name) for name, route in ROUTES.items()],
)


def socket_path(name: str, **kwargs) -> str:
    """`socket_path("circle", slug="quiet")` -> "/ws/circles/quiet/"."""
    return "/" + _resolver.reverse(name, **kwargs)
