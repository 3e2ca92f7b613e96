from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from provenance.cli import main
from provenance.engine import audit
from provenance.index import open_index
from provenance.indexing import update_index
from provenance.models import AuditResult
from provenance.rules import builtin_packs

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
DEMO = FIXTURES / "demo"


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the demo (sources/ and site/) in a fresh folder, which is also the cwd."""
    shutil.copytree(DEMO, tmp_path / "demo")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "120")
    return tmp_path / "demo"


def audit_demo(index_file: str = "index.sqlite") -> AuditResult:
    """A real audit of the demo copy (the ``demo`` fixture) against a fresh index."""
    packs = builtin_packs()
    with open_index(index_file) as index:
        update = update_index(index, ["demo/sources"], packs)
        return audit(["demo/site"], index, packs, index_update=update)


@pytest.fixture
def result(demo: Path) -> AuditResult:
    """What the reporters are tested on: the result of auditing the demo."""
    return audit_demo()


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    """Run the real command line in-process and capture what it prints."""

    def invoke(*args: str) -> Run:
        capsys.readouterr()
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return invoke


@pytest.fixture
def locked_folders(monkeypatch: pytest.MonkeyPatch) -> None:
    """Folders named ``locked`` cannot be listed, as if their permissions refused it (tests may
    run as root, where real permissions do not refuse anything)."""
    real_scandir = os.scandir

    def scandir(path):  # type: ignore[no-untyped-def]
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
