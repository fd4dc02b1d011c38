"""The packaged build, made once per test session: the PyInstaller bundle and two .debs from it.

The "previous version" is the same bundle packaged as 0.0.1 (its metadata says so too): what an
upgrade must keep (config, content, history, an older database schema) does not depend on the code
inside, and a second PyInstaller run would double the suite's build time. Lintian (a minute) starts in
the background as soon as the package exists, and its test collects the result.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import REPO_ROOT

OLD_VERSION = "0.0.1"


def load_build_module() -> ModuleType:
    """packaging/build.py (``packaging`` is not a Python package: it would shadow the PyPI one)."""
    spec = importlib.util.spec_from_file_location("green_kiosk_build", REPO_ROOT / "packaging" / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def load_repo_module() -> ModuleType:
    """packaging/repo.py, the update repository (loaded like build.py)."""
    spec = importlib.util.spec_from_file_location("green_kiosk_repo", REPO_ROOT / "packaging" / "repo.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@dataclass
class Packaged:
    bundle: Path
    deb: Path
    old_deb: Path
    stage: Path
    version: str
    build_seconds: float
    lintian: subprocess.Popen[str] | None


@pytest.fixture(scope="session")
def packaged(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Packaged]:
    for tool in ("dpkg-deb", "dpkg", "objdump"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed (scripts/bootstrap.sh dev installs it)")
    build = load_build_module()
    work = tmp_path_factory.mktemp("packaging")
    started = time.monotonic()
    new = build.build(work / "out", work, compression="gzip")  # as lintian wants it
    old = build.build(work / "out", work, version=OLD_VERSION, compression="none", reuse_bundle=True)
    seconds = time.monotonic() - started
    packages = new.deb_seconds + old.deb_seconds
    print(f"\npackaging: bundle {new.bundle_seconds:.0f} s, packages {packages:.0f} s")
    lintian = None
    if shutil.which("lintian"):
        lintian = subprocess.Popen(
            ["lintian", "--tag-display-limit", "0", str(new.deb)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
    stage = work / "stage" / f"green-kiosk_{new.version}"
    yield Packaged(new.bundle, new.deb, old.deb, stage, new.version, seconds, lintian)
    if lintian is not None and lintian.poll() is None:
        lintian.kill()
        lintian.communicate()
