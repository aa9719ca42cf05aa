"""Logs and error reports (docs/operating.md: Logs, Errors).

One line format for web, worker and scheduler: time, level, logger, request id and
message (`LOG_FORMAT=json`: the same as JSON lines). The request id comes from the
proxy's X-Request-ID when it looks like one, or is made here, and is sent back in
the response; inside a task it is the task's id. A warning or error repeated during
an outage is written once a minute with how many times it happened.

SENTRY_DSN turns on error reports through sentry-sdk (Django and Celery): no local
variables, no request bodies, and `scrub` takes out message text and addresses."""

import contextvars
import json
import logging
import re
import threading
import time
import uuid

from django.core.signals import request_finished

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar(
    "request_id", default="-"
)
REQUEST_ID_HEADER = "X-Request-ID"
access_log = logging.getLogger("community.access")
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


# --- Logging -------------------------------------------------------------------------


class RequestIdFilter(logging.Filter):
    """Puts the current request (or task) id on every record as `request_id`."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return True


# A path's query string, and path segments that look like a signed token (the
# verification, reset and unsubscribe links): never written to a log.
_QUERY = re.compile(r"(/[^\s?\"']*)\?[^\s\"']*")
_TOKEN_SEGMENT = re.compile(r"(?<=/)[A-Za-z0-9_:\-]{20,}(?=/|\s|$|\")")


def redact(text: str) -> str:
    return _TOKEN_SEGMENT.sub("[token]", _QUERY.sub(r"\1", text))


class RedactFilter(logging.Filter):
    """Takes query strings and tokens out of a record's message and arguments."""

    def filter(self, record):
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(
                redact(a) if isinstance(a, str) else a for a in record.args
            )
        return True


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


class JsonFormatter(logging.Formatter):
    converter = time.gmtime

    def format(self, record):
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S")
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class UtcFormatter(logging.Formatter):
    converter = time.gmtime
    default_msec_format = "%s.%03dZ"


class RepeatThrottle(logging.Filter):
    """A warning or error whose logger and wording (before its arguments are filled
    in) were already written in the last `window` seconds is counted, not written;
    the next one after the window says how many were left out. Outages repeat the
    same error many times a second; this keeps one line a minute."""

    def __init__(self, name: str = "", window: float = 60.0):
        super().__init__(name)
        self.window = window
        self._seen: dict[tuple, list] = {}  # key: [first written at, left out]
        self._lock = threading.Lock()

    def filter(self, record):
        if record.levelno < logging.WARNING:
            return True
        exc = record.exc_info[0].__name__ if record.exc_info else ""
        key = (record.name, record.levelno, str(record.msg), exc)
        now = time.monotonic()
        with self._lock:
            seen = self._seen.get(key)
            if seen is not None and now - seen[0] < self.window:
                seen[1] += 1
                return False
            left_out = seen[1] if seen else 0
            self._seen[key] = [now, 0]
            if len(self._seen) > 1000:  # forget the oldest wordings
                for old in sorted(self._seen, key=lambda k: self._seen[k][0])[:500]:
                    del self._seen[old]
        if left_out:
            record.msg = (
                f"{record.msg} (repeated {left_out} more times in the last minute)"
            )
        return True


def logging_config(*, level: str, fmt: str) -> dict:
    formatter = (
        {"()": "community.observability.JsonFormatter"}
        if fmt == "json"
        else {"()": "community.observability.UtcFormatter", "format": TEXT_FORMAT}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": "community.observability.RequestIdFilter"},
            "redact": {"()": "community.observability.RedactFilter"},
            "throttle": {"()": "community.observability.RepeatThrottle"},
        },
        "formatters": {"default": formatter},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "default",
                "filters": ["request_id", "redact", "throttle"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.channels.server": {"level": "WARNING"},
            # Celery and daphne write through the root handler, in this format.
            "celery": {"level": level},
            "daphne": {"level": "WARNING" if level == "INFO" else level},
        },
    }


