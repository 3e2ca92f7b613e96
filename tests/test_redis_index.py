"""The shared index on a real ``redis-server``: the ``Index`` protocol as the SQLite file keeps
it, refusals, and one writer adding while audits read, through the real command line.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from provenance.fingerprint import BANDS, PARAMETERS
from provenance.index import IndexBusy, IndexUnavailable, RedisIndex, SqliteIndex, open_index
from provenance.index import redis as redis_backend
from provenance.models import Source

from .conftest import DEMO
from .redis_server import free_port, redis_server
from .test_index import (
    ALPHA,
    BETA,
    GAMMA,
    check_common_keys_are_left_out,
    entry,
    fp,
    hits,
    three_sources,
)
from .test_index_integrity import finished, provenance, write_corpus


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with redis_server(tmp_path_factory.mktemp("redis")) as url:
        yield url


@pytest.fixture
def url(server: str) -> str:
    """Database 0 of the server, emptied for each test."""
    with redis.Redis.from_url(server) as client:
        client.flushall()
    return server


@pytest.fixture
def client(url: str) -> Iterator[redis.Redis]:
    with redis.Redis.from_url(url) as opened:
        yield opened


@pytest.fixture
def index(url: str) -> Iterator[RedisIndex]:
    with RedisIndex(url) as opened:
        opened.put(three_sources())
        yield opened


# -- the protocol, as tests/test_index.py has it for SQLite ------------------------------------


def test_open_index_gives_the_redis_backend(url: str) -> None:
    with open_index(url) as opened:
        assert isinstance(opened, RedisIndex)
        assert opened.location == url


def test_put_then_count_digests_and_origins(index: RedisIndex) -> None:
    assert index.count() == 3
    assert index.digests() == {
        "alpha": ("digest-alpha", "sources"),
        "beta": ("digest-beta", "sources"),
        "gamma": ("digest-gamma", "other"),
    }
    assert index.ids_from("sources") == {"alpha", "beta"}
    assert index.ids_from("other") == {"gamma"}
    assert index.ids_from("nowhere") == set()
    index.move([("gamma", "sources"), ("missing", "sources")])
    assert index.ids_from("sources") == {"alpha", "beta", "gamma"}
    assert index.count() == 3


def test_candidates_find_the_source_a_text_shares_keys_with(index: RedisIndex) -> None:
    assert hits(index, BETA) == ["beta"]
    assert hits(index, "Unrelated words about a football match and the weekend weather.") == []
    found = index.candidates(fp(ALPHA).band_keys)
    assert list(found.values()) == [BANDS]


def test_candidates_count_distinct_keys(index: RedisIndex) -> None:
    keys = list(fp(ALPHA).band_keys)
    assert list(index.candidates(keys + keys[:10]).values()) == [BANDS]


def test_candidates_with_many_keys(index: RedisIndex) -> None:
    keys = [*range(-2000, 0), *fp(GAMMA).band_keys]
    assert [s.id for s in index.sources(index.candidates(keys))] == ["gamma"]
    assert index.candidates([]) == {}


def test_keys_common_to_more_than_a_hundred_sources_are_left_out(index: RedisIndex) -> None:
    check_common_keys_are_left_out(index)


def test_sources_round_trip_every_field(index: RedisIndex) -> None:
    (number,) = index.candidates(fp(BETA).band_keys)
    (beta,) = index.sources([number])
    assert beta == Source("beta", BETA, publisher="rferl", published="2022-06-09")
    assert list(index.sources([number + 1000])) == []
    assert index.get("alpha") == Source(
        "alpha", ALPHA, publisher="coastal", url="https://coastal.example/a"
    )
    assert index.get("missing") is None


def test_same_id_replaces_the_source(index: RedisIndex) -> None:
    index.put([entry("alpha", GAMMA, digest="new", title="Moved")])
    assert index.count() == 3
    assert index.digests()["alpha"][0] == "new"
    assert hits(index, ALPHA) == []
    assert sorted(hits(index, GAMMA)) == ["alpha", "gamma"]
    replaced = [s for s in index.sources(index.candidates(fp(GAMMA).band_keys)) if s.id == "alpha"]
    assert replaced == [Source("alpha", GAMMA, title="Moved")]
    assert index.check() == []


def test_an_id_given_twice_in_one_batch_keeps_the_last(index: RedisIndex) -> None:
    index.put([entry("delta", ALPHA), entry("epsilon", BETA), entry("delta", GAMMA)])
    assert index.digests()["delta"][0] == "digest-delta"
    assert "delta" not in hits(index, ALPHA)
    assert "delta" in hits(index, GAMMA)
    assert index.stats()["band_keys"] == len(fp(GAMMA).band_keys) + 3 * BANDS + BANDS


def test_remove_returns_only_ids_that_were_there(index: RedisIndex) -> None:
    assert index.remove(["beta", "missing", "gamma", "beta"]) == ["beta", "gamma"]
    assert index.count() == 1
    assert index.remove(["beta"]) == []
    assert index.remove([]) == []
    assert set(index.digests()) == {"alpha"}


def test_remove_deletes_band_keys_from_datasketch_storage(index: RedisIndex) -> None:
    bands_before = index.stats()["band_keys"]
    index.remove(["beta"])
    assert index.candidates(fp(BETA).band_keys) == {}
    assert hits(index, ALPHA) == ["alpha"]
    assert index.stats()["band_keys"] == bands_before - BANDS  # type: ignore[operator]
    # The emptied bands leave datasketch's list of keys too.
    assert index.bands.size() == 2 * BANDS
    assert index.check() == []


def test_the_band_table_is_datasketch_storage(index: RedisIndex, client: redis.Redis) -> None:
    (number,) = index.candidates(fp(BETA).band_keys)
    key = next(iter(fp(BETA).band_keys))
    assert index.bands.get(str(key)) == {str(number).encode()}
    assert client.smembers(index.bands.redis_key(str(key))) == {str(number).encode()}


def test_index_persists_across_openings(url: str) -> None:
    with open_index(url) as created:
        created.put([entry("alpha", ALPHA)])
    with open_index(url, create=False) as reopened:
        assert reopened.count() == 1
        assert hits(reopened, ALPHA) == ["alpha"]


def test_stats(index: RedisIndex, url: str) -> None:
    stats = index.stats()
    assert stats["location"] == url
    assert stats["sources"] == 3
    assert stats["publishers"] == {"(unknown)": 1, "coastal": 1, "rferl": 1}
    assert stats["band_keys"] == 3 * BANDS
    assert stats["fingerprint"] == PARAMETERS


def test_stats_of_an_empty_index(url: str) -> None:
    with open_index(url) as empty:
        stats = empty.stats()
    assert (stats["sources"], stats["publishers"], stats["band_keys"]) == (0, {}, 0)


def test_publishers_are_ordered_by_count(url: str) -> None:
    with open_index(url) as index:
        index.put(
            [
                entry("a", ALPHA, publisher="voa"),
                entry("b", BETA, publisher="rferl"),
                entry("c", GAMMA, publisher="rferl"),
            ]
        )
        assert list(index.stats()["publishers"].items()) == [("rferl", 2), ("voa", 1)]  # type: ignore[union-attr]


def test_same_candidates_as_sqlite(url: str, tmp_path: Path) -> None:
    corpus = [json.loads(line) for line in write_corpus(tmp_path / "c.jsonl", 60, "s", 7).open()]
    entries = [entry(s["id"], s["text"]) for s in corpus]
    entries += [entry("alpha", ALPHA), entry("alpha-copy", ALPHA + " " + BETA)]
    with RedisIndex(url) as shared, SqliteIndex(tmp_path / "index.sqlite") as embedded:
        for index in (shared, embedded):
            index.put(entries[:40])
            index.put(entries[40:])
            index.remove(["s3", "s4"])
        for text in [ALPHA, BETA, *(s["text"] for s in corpus[:10])]:
            keys = fp(text).band_keys
            found = [shared.candidates(keys), embedded.candidates(keys)]
            named = [
                [(s.id, counts[n]) for n, s in zip(counts, i.sources(counts), strict=True)]
                for counts, i in zip(found, (shared, embedded), strict=True)
            ]
            assert named[0] == named[1]
        assert shared.stats()["band_keys"] == embedded.stats()["band_keys"]


# -- refusals --------------------------------------------------------------------------------


def test_create_false_on_an_empty_database_raises(url: str, client: redis.Redis) -> None:
    with pytest.raises(IndexUnavailable, match=f"no index at {url}"):
        open_index(url, create=False)
    assert client.dbsize() == 0  # nothing was written


def test_other_fingerprint_parameters_are_refused(url: str, client: redis.Redis) -> None:
    with open_index(url) as index:
        index.put([entry("alpha", ALPHA)])
    client.hset("provenance:meta", "fingerprint", "minhash/perm=64")
    with pytest.raises(IndexUnavailable, match="another version of provenance"):
        open_index(url)


def test_other_schema_version_is_refused(url: str, client: redis.Redis) -> None:
    open_index(url).close()
    assert client.hgetall("provenance:meta") == {
        b"schema": redis_backend.SCHEMA_VERSION.encode(),
        b"fingerprint": PARAMETERS.encode(),
    }
    client.hset("provenance:meta", "schema", "0")
    with pytest.raises(IndexUnavailable, match="another version"):
        open_index(url, create=False)


def test_an_unreachable_server_is_named_not_a_traceback() -> None:
    location = f"redis://127.0.0.1:{free_port()}/0"
    with pytest.raises(IndexUnavailable, match=f"cannot use the index at {location}"):
        open_index(location)


def test_a_password_never_appears_in_messages() -> None:
    location = f"redis://:s3cret@127.0.0.1:{free_port()}/0"
    with pytest.raises(IndexUnavailable) as refused:
        open_index(location)
    assert "s3cret" not in str(refused.value)
    assert "redis://:***@127.0.0.1" in str(refused.value)


@pytest.mark.parametrize(
    ("location", "message"),
    [
        ("redis://127.0.0.1:port/0", "Port could not be cast"),
        ("rediss://127.0.0.1:6379/0", "backend is not available"),
        ("cassandra://db/provenance", "backend is not available"),
    ],
)
def test_bad_locations_are_refused(location: str, message: str) -> None:
    with pytest.raises(IndexUnavailable, match=message):
        open_index(location)


# -- writers take turns ----------------------------------------------------------------------


def test_a_writer_waits_for_the_lock_then_gives_up(
    index: RedisIndex, client: redis.Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(redis_backend, "BUSY_TIMEOUT", 0.2)
    client.set("provenance:lock", "another writer", ex=60)
    with pytest.raises(IndexBusy, match="busy"):
        index.put([entry("delta", ALPHA)])
    assert index.count() == 3  # nothing written
    assert client.get("provenance:lock") == b"another writer"  # not ours to release
    client.delete("provenance:lock")
    index.put([entry("delta", ALPHA)])
    assert index.count() == 4
    assert client.get("provenance:lock") is None


def test_a_dead_writers_lock_expires(index: RedisIndex, client: redis.Redis) -> None:
    client.set("provenance:lock", "a writer killed while writing", px=200)
    index.put([entry("delta", ALPHA)])  # waits for the expiry, then writes
    assert index.count() == 4


# -- the command line ------------------------------------------------------------------------


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    shutil.copytree(DEMO, tmp_path / "demo")
    return tmp_path


def audit_json(cwd: Path, *index: str) -> dict[str, object]:
    code, out, err = finished(
        provenance(
            "audit", "demo/site", "--sources", "demo/sources", "--format", "json", *index, cwd=cwd
        )
    )
    assert code == 1, err  # the demo has errors to report
    report: dict[str, object] = json.loads(out)
    return report


def test_the_demo_report_is_the_same_on_redis_and_sqlite(demo: Path, url: str) -> None:
    embedded = audit_json(demo)
    assert (demo / ".provenance" / "index.sqlite").exists()
    shared = audit_json(demo, "--index", url)
    assert shared == embedded
    assert shared["documents"]  # a real report, not two empty ones
    again = audit_json(demo, "--index", url)  # nothing fingerprinted the second time
    assert again["index"]["fingerprinted"] == 0  # type: ignore[index]
    assert again["documents"] == embedded["documents"]


def test_index_check_and_stats_on_redis(demo: Path, url: str, client: redis.Redis) -> None:
    empty = finished(provenance("index", "check", "--index", url, cwd=demo))
    assert empty[0] == 2 and f"no index at {url}" in empty[2]
    added = finished(provenance("index", "add", "demo/sources", "--index", url, cwd=demo))
    assert added[0] == 0, added[2]
    code, out, err = finished(provenance("index", "check", "--index", url, cwd=demo))
    assert (code, out) == (0, f"{url}: OK (5 sources)\n"), err
    code, out, _ = finished(
        provenance("index", "stats", "--index", url, "--format", "json", cwd=demo)
    )
    assert json.loads(out)["sources"] == 5

    # A source record lost, and one source's band keys lost.
    numbers = sorted(int(n) for n in client.hvals("provenance:ids"))
    client.delete(f"provenance:source:{numbers[0]}")
    with RedisIndex(url) as index:
        (second,) = index.sources([numbers[1]])
        for key in fp(second.text).band_keys:
            index.bands.remove_val(str(key), numbers[1])
    code, out, _ = finished(provenance("index", "check", "--index", url, cwd=demo))
    assert code == 1
    assert "1 ids name a source that is gone" in out
    assert "band keys belong to no source" in out
    assert "1 sources have no fingerprint" in out

    client.hset("provenance:meta", "fingerprint", "minhash/perm=64")
    code, out, _ = finished(provenance("index", "check", "--index", url, cwd=demo))
    assert code == 1 and "another version" in out


def test_index_check_of_an_unreachable_server_exits_2(tmp_path: Path) -> None:
    location = f"redis://127.0.0.1:{free_port()}/0"
    code, _, err = finished(provenance("index", "check", "--index", location, cwd=tmp_path))
    assert code == 2
    assert f"cannot use the index at {location}" in err
    assert "Traceback" not in err


def test_writers_add_thousands_while_audits_read(url: str, tmp_path: Path) -> None:
    """One corpus is in; two writers add thousands more at once while audits of a copy of one
    of the first sources run: every audit finds exactly that source, and the end is clean."""
    first = write_corpus(tmp_path / "first.jsonl", 200, "a", seed=10)
    added = [
        write_corpus(tmp_path / f"{p}.jsonl", 1500, p, seed=11 + i) for i, p in enumerate("bc")
    ]
    assert finished(provenance("index", "add", first, "--index", url, cwd=tmp_path))[0] == 0
    target = tmp_path / "post.txt"
    target.write_text(json.loads(first.read_text().splitlines()[5])["text"] + "\n")

    def audit() -> subprocess.Popen[str]:
        return provenance("audit", target, "--index", url, "--format", "json", cwd=tmp_path)

    writers = [
        provenance("index", "add", corpus, "--index", url, "--no-progress", cwd=tmp_path)
        for corpus in added
    ]
    audits = []
    while any(w.poll() is None for w in writers) or len(audits) < 3:
        readers = [audit() for _ in range(3)]  # several at once
        audits.extend(finished(r) for r in readers)
    results = [finished(w) for w in writers]

    for code, out, err in results:
        assert code == 0, err
        assert "1500 added" in out
    for code, out, err in audits:
        assert code in (0, 1), err
        matches = json.loads(out)["documents"][0]["matches"]
        assert [m["source_id"] for m in matches] == ["a5"]
    with RedisIndex(url, create=False) as index:
        assert index.count() == 200 + 2 * 1500
        assert index.check() == []
    code, out, err = finished(provenance("index", "check", "--index", url, cwd=tmp_path))
    assert (code, out) == (0, f"{url}: OK (3200 sources)\n"), out + err
