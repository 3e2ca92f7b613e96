"""The CI integration: several reports in one run, --changed-since in a real git repository,
paths relative to the repository's root, the GitHub Action's audit step and the pre-commit
hook."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from identify.identify import tags_from_path
from junitparser import JUnitXml
from pre_commit.clientlib import load_manifest

from .conftest import ROOT

BIN = Path(sys.executable).parent  # where the test environment installed `provenance`
GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Editor",
    "GIT_AUTHOR_EMAIL": "editor@example.org",
    "GIT_COMMITTER_NAME": "Editor",
    "GIT_COMMITTER_EMAIL": "editor@example.org",
}


def git(folder: Path, *args: str) -> str:
    env = {**os.environ, **GIT_IDENTITY}
    done = subprocess.run(
        ["git", *args], cwd=folder, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


@pytest.fixture
def repository(demo: Path) -> Path:
    """The demo as a git repository with one commit."""
    git(demo, "init", "-q", "-b", "main")
    git(demo, "add", ".")
    git(demo, "commit", "-q", "-m", "the demo")
    return demo


def audited_paths(report: str) -> list[str]:
    return [d["path"] for d in json.loads(report)["documents"]]


CONTENT = Path("site/content")


def test_changed_since_audits_only_what_changed(repository, run):
    world = repository / CONTENT / "world"
    committed, modified = world / "georgia-qvevri-winemakers.md", world / "czech-flood-library.md"
    committed.write_text(committed.read_text() + "\nAn editor's note.\n")
    git(repository, "commit", "-q", "-am", "edit one page")
    modified.write_text(modified.read_text() + "\nNot committed yet.\n")  # unstaged
    (world / "new-page.md").write_text("# A new page\n\nNothing copied here.\n")  # untracked
    (repository / CONTENT / "local" / "riverside-market-reopens.md").unlink()  # nothing to audit

    result = run(
        "audit", "demo/site", "--sources", "demo/sources",
        "--changed-since", "HEAD~1", "--format", "json", "--fail-on", "never",
    )  # fmt: skip

    assert result.code == 0, result.err
    relative = str(CONTENT / "world")
    assert sorted(audited_paths(result.out)) == sorted(
        f"{relative}/{name}" for name in (committed.name, modified.name, "new-page.md")
    )


def test_changed_since_with_nothing_changed_audits_nothing(repository, run):
    result = run(
        "audit", "demo/site", "--sources", "demo/sources",
        "--changed-since", "HEAD", "--format", "json",
    )  # fmt: skip
    assert result.code == 0
    assert audited_paths(result.out) == []


@pytest.mark.parametrize(
    ("revision", "message"),
    [("no-such-branch", "unknown revision 'no-such-branch'"), ("HEAD~5", "unknown revision")],
)
def test_changed_since_an_unknown_revision_is_a_usage_error(repository, run, revision, message):
    result = run("audit", "demo/site", "--sources", "demo/sources", "--changed-since", revision)
    assert result.code == 2
    assert message in result.err


def test_changed_since_outside_a_repository_is_a_usage_error(demo, run):
    result = run("audit", "demo/site", "--sources", "demo/sources", "--changed-since", "HEAD")
    assert result.code == 2
    assert "not inside a git repository" in result.err


def test_reports_name_files_relative_to_the_repository_root(repository, run, monkeypatch):
    monkeypatch.chdir(repository / "site")
    result = run("audit", "content", "--sources", "../sources", "--format", "json")
    paths = audited_paths(result.out)
    assert paths and all(p.startswith("site/content/") for p in paths)
    # The terminal report keeps the paths as the user typed them.
    terminal = run("audit", "content", "--format", "terminal")
    assert "content/world/" in terminal.out and "site/content/" not in terminal.out


def test_several_reports_in_one_run(demo, run):
    result = run(
        "audit", "demo/site", "--sources", "demo/sources",
        "-o", "out/report.json", "--format", "json",  # the first --output may come first
        "--format", "sarif", "--output", "out/report.sarif",
        "--format", "junit", "-o", "out/report.xml",
        "--format", "markdown", "--output", "out/summary.md",
        "--format", "html", "--output", "out/report.html",
        "--format", "github",
    )  # fmt: skip

    assert result.code == 1
    report = json.loads(Path("out/report.json").read_text())
    errors = report["summary"]["findings"]["error"]
    sarif = json.loads(Path("out/report.sarif").read_text())
    assert sum(r["level"] == "error" for r in sarif["runs"][0]["results"]) == errors
    suite = JUnitXml.fromfile("out/report.xml")
    assert (suite.tests, suite.skipped) == (len(report["documents"]), report["summary"]["skipped"])
    assert "provenance" in Path("out/summary.md").read_text()
    assert Path("out/report.html").read_text().startswith("<!DOCTYPE html>")
    assert result.out.count("::error ") == errors  # the one report without --output


def test_reports_of_the_same_audit_are_identical_bytes(demo, run):
    run("index", "add", "demo/sources")
    outputs = {}
    for attempt in ("a", "b"):
        options = []
        for name in ("json", "sarif", "junit", "markdown", "html", "github"):
            options += ["--format", name, "--output", f"{attempt}/{name}"]
        run("audit", "demo/site", *options)
        outputs[attempt] = {p.name: p.read_bytes() for p in Path(attempt).iterdir()}
    assert len(outputs["a"]) == 6
    assert outputs["a"] == outputs["b"]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--format", "json", "--format", "sarif"], "only one report can go to standard output"),
        (["--format", "json", "-o", "a", "-o", "b"], "give each --output its own --format"),
        (["-o", "a", "-o", "b"], "give each --output its own --format"),
        (["--format", "json", "-o", "r", "--format", "sarif", "-o", "r"], "same --output file"),
    ],
)
def test_report_options_that_cannot_be_paired_are_usage_errors(demo, run, options, message):
    result = run("audit", "demo/site", "--sources", "demo/sources", *options)
    assert result.code == 2
    assert message in result.err
    assert not Path("a").exists() and not Path("r").exists()


def _audit_step() -> dict[str, object]:
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    steps = {step.get("id"): step for step in action["runs"]["steps"]}
    return steps["audit"]


def test_the_github_action_audit_step_writes_every_report(demo, tmp_path):
    step = _audit_step()
    summary, outputs = tmp_path / "summary.md", tmp_path / "outputs"
    inputs = {
        "paths": "demo/site",
        "sources": "demo/sources",
        "changed-since": "",
        "fail-on": "error",
        "sarif-file": "provenance.sarif",
        "args": "--no-baseline",
    }
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_OUTPUT": str(outputs),
    }
    for name, expression in step["env"].items():  # type: ignore[attr-defined]
        key = expression.removeprefix("${{ inputs.").removesuffix(" }}")
        env[name] = inputs[key]

    done = subprocess.run(
        ["bash", "-e", "-c", step["run"]], env=env, capture_output=True, text=True, check=False
    )

    assert done.returncode == 0, done.stderr  # the step records the code; "Verdict" fails
    assert outputs.read_text().strip() == "exit-code=1"
    sarif = json.loads(Path("provenance.sarif").read_text())
    assert sarif["runs"][0]["results"]
    assert summary.read_text().strip()
    assert "::error file=" in done.stdout


def test_the_github_action_passes_inputs_as_environment_not_code():
    # An input pasted into the script could inject shell commands; read them from the env.
    assert "${{" not in str(_audit_step()["run"])


def test_the_pre_commit_hook_is_valid_and_audits_the_files_it_selects(demo, run):
    (hook,) = load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))
    files = sorted(
        str(p) for p in Path("demo/site").rglob("*") if p.is_file() and _selected(hook, p)
    )
    assert any(f.endswith(".md") for f in files) and any(f.endswith(".txt") for f in files)
    assert not any(f.endswith(".toml") for f in files)  # hugo.toml is configuration

    command = shlex.split(hook["entry"])
    assert command[:2] == ["provenance", "audit"]
    result = run(*command[1:], *hook["args"], "--sources", "demo/sources", *files)
    assert result.code == 1
    assert "missing-notice" in result.out


def _selected(hook: dict[str, object], path: Path) -> bool:
    return bool(tags_from_path(str(path)) & set(hook["types_or"]))  # type: ignore[arg-type]