class RequestIdMiddleware:
    """Sets the request id for the logs of this request and answers it."""

    def __init__(self, get_response):
        self.get_response = get_response
        request_finished.connect(_request_id_clear, dispatch_uid="request-id-clear")

    def __call__(self, request):
        given = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = given if _VALID_REQUEST_ID.match(given) else uuid.uuid4().hex[:16]
        # Not reset when the response leaves: Django writes "Not Found" and error
        # lines after the middleware returns, and they should carry the id too;
        # request_finished clears it.
        request_id_var.set(request_id)
        started = time.monotonic()
        response = self.get_response(request)
        # The access log, in the one format: the path without its query string
        # (RedactFilter also writes token-like parts as [token]).
        access_log.info(
            "%s %s %s %.0fms",
            request.method,
            request.path,
            response.status_code,
            (time.monotonic() - started) * 1000,
        )
        response[REQUEST_ID_HEADER] = request_id
        return response


def _request_id_clear(**kwargs):
    request_id_var.set("-")


def task_request_id(task_id=None, **kwargs):
    """Celery's task_prerun: a task's log lines carry its id."""
    request_id_var.set(f"task-{(task_id or '')[:12]}")


def task_request_id_clear(**kwargs):
    request_id_var.set("-")


# --- Error reports (Sentry) --------------------------------------------------------

EMAIL = re.compile(r"[^\s@<>\"'()\[\],;:]+@[^\s@<>\"'()\[\],;:]+\.[A-Za-z]{2,}")
REMOVED = "[removed]"


def _no_addresses(value):
    if isinstance(value, str):
        return EMAIL.sub("[address]", value)
    if isinstance(value, dict):
        return {k: _no_addresses(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_no_addresses(v) for v in value]
    return value


def scrub(event, hint=None):
    """What leaves for Sentry: where and what kind of error, never what anyone
    wrote. Exception values and log arguments can carry a member's words or an
    address, so they go; what remains is searched for addresses once more."""
    for exception in (event.get("exception") or {}).get("values") or []:
        exception["value"] = REMOVED
        for frame in (exception.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)
    for thread in (event.get("threads") or {}).get("values") or []:
        for frame in (thread.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)
    logentry = event.get("logentry")
    if logentry:
        logentry.pop("params", None)
        logentry.pop("formatted", None)
    if "message" in event and isinstance(event["message"], str):
        event["message"] = REMOVED
    request = event.get("request")
    if request:
        for key in ("data", "cookies", "query_string", "env"):
            request.pop(key, None)
        if isinstance(request.get("url"), str):
            request["url"] = request["url"].split("?", 1)[0]
        headers = request.get("headers") or {}
        request["headers"] = {
            k: v
            for k, v in headers.items()
            if k.lower() in {"user-agent", "content-type", "x-request-id", "host"}
        }
    user = event.get("user")
    if user:
        event["user"] = {"id": user["id"]} if "id" in user else {}
    event.pop("extra", None)
    breadcrumbs = event.get("breadcrumbs") or {}
    for crumb in breadcrumbs.get("values") or []:
        crumb.pop("message", None)
        crumb.pop("data", None)
    return _no_addresses(event)


def sentry_init(dsn: str, *, environment: str = "production") -> None:
    # Imported only when SENTRY_DSN is set: settings import this module.
    import sentry_sdk  # noqa: I001 (lazy: only with SENTRY_DSN)
    from sentry_sdk.integrations.celery import CeleryIntegration  # lazy, as above
    from sentry_sdk.integrations.django import DjangoIntegration  # lazy, as above
    from sentry_sdk.integrations.logging import LoggingIntegration  # lazy, as above

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[
            DjangoIntegration(),
            CeleryIntegration(),
            LoggingIntegration(level=None, event_level=logging.ERROR),
        ],
        include_local_variables=False,
        max_request_body_size="never",
        send_default_pii=False,
        before_send=scrub,
        before_send_transaction=lambda event, hint: None,
        traces_sample_rate=0,
    )
