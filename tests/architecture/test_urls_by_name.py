"""Internal URLs are asked for by name: `{% url %}` in templates, `reverse()` (or a
model's `get_absolute_url`) in Python. A path typed out by hand drifts from the
URLconf the day a route moves; this test finds them.

A typed-out path is a string that starts with "/" followed by the first segment of
one of the site's routes (`/circles/...`, `/accounts/...`, or "/" itself as a
link). Docstrings, comments and URL patterns are not looked at. The few that must
stay are listed in ALLOWED, each with its reason."""

import ast
import re
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("circles", "moderation", "community")

# (file, how the typed-out path starts, "" for any) -> why it stays.
ALLOWED = {
    ("community/healthcheck.py", "/healthz"): "probes are answered by this exact "
    "path before any URL is resolved (and before host validation)",
    ("circles/reactions/bar.py", ""): "the reaction bar is being made one "
    "(issue 22, item 4) by another branch; its URLs move to names there",
    ("circles/reactions/templatetags/reaction_tags.py", ""): "the same "
    "reaction bar (issue 22, item 4)",
    ("templates/reactions/_bar.html", ""): "the same reaction bar (issue 22, item 4)",
    ("community/metrics.py", "/healthz says"): "a sentence naming the endpoint, "
    "not a link",
}


def _first_segments() -> set[str]:
    """The first path segment of every route of the site, e.g. {"circles", "ws"}."""
    found = set()
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver | URLPattern):
            text = str(entry.pattern).lstrip("^")
            segment = re.split(r"[/<]", text, maxsplit=1)[0]
            if segment:
                found.add(re.escape(segment))
    return found


@pytest.fixture(scope="module")
def typed_path():
    segments = "|".join(sorted(_first_segments()))
    # "/" then a route's first segment, ended by "/", "?", "#", a quote or the end;
    # or "/" alone (or "/#..." "/?...") as a whole link.
    return re.compile(
        rf"""(?:^|(?<=[\s="'(]))/(?:(?:{segments})(?=[/?#"'\s]|$)|(?=[#?"']|$))"""
    )


def _docstring_nodes(tree) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(
            node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef
        ):
            body = node.body
            if body and isinstance(body[0], ast.Expr):
                ids.add(id(body[0].value))
    return ids


def _python_strings(path: Path):
    """Every string constant of a module (f-strings' literal parts included) but
    docstrings and the route strings of `path(...)` calls."""
    tree = ast.parse(path.read_text())
    skip = _docstring_nodes(tree)
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", None) in {"path", "re_path"}
            and node.args
        ):
            skip.add(id(node.args[0]))
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        # "/" alone is a separator in Python (split, partition), not a link.
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if node.value != "/":
                yield node.lineno, node.value


def _python_findings(typed_path):
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            name = path.relative_to(ROOT).as_posix()
            for line, text in _python_strings(path):
                for match in typed_path.finditer(text):
                    yield name, line, text[match.start() : match.start() + 40]


def _template_findings(typed_path):
    # Django's template tags and comments are not links; what is left is markup.
    tags = re.compile(r"\{%.*?%\}|\{#.*?#\}", re.S)
    for path in sorted((ROOT / "templates").rglob("*")):
        if path.suffix not in {".html", ".txt"}:
            continue
        name = path.relative_to(ROOT).as_posix()
        for number, line in enumerate(path.read_text().splitlines(), 1):
            for match in typed_path.finditer(tags.sub("", line)):
                rest = tags.sub("", line)[match.start() : match.start() + 40]
                yield name, number, rest


def _allowed(name: str, found: str) -> bool:
    return any(name == file and found.startswith(prefix) for file, prefix in ALLOWED)


@pytest.mark.parametrize(
    "findings,advice",
    [(_python_findings, "reverse() or a URL name"), (_template_findings, "{% url %}")],
    ids=["python", "templates"],
)
def test_urls_are_asked_for_by_name(typed_path, findings, advice):
    typed = [
        f"{name}:{line}: {found!r}"
        for name, line, found in findings(typed_path)
        if not _allowed(name, found)
    ]
    assert typed == [], f"use {advice}:\n" + "\n".join(typed)


def test_the_finder_finds_what_it_must(typed_path):
    """The test can fail: each of these is a typed-out path; none of the others."""
    for text in (
        '<a href="/circles/">',
        "/circles/x/threads/1/",
        'action="/moderation/flag/"',
        'href="/"',
        'href="/#guidelines"',
        "/accounts/login/?next=/",
    ):
        assert typed_path.search(text), text
    for text in (
        "and/or",
        "1/2",
        "https://example.org/circles/",
        "{% url 'circles:list' %}",
        "/static/css/site.css",
        "count/seconds",
    ):
        assert not typed_path.search(text), text


def test_every_allowed_entry_is_still_needed(typed_path):
    found = {
        (name, prefix)
        for name, _line, text in [
            *_python_findings(typed_path),
            *_template_findings(typed_path),
        ]
        for file, prefix in ALLOWED
        if name == file and text.startswith(prefix)
    }
    assert set(ALLOWED) - found == set(), "remove the allowlist entries no longer used"
