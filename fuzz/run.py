"""Run each fuzz harness in this folder for a bounded time: ``python fuzz/run.py [SECONDS]
[libFuzzer options]`` (60 s each by default; ``tox -e fuzz -- SECONDS``).

Each harness runs in its own process, so a crash in one does not keep the others from running.
Exits 1 when any harness crashed; libFuzzer has then printed the traceback and saved the input
that crashed it as ``crash-…`` in the current folder (``.tox/fuzz/tmp`` under tox).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HARNESSES = ("fuzz_extract.py", "fuzz_claims.py")


def main(argv: list[str]) -> int:
    seconds = argv[0] if argv and not argv[0].startswith("-") else "60"
    options = argv[1:] if argv and not argv[0].startswith("-") else argv
    crashed = []
    for harness in HARNESSES:
        script = Path(__file__).with_name(harness)
        command = [sys.executable, str(script), f"-max_total_time={seconds}", *options]
        print(f"== {harness}: {seconds} s", flush=True)
        if subprocess.call(command) != 0:
            crashed.append(harness)
    for harness in HARNESSES:
        print(f"== {harness}: {'CRASHED' if harness in crashed else 'no crash'}")
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
