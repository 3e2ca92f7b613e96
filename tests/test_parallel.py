"""Audits spread over processes and Dask workers give the results of an audit in one process."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from distributed import LocalCluster

from provenance.engine import STAGES, Timings, audit
from provenance.index import open_index
from provenance.indexing import update_index
from provenance.models import AuditResult
from provenance.parallel import Workers
from provenance.rules import builtin_packs
from provenance.rules.custom import parse_custom_rules

PACKS = builtin_packs()
RULES = parse_custom_rules(  # whose paths, an RE2 set, must reach the workers
    [{"id": "no-flood", "kind": "forbid", "pattern": "flood", "message": "m", "paths": ["site/"]}],
    Path("demo"),
)


def cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The real command line, in a process of its own."""
    command = [sys.executable, "-m", "provenance", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300)


def test_reports_are_the_same_whatever_runs_the_audit(demo: Path) -> None:
    cwd = demo.parent
    assert cli(cwd, "index", "add", "demo/sources", "--no-progress").returncode == 0
    runs = {
        name: cli(cwd, "audit", "demo/site", "--format", "json", "-o", f"{name}.json", *options)
        for name, options in {
            "one": ["--jobs", "1"],
            "two": ["--jobs", "2"],
            "dask": ["--dask", "local"],
        }.items()
    }
    assert {name: run.returncode for name, run in runs.items()} == dict.fromkeys(runs, 1)
    one = (cwd / "one.json").read_text()
    assert '"status": "scanned"' in one
    assert (cwd / "two.json").read_text() == one
    assert (cwd / "dask.json").read_text() == one


@pytest.fixture
def corpus(demo: Path) -> tuple[list[str], str]:
    """Many documents (the demo's pages, eight times over) and files that cannot be read; the
    paths to audit and the index."""
    site = demo / "site" / "content"
    for copy in range(8):
        shutil.copytree(site / "world", site / f"world-{copy}")
    (site / "photo.md").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR")
    (site / "garbled.md").write_bytes(bytes(range(128, 256)) * 4)
    (site / "empty.md").write_text("")
    (site / "gone.md").symlink_to(demo / "nowhere.md")
    os.mkfifo(site / "pipe.md")
    unreadable = demo.parent / "unreadable.txt"  # named on the command line: read, and it fails
    unreadable.symlink_to("/proc/self/mem")
    with open_index("index.sqlite") as index:
        update_index(index, ["demo/sources"], PACKS)
    return ["demo/site", unreadable.name], "index.sqlite"


def audited(paths: list[str], location: str, workers: Workers) -> tuple[AuditResult, Timings]:
    timings = Timings()
    with open_index(location, create=False) as index:
        result = audit(paths, index, PACKS, workers=workers, timings=timings, custom_rules=RULES)
    return result, timings


def test_a_process_pool_and_a_dask_cluster_audit_as_this_process_does(
    corpus: tuple[list[str], str],
) -> None:
    paths, index = corpus
    expected, timings = audited(paths, index, Workers(1))
    statuses = {d.status for d in expected.documents}
    assert statuses == {"scanned", "skipped", "error"} and len(expected.documents) > 60
    assert any(f.rule == "no-flood" for d in expected.documents for f in d.findings)
    assert timings.documents == len(expected.documents)

    in_pool, pool_timings = audited(paths, index, Workers(2))
    assert in_pool == expected
    assert pool_timings.documents == timings.documents

    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0",
        ) as cluster,
        Workers(dask=cluster.scheduler_address) as workers,
    ):
        assert workers.size == 2
        on_dask, dask_timings = audited(paths, index, workers)
        assert on_dask == expected
        again, _ = audited(paths, index, workers)  # the workers' kept index is not reused
        assert again == expected
    assert dask_timings.documents == timings.documents


def test_an_unreachable_dask_scheduler_is_a_clear_error(demo, run):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    outcome = run("audit", "demo/site", "--sources", "demo/sources", "--dask", address)
    assert outcome.code == 2
    assert f"cannot reach the Dask scheduler at {address}" in outcome.err
    assert not Path(".provenance").exists()  # it failed before doing anything


def test_timings_print_every_stage_and_leave_the_report_alone(demo, run):
    plain = run("audit", "demo/site", "--sources", "demo/sources", "--format", "json")
    timed = run("audit", "demo/site", "--format", "json", "--timings", "--jobs", "2")
    assert timed.code == plain.code == 1
    assert timed.out.replace('"fingerprinted": 0', '"fingerprinted": 5') == plain.out
    assert "timings" not in plain.err
    rows = {line.rsplit(None, 1)[0].strip() for line in timed.err.splitlines()[1:]}
    assert rows == {*STAGES, "audit (wall)", "overall (wall)", "documents", "documents/s"}


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--jobs", "0"], "--jobs: must be at least 1, not 0"),
        (["--jobs", "two"], "--jobs: not a number: 'two'"),
        (["--jobs", "2", "--dask", "local"], "--jobs and --dask"),
    ],
)
def test_jobs_usage_errors(demo, options, message):
    outcome = cli(demo.parent, "audit", "demo/site", *options)
    assert outcome.returncode == 2
    assert message in outcome.stderr


def test_jobs_in_the_configuration(demo, run):
    (demo / "site/provenance.toml").write_text("sources = ['../sources']\njobs = 2\n")
    assert run("audit", "demo/site").code == 1
    (demo / "site/provenance.toml").write_text("sources = ['../sources']\njobs = 0\n")
    outcome = run("audit", "demo/site")
    assert outcome.code == 2
    assert "provenance.toml:2: jobs must be at least 1, not 0" in outcome.err
