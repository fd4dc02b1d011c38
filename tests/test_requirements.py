"""The dependency locks (requirements/*.txt, written by scripts/lock.sh) against their inputs.

scripts/bootstrap.sh installs a lock with ``--require-hashes``, where pip refuses any package the lock
does not pin: so what a lock names is exactly what a fresh machine installs, and these checks need no
network.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

REQUIREMENTS = Path(__file__).resolve().parents[1] / "requirements"
PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"
QT = re.compile(r"^(pyside6|shiboken6)")
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)")


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def lock(profile: str) -> dict[str, tuple[str, list[str]]]:
    """name -> (version, hashes) of one lock file."""
    pins: dict[str, tuple[str, list[str]]] = {}
    current = ""
    for line in (REQUIREMENTS / f"{profile}.txt").read_text(encoding="utf-8").splitlines():
        if match := PIN.match(line):
            current = normalise(match[1])
            pins[current] = (match[2], [])
        elif line.strip().startswith("--hash=sha256:"):
            pins[current][1].append(line.strip().removeprefix("--hash=sha256:").rstrip(" \\"))
    return pins


def wanted(profile: str) -> set[str]:
    """The package names an .in file asks for, following its ``-r`` includes."""
    names: set[str] = set()
    for raw in (REQUIREMENTS / f"{profile}.in").read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line.startswith("-r "):
            names |= wanted(line.removeprefix("-r ").strip().removesuffix(".in"))
        elif line:
            names.add(normalise(re.split(r"[\[<>=!~; ]", line, maxsplit=1)[0]))
    return names


def test_the_central_server_installs_no_qt() -> None:
    central = lock("central")
    assert "fastapi" in central and "sqlalchemy" in central
    assert [name for name in central if QT.match(name)] == []


@pytest.mark.parametrize("profile", ["kiosk", "central", "dev"])
def test_every_locked_package_has_an_exact_version_and_hashes(profile: str) -> None:
    pins = lock(profile)
    assert pins
    for name, (version, hashes) in pins.items():
        assert hashes, f"{name}=={version} has no hash in requirements/{profile}.txt"
        assert all(re.fullmatch(r"[0-9a-f]{64}", h) for h in hashes), name


@pytest.mark.parametrize("profile", ["kiosk", "central", "dev"])
def test_each_lock_holds_everything_its_input_asks_for(profile: str) -> None:
    missing = wanted(profile) - set(lock(profile))
    assert not missing, f"requirements/{profile}.txt lacks {sorted(missing)}: run scripts/lock.sh"


@pytest.mark.parametrize("profile", ["kiosk", "central"])
def test_the_tests_run_the_versions_that_ship(profile: str) -> None:
    dev = lock("dev")
    differ = {name: pin for name, pin in lock(profile).items() if dev.get(name) != pin}
    assert not differ, f"requirements/{profile}.txt differs from dev.txt in {sorted(differ)}"


def test_the_package_metadata_names_the_same_dependencies_as_the_locks() -> None:
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]

    def names(requirements: list[str]) -> set[str]:
        return {normalise(re.split(r"[\[<>=!~; ]", r, maxsplit=1)[0]) for r in requirements}

    assert names(project["dependencies"]) == wanted("kiosk")
    assert names(project["optional-dependencies"]["central"]) == wanted("central") - wanted("core")
