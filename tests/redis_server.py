"""A real ``redis-server`` on a free loopback port, for the tests of the shared index.

No mock and no fake: the index is tested against the server it will meet in CI. Without the
binary the tests fail, saying what to install, rather than being skipped.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis

START_TIMEOUT = 30.0


def free_port() -> int:
    """A loopback port nothing listens on (until someone takes it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def redis_server(folder: Path) -> Iterator[str]:
    """Run ``redis-server`` on 127.0.0.1 without persistence; yield its URL (database 0)."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail(
            "redis-server is not installed: the shared index is tested against a real one "
            "(Debian/Ubuntu: apt-get install redis-server)",
            pytrace=False,
        )
    port = free_port()
    command = [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly"]
    command += ["no", "--dir", str(folder), "--protected-mode", "yes"]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    client = redis.Redis(host="127.0.0.1", port=port)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if server.poll() is not None or time.monotonic() > deadline:
                    output = server.stdout.read().decode() if server.stdout else ""
                    pytest.fail(f"redis-server did not start on port {port}:\n{output}")
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        client.close()
        server.terminate()
        server.wait(timeout=30)
        if server.stdout:
            server.stdout.close()
