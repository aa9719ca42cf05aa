"""One guard for input the database cannot store, on the ground floor.

A NUL character or a lone surrogate (half of a character, which UTF-8 cannot
encode) in any query, form field or JSON body is refused with 400 and a sentence,
never a 500: `InputGuardMiddleware` checks every request before a view reads it and
answers with the person's own text shown back, so that nothing is lost. Code that
reads text from elsewhere (socket frames, services) calls `storable` or
`refuse_unstorable`. Ids and numbers are ASCII digits only (`ascii_int`): "²" and
"٣" are digits to `str.isdigit()` and to `int()`, not to this site."""

import json

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import render

REFUSED = (
    "That text has a character that cannot be stored (a null character or a "
    "broken one), so nothing was saved. Remove it and send your words again."
)
NOT_A_NUMBER = "That id is not a number, so nothing was done."
MAX_JSON_CHECKED = 1024 * 1024
MAX_DIGITS = 19  # a signed 64-bit id


def storable(text) -> bool:
    """True unless `text` is a string holding a NUL or a lone surrogate."""
    if not isinstance(text, str):
        return True
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def refuse_unstorable(*texts) -> None:
    """Raise ValidationError(REFUSED) for the first text that cannot be stored."""
    if not all(storable(text) for text in texts):
        raise ValidationError(REFUSED, code="unstorable")


def ascii_int(value, *, default=None):
    """`value` as an int when it is 1 to 19 ASCII digits, else `default`."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if (
        isinstance(value, str)
        and 0 < len(value) <= MAX_DIGITS
        and value.isascii()
        and value.isdigit()
    ):
        return int(value)
    return default


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _json_strings(request):
    if request.content_type != "application/json":
        return ()
    body = request.body
    if len(body) > MAX_JSON_CHECKED:
        return ()
    try:
        return _strings(json.loads(body))
    except ValueError:  # not JSON: the view says so
        return ()


def _unstorable_in(request) -> bool:
    for key, values in request.GET.lists():
        if not storable(key) or not all(storable(v) for v in values):
            return True
    if request.method in ("POST", "PUT", "PATCH"):
        if request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            for key, values in request.POST.lists():
                if not storable(key) or not all(storable(v) for v in values):
                    return True
        elif not all(storable(text) for text in _json_strings(request)):
            return True
    return False


def _kept_text(request) -> list[str]:
    """The person's longer words, without the characters that cannot be stored."""
    kept = []
    for key, values in request.POST.lists():
        if key in ("csrfmiddlewaretoken", "password", "current_password"):
            continue
        for value in values:
            clean = value.replace("\x00", "").encode("utf-8", "ignore").decode()
            if clean.strip():
                kept.append(clean)
    return kept


def refused_response(request):
    wants_json = request.content_type == "application/json" or "json" in (
        request.headers.get("Accept", "")
    )
    if wants_json:
        return JsonResponse({"error": REFUSED}, status=400)
    return render(
        request,
        "input_refused.html",
        {"sentence": REFUSED, "kept": _kept_text(request)},
        status=400,
    )


class InputGuardMiddleware:
    """Refuse a request holding text the database cannot store, before any view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _unstorable_in(request):
            return refused_response(request)
        return self.get_response(request)
