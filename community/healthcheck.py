"""/healthz answered before anything asks for the Host header.

Container and load-balancer probes call the process by address
(`http://127.0.0.1:8000/healthz`), a Host that ALLOWED_HOSTS rightly refuses
everywhere else (400). This middleware sits first, so the probe never meets host
validation or the HTTPS redirect; the answer names only what is up or down."""

from asgiref.sync import async_to_sync, iscoroutinefunction, markcoroutinefunction

from .views import healthz

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
            return async_to_sync(healthz)(request)
        return self.get_response(request)

    async def __acall__(self, request):
        if _is_probe(request):
            return await healthz(request)
        return await self.get_response(request)
