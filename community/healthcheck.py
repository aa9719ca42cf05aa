"""/healthz answered before anything asks for the Host header.

Container and load-balancer probes call the process by address
(`http://127.0.0.1:8000/healthz`), a Host that ALLOWED_HOSTS rightly refuses
everywhere else (400). This middleware sits first, so the probe never meets host
validation or the HTTPS redirect; the answer names only what is up or down.

Run as `python -m community.healthcheck worker|scheduler` it is the compose
healthcheck of a background container (views are imported only when needed, so
that this runs before Django is set up)."""

import os

import django
from asgiref.sync import async_to_sync, iscoroutinefunction, markcoroutinefunction

HEALTHZ_PATH = "/healthz"


def _is_probe(request) -> bool:
    return request.path_info == HEALTHZ_PATH and request.method in ("GET", "HEAD")


class HealthzFirstMiddleware:
    async_capable = True
    sync_capable = True

    def __init__(self, get_response):
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request):
        if self.is_async:
            return self.__acall__(request)
        if _is_probe(request):
            # Here, not at the top: `python -m community.healthcheck` runs before
            # Django is set up, and views need the app registry.
            from .views import healthz

            return async_to_sync(healthz)(request)
        return self.get_response(request)

    async def __acall__(self, request):
        if _is_probe(request):
            # Not at the top: see above.
            from .views import healthz

            return await healthz(request)
        return await self.get_response(request)


def main(argv: list[str]) -> int:
    """`python -m community.healthcheck worker|scheduler`: the compose healthcheck of
    a background container. 0 while this container's process wrote its heartbeat
    recently (worker: HEALTH_WORKER_DOWN_SECONDS; scheduler: ..._SCHEDULER_DOWN_...)."""
    if len(argv) != 1 or argv[0] not in ("worker", "scheduler"):
        print("usage: python -m community.healthcheck worker|scheduler")
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "community.settings")
    django.setup()
    # Only now: the heartbeat model needs the app registry django.setup() fills.
    from community.jobs.health import own_heartbeat_fresh

    try:
        fresh = own_heartbeat_fresh(argv[0])
    except Exception as error:
        print(f"{argv[0]}: the heartbeat could not be read: {error}")
        return 1
    print(f"{argv[0]}: {'ok' if fresh else 'no recent heartbeat'}")
    return 0 if fresh else 1


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
