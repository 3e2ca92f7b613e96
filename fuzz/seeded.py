"""Start a harness: libFuzzer runs on the corpus folders given, else on the harness's seeds
(written to a temporary folder, so a run never adds files to the repository)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import atheris


def fuzz(argv: list[str], seeds: Sequence[bytes], test_one_input: Callable[[bytes], None]) -> None:
    corpus = [arg for arg in argv[1:] if not arg.startswith("-")]
    with tempfile.TemporaryDirectory(prefix="fuzz-seeds-") as folder:
        if not corpus:
            for number, seed in enumerate(seeds):
                Path(folder, f"seed-{number}").write_bytes(seed)
            argv = [*argv, folder]
        atheris.Setup(argv, test_one_input)
        atheris.Fuzz()
