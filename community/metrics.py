"""`/metrics`: Prometheus text for staff or for the addresses in METRICS_ALLOWED_IPS
(docs/operating.md: Metrics). Per process: requests answered and sockets open. Read
from the database and the broker at each scrape: chat messages, tasks waiting, the
oldest unsent email and open safety cases. No label names a circle or a person."""

import ipaddress

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils import timezone
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily

from circles.models import ChatMessage
from community import proxies
from community.jobs.health import operations_status

REGISTRY = CollectorRegistry(auto_describe=True)
REQUESTS = Counter(
    "circles_http_requests",
    "HTTP requests answered by this process, by method and status class.",
    ["method", "status"],
    registry=REGISTRY,
)
OPEN_SOCKETS = Gauge(
    "circles_websockets_open",
    "WebSocket connections open in this process.",
    registry=REGISTRY,
)
_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


class SiteCollector:
    """Numbers read at scrape time, the same whichever replica is asked."""

    def collect(self):
        status = operations_status()
        now = status["now"]
        yield _gauge(
            "circles_chat_messages_last_hour",
            "Chat messages written in the last hour, all circles together.",
            ChatMessage.objects.filter(
                created_at__gte=now - timezone.timedelta(hours=1)
            ).count(),
        )
        yield _gauge(
            "circles_queue_depth",
            "Background tasks waiting in the queue (-1: the queue cannot be read).",
            -1 if status["queue_depth"] is None else status["queue_depth"],
        )
        oldest = status["oldest_email_due"]
        yield _gauge(
            "circles_oldest_unsent_email_seconds",
            "How long the oldest email that is due has waited to be sent (0: none).",
            (now - oldest).total_seconds() if oldest else 0,
        )
        yield _gauge(
            "circles_safety_open",
            "Safety cases open (a person in a circle, or a staff case), all together.",
            status["safety_open"],
        )
        yield _gauge(
            "circles_safety_escalated",
            "Open safety cases escalated to staff.",
            status["safety_escalated"],
        )
        yield _gauge(
            "circles_crisis_raised_last_7d",
            "Items the crisis net raised from people's words in the last 7 days.",
            status["crisis_raised_week"],
        )
        yield _gauge(
            "circles_crisis_misread_last_7d",
            "Of those, items their authors said were misread (the net's false alarms).",
            status["crisis_misread_week"],
        )
        for name in ("worker", "scheduler"):
            yield _gauge(
                f"circles_{name}_up",
                f"The {name}: 1 ok, 0.5 late, 0 down (as /healthz says).",
                {"ok": 1, "late": 0.5, "down": 0}[status[name]],
            )

    def describe(self):
        return []


def _gauge(name: str, documentation: str, value: float) -> GaugeMetricFamily:
    family = GaugeMetricFamily(name, documentation)
    family.add_metric([], value)
    return family


REGISTRY.register(SiteCollector())


def _allowed_networks():
    networks = []
    for item in getattr(settings, "METRICS_ALLOWED_IPS", []):
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            continue
    return networks


def _from_allowed_address(request) -> bool:
    # The client's address after the trusted proxies' X-Forwarded-For is read
    # (community.proxies), so the proxy itself never counts as allowed.
    try:
        address = ipaddress.ip_address(proxies.client_ip(request.META))
    except ValueError:
        return False
    return any(address in network for network in _allowed_networks())


def metrics(request):
    """404 for anyone else, like a page that does not exist."""
    user = getattr(request, "user", None)
    if not (user is not None and user.is_staff) and not _from_allowed_address(request):
        raise Http404
    return HttpResponse(generate_latest(REGISTRY), content_type=CONTENT_TYPE_LATEST)


class RequestCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        method = request.method if request.method in _METHODS else "OTHER"
        REQUESTS.labels(method=method, status=f"{response.status_code // 100}xx").inc()
        return response


class SocketCount:
    """ASGI wrapper around the WebSocket router: counts the connections open."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        OPEN_SOCKETS.inc()
        try:
            return await self.app(scope, receive, send)
        finally:
            OPEN_SOCKETS.dec()
