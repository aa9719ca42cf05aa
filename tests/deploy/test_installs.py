"""Reproducible installs (issue 27): hashed lock files made from pyproject.toml, used
by the image and by `make`; `make run` installs only what running needs, `make test`
everything the tests need; `make audit` stays out of `make test`."""

import re
import tomllib

from tests.deploy.test_compose_healthchecks import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_name(spec: str) -> str:
    return norm(re.match(r"[A-Za-z0-9_.-]+", spec)[0])


def pins(lock: str) -> dict[str, str]:
    text = (ROOT / "requirements" / lock).read_text()
    return {norm(n): v for n, v in re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", text, re.M)}


def test_every_locked_requirement_is_pinned_with_hashes():
    for lock in ("run.lock", "test.lock", "audit.lock"):
        text = (ROOT / "requirements" / lock).read_text()
        blocks = re.split(r"\n(?=[A-Za-z0-9_.-]+==)", text.split("\n\n", 1)[-1])
        entries = [b for b in blocks if re.match(r"[A-Za-z0-9_.-]+==", b)]
        assert entries, lock
        for entry in entries:
            assert "--hash=sha256:" in entry, (lock, entry.splitlines()[0])
        # No local index or folder of wheels from the machine that made it.
        assert not re.search(r"^--(find-links|index-url|extra-index-url)", text, re.M)
        assert "/opt/" not in text


def test_the_locks_cover_pyproject_and_agree_with_each_other():
    run, test = pins("run.lock"), pins("test.lock")
    project = PYPROJECT["project"]
    for spec in project["dependencies"]:
        assert requirement_name(spec) in run, spec
    extras = project["optional-dependencies"]
    for spec in extras["test"] + extras["bench"]:
        assert requirement_name(spec) in test, spec
    assert {name: test[name] for name in run} == run  # same versions in both


def test_running_installs_no_test_or_bench_tools():
    run, test = pins("run.lock"), pins("test.lock")
    for tool in ("pytest", "playwright", "scikit-learn", "scipy", "ruff"):
        assert tool not in run, tool
        assert tool in test, tool
    assert "axe-playwright-python" in test


def test_the_image_and_make_install_from_the_locks():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "--require-hashes -r requirements/run.lock" in dockerfile
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^run: \$\(RUN_STAMP\)", makefile, re.M)
    assert re.search(r"^test: \$\(TEST_STAMP\)", makefile, re.M)
    assert "--require-hashes -r requirements/test.lock" in makefile
    assert "--upgrade pip setuptools" in makefile
    test_recipe = re.search(r"^test:.*\n((?:\t.*\n)+)", makefile, re.M)[1]
    assert "audit" not in test_recipe
    assert re.search(r"^audit:", makefile, re.M)
