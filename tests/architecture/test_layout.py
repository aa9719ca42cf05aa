"""The house stays a house: no import cycles between modules anywhere (also across
apps, which import-linter's sibling contract does not see), no cycles between the
feature rooms, no function-local imports without a reason, no file over 450 lines."""

import ast
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("circles", "moderation", "community")
MAX_LINES = 450


def product_files():
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph(*PACKAGES, cache_dir=None)


def strongly_connected(nodes, edges_of):
    """Tarjan's algorithm, iterative: the groups of nodes that reach each other."""
    index, low, on_stack, stack, groups = {}, {}, set(), [], []
    counter = 0
    for start in nodes:
        if start in index:
            continue
        work = [(start, iter(edges_of(start)))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges_of(child))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.add(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        groups.append(group)
    return groups


def test_no_module_level_import_cycle_anywhere(graph):
    modules = sorted(m for m in graph.modules if m.split(".")[0] in PACKAGES)

    def imported_by(module):
        return sorted(
            m
            for m in graph.find_modules_directly_imported_by(module)
            if m.split(".")[0] in PACKAGES
        )

    assert strongly_connected(modules, imported_by) == []


ROOMS = (
    "circles.memberships",
    "circles.chat",
    "circles.threads",
    "circles.reactions",
    "circles.saved",
    "circles.search",
    "circles.health",
    "circles.mentions",
    "moderation.screening",
    "moderation.flags",
    "moderation.review",
    "moderation.audit",
    "moderation.safety",
    "community.accounts",
    "community.notifications",
    "community.resources",
    "community.jobs",
    "community.outbox",
    "community.conversations",
)


def room_of(module: str) -> str | None:
    """The room a module belongs to; models are the floor every room stands on."""
    if module.endswith(".models") or ".migrations" in module:
        return None
    return next((r for r in ROOMS if module == r or module.startswith(r + ".")), None)


def test_feature_rooms_do_not_depend_on_each_other_in_a_circle(graph):
    edges: dict[str, set[str]] = {room: set() for room in ROOMS}
    for module in graph.modules:
        source = room_of(module)
        if source is None:
            continue
        for imported in graph.find_modules_directly_imported_by(module):
            target = room_of(imported)
            if target is not None and target != source:
                edges[source].add(target)
    assert strongly_connected(list(ROOMS), lambda r: sorted(edges[r])) == []


def test_the_cycle_finder_finds_a_cycle():
    edges = {"a": ["b"], "b": ["c"], "c": ["a"], "d": ["a"]}
    assert strongly_connected(list(edges), edges.__getitem__) == [{"a", "b", "c"}]


def test_no_product_file_is_over_450_lines():
    long = {
        str(p.relative_to(ROOT)): n
        for p in product_files()
        if (n := len(p.read_text().splitlines())) > MAX_LINES
    }
    assert long == {}


def test_imports_are_at_the_top_unless_a_comment_says_why():
    unexplained = []
    for path in product_files():
        source = path.read_text()
        lines = source.splitlines()
        for node in ast.walk(ast.parse(source)):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom):
                    line = lines[inner.lineno - 1]
                    above = lines[inner.lineno - 2].strip()
                    if "#" not in line and not above.startswith("#"):
                        unexplained.append(f"{path.relative_to(ROOT)}:{inner.lineno}")
    assert unexplained == []
