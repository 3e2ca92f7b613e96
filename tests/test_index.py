from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from provenance.fingerprint import BANDS, PARAMETERS, Fingerprint, fingerprint
from provenance.index import (
    DEFAULT_LOCATION,
    Index,
    IndexUnavailable,
    SqliteIndex,
    open_index,
    shown,
)
from provenance.index.base import COMMON_KEY_SOURCES
from provenance.models import Source
from provenance.normalise import tokens

ALPHA = (
    "The harbor ferry made its first crossing in two years on Monday, carrying commuters, "
    "schoolchildren and a crate of live lobsters across the choppy water of the outer bay."
)
BETA = (
    "Volunteers dried hundreds of soaked library books with hair dryers and electric fans "
    "after a swollen stream flooded the small village library on the square."
)
GAMMA = (
    "Herders in the central provinces counted their losses after a winter of deep snow, "
    "while cashmere buyers raised their prices for the first time in three seasons."
)


Entry = tuple[Source, str, str, np.ndarray]  # (source, origin, digest, band keys)


def fp(text: str) -> Fingerprint:
    return fingerprint([t.text for t in tokens(text)])


def entry(
    source_id: str, text: str, origin: str = "sources", digest: str | None = None, **fields: str
) -> Entry:
    return Source(source_id, text, **fields), origin, digest or f"digest-{source_id}", keys(text)


def keys(text: str) -> np.ndarray:
    return fp(text).band_keys


def hits(index: SqliteIndex, text: str) -> list[str]:
    """Ids of the indexed sources sharing band keys with ``text``, most shared first."""
    found = index.candidates(fp(text).band_keys)
    by_rowid = {rowid: s.id for rowid, s in zip(found, index.sources(found), strict=True)}
    return [by_rowid[rowid] for rowid, _ in found.most_common()]


def three_sources() -> list[Entry]:
    """What every backend's index fixture starts with."""
    return [
        entry("alpha", ALPHA, publisher="coastal", url="https://coastal.example/a"),
        entry("beta", BETA, publisher="rferl", published="2022-06-09"),
        entry("gamma", GAMMA, origin="other"),
    ]


@pytest.fixture
def index(tmp_path: Path) -> Iterator[SqliteIndex]:
    with SqliteIndex(tmp_path / "index.sqlite") as opened:
        opened.put(three_sources())
        yield opened


def test_put_then_count_digests_and_origins(index: SqliteIndex) -> None:
    assert index.count() == 3
    assert index.digests() == {
        "alpha": ("digest-alpha", "sources"),
        "beta": ("digest-beta", "sources"),
        "gamma": ("digest-gamma", "other"),
    }
    assert index.ids_from("sources") == {"alpha", "beta"}
    assert index.ids_from("other") == {"gamma"}
    assert index.ids_from("nowhere") == set()
    index.move([("gamma", "sources")])
    assert index.ids_from("sources") == {"alpha", "beta", "gamma"}


def test_candidates_find_the_source_a_text_shares_keys_with(index: SqliteIndex) -> None:
    assert hits(index, BETA) == ["beta"]
    assert hits(index, "Unrelated words about a football match and the weekend weather.") == []
    found = index.candidates(fp(ALPHA).band_keys)
    assert list(found.values()) == [BANDS]


def test_candidates_with_many_keys(index: SqliteIndex) -> None:
    keys = [*range(-2000, 0), *fp(GAMMA).band_keys]
    assert [s.id for s in index.sources(index.candidates(keys))] == ["gamma"]
    assert index.candidates([]) == {}


def test_sources_round_trip_every_field(index: SqliteIndex) -> None:
    (rowid,) = index.candidates(fp(BETA).band_keys)
    (beta,) = index.sources([rowid])
    assert beta == Source("beta", BETA, publisher="rferl", published="2022-06-09")
    assert list(index.sources([rowid + 1000])) == []


def test_same_id_replaces_the_source(index: SqliteIndex) -> None:
    index.put([entry("alpha", GAMMA, digest="new", title="Moved")])
    assert index.count() == 3
    assert index.digests()["alpha"][0] == "new"
    assert hits(index, ALPHA) == []  # the old text's bands went with it
    assert sorted(hits(index, GAMMA)) == ["alpha", "gamma"]
    replaced = [s for s in index.sources(index.candidates(fp(GAMMA).band_keys)) if s.id == "alpha"]
    assert replaced == [Source("alpha", GAMMA, title="Moved")]


def test_an_id_given_twice_in_one_batch_keeps_the_last(index: SqliteIndex) -> None:
    index.put([entry("delta", ALPHA), entry("epsilon", BETA), entry("delta", GAMMA)])
    assert index.digests()["delta"][0] == "digest-delta"
    assert "delta" not in hits(index, ALPHA)  # no band keys left from the first text
    assert "delta" in hits(index, GAMMA)
    assert index.stats()["band_keys"] == len(fp(GAMMA).band_keys) + 3 * BANDS + BANDS


def test_an_id_given_again_far_into_a_large_batch_keeps_the_last(index: SqliteIndex) -> None:
    filler = [
        entry(f"filler-{i}", f"Story number {i} about the river and the bridge.")
        for i in range(600)
    ]
    index.put([entry("delta", ALPHA), *filler, entry("delta", GAMMA)])
    assert "delta" not in hits(index, ALPHA)
    assert "delta" in hits(index, GAMMA)
    assert index.check() == []
    assert index.count() == 3 + 601


def stories(prefix: str, count: int) -> list[Entry]:
    words = ALPHA.split() + BETA.split() + GAMMA.split()
    return [
        entry(f"{prefix}{i}", " ".join(words[i % 7 :: 3][:20]) + f" story {prefix} {i}")
        for i in range(count)
    ]


def shared_keys(entries: list[Entry], keys: np.ndarray) -> dict:
    """Brute force: how many of ``keys`` each source id holds, and how many only it holds."""
    holders: dict[int, list[str]] = {}
    for source, _, _, band_keys in entries:
        for key in set(band_keys.tolist()) & set(keys.tolist()):
            holders.setdefault(key, []).append(source.id)
    shared: dict[str, int] = {}
    own: dict[str, int] = {}
    for ids in holders.values():
        if len(ids) > COMMON_KEY_SOURCES:
            continue
        for source_id in ids:
            shared[source_id] = shared.get(source_id, 0) + 1
        if len(ids) == 1:
            own[ids[0]] = own.get(ids[0], 0) + 1
    return {"shared": shared, "own": own}


def by_id(index: SqliteIndex, keys: np.ndarray) -> dict:
    found = index.candidates(keys)
    ids = {n: source.id for n, source in zip(found, index.sources(found), strict=True)}
    return {
        "shared": {ids[n]: count for n, count in found.items()},
        "own": {ids[n]: count for n, count in found.own.items()},
    }


def test_each_batch_writes_a_run_and_runs_merge_as_they_grow(
    index: SqliteIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("provenance.index.sqlite._MERGE_SLICE", 64)  # merges in many slices
    batches = [stories("a", 400), stories("b", 40), stories("c", 20), stories("d", 300)]
    everything = three_sources()
    for batch in batches:
        index.put(batch)
        everything += batch
        sizes = [count for _, _, count in index._runs()]
        # Each run holds more than four times the postings of all the newer ones together.
        assert all(size > 4 * sum(sizes[i + 1 :]) for i, size in enumerate(sizes[:-1]))
        assert sum(sizes) == sum(len(band_keys) for *_, band_keys in everything)
    assert len(index._runs()) == 1  # the last batch was large enough to merge everything
    assert index.check() == []
    # Lookups across merged blocks agree with counting the keys one by one.
    for _, _, _, looked_up in everything[::37]:
        assert by_id(index, looked_up) == shared_keys(everything, looked_up)


def test_a_key_shared_by_many_sources_is_left_out(index: SqliteIndex) -> None:
    common = [entry(f"common{i}", ALPHA) for i in range(COMMON_KEY_SOURCES + 1)]
    index.put(common)
    assert hits(index, ALPHA) == []  # more than COMMON_KEY_SOURCES sources share every key
    assert hits(index, BETA) == ["beta"]


def test_remove_from_several_runs(index: SqliteIndex) -> None:
    first, second = stories("a", 200), stories("b", 10)
    index.put(first)
    index.put(second)
    assert len(index._runs()) == 2
    index.remove(["a5", "b3", "gamma"])
    assert index.check() == []
    left = [e for e in three_sources() + first + second if e[0].id not in {"a5", "b3", "gamma"}]
    assert index.stats()["band_keys"] == sum(len(band_keys) for *_, band_keys in left)
    for _, _, _, looked_up in [first[5], second[3], first[6]]:
        assert by_id(index, looked_up) == shared_keys(left, looked_up)


def test_sources_stay_unlisted_until_their_postings_are_written(index: SqliteIndex) -> None:
    """An update stores its sources a chunk at a time; readers see none of them until the
    update lists them with their postings. One that stops halfway leaves them unlisted, and
    the next update stores them again."""
    batch = stories("a", 1200)  # three chunks

    def interrupted() -> Iterator[Entry]:
        yield from batch[:1000]
        # Two chunks are stored by now, and not one of them is seen.
        assert index.count() == 3
        assert set(index.digests()) == {"alpha", "beta", "gamma"}
        assert hits(index, batch[5][0].text) == []
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        index.put(interrupted())
    assert index.count() == 3
    assert "a5" not in index.digests()
    assert index.check() == []  # unlisted sources are not damage
    index.put(batch)
    assert index.count() == 3 + 1200
    assert "a5" in hits(index, batch[5][0].text)
    assert index.stats()["band_keys"] == sum(
        len(band_keys) for *_, band_keys in three_sources() + batch
    )
    assert index.check() == []


def test_readers_see_the_old_version_of_a_source_until_the_new_one_is_listed(
    index: SqliteIndex,
) -> None:
    batch = stories("a", 700)  # two chunks, the first with the new version of alpha

    def interrupted() -> Iterator[Entry]:
        yield entry("alpha", GAMMA, digest="new")
        yield from batch
        # Both chunks are stored by now: readers still see alpha as it was.
        assert index.digests()["alpha"][0] == "digest-alpha"
        assert index.get("alpha") == Source(
            "alpha", ALPHA, publisher="coastal", url="https://coastal.example/a"
        )
        assert hits(index, ALPHA) == ["alpha"]
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        index.put(interrupted())
    assert index.digests()["alpha"][0] == "digest-alpha"  # a stopped update loses nothing
    assert hits(index, ALPHA) == ["alpha"]
    assert index.check() == []
    index.put([entry("alpha", GAMMA, digest="new"), *batch])
    assert index.digests()["alpha"][0] == "new"
    assert hits(index, ALPHA) == []
    assert sorted(hits(index, GAMMA)) == ["alpha", "gamma"]
    assert index.count() == 3 + 700
    assert index.check() == []


def test_reads_that_take_several_statements_see_one_snapshot(
    index: SqliteIndex, tmp_path: Path
) -> None:
    """``check``, ``stats`` and ``candidates`` read in one snapshot: another writer's commit
    in between would otherwise look like damage (band keys of no source, runs short)."""
    with SqliteIndex(tmp_path / "index.sqlite") as other, index._reading():
        other.put([entry("delta", GAMMA)])
        assert index.count() == 3
        assert sorted(hits(index, GAMMA)) == ["gamma"]
    assert index.count() == 4
    assert index.check() == []


def test_removing_an_unlisted_source_does_not_report_it(index: SqliteIndex) -> None:
    def interrupted() -> Iterator[Entry]:
        yield from stories("a", 600)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        index.put(interrupted())
    assert index.get("a5") is None  # stored, not listed
    assert index.remove(["a5", "beta"]) == ["beta"]
    assert index.check() == []


def test_a_source_another_writer_replaced_meanwhile_keeps_the_other_version(
    index: SqliteIndex, tmp_path: Path
) -> None:
    batch = stories("a", 600)  # two chunks
    other = SqliteIndex(tmp_path / "index.sqlite")

    def with_another_writer() -> Iterator[Entry]:
        yield from batch[:500]
        other.put([entry("a5", GAMMA, digest="the other writer's")])  # between two chunks
        yield from batch[500:]

    index.put(with_another_writer())
    other.close()
    assert index.digests()["a5"][0] == "the other writer's"
    assert sorted(hits(index, GAMMA)) == ["a5", "gamma"]
    assert index.count() == 3 + 600
    assert index.check() == []


def test_a_number_is_never_given_to_another_source(index: SqliteIndex) -> None:
    (gamma,) = index.candidates(fp(GAMMA).band_keys)
    index.remove(["gamma"])  # the highest number so far
    index.put([entry("delta", GAMMA)])
    (delta,) = index.candidates(fp(GAMMA).band_keys)
    assert delta > gamma
    assert list(index.sources([gamma])) == []


def test_check_reads_every_block(index: SqliteIndex, tmp_path: Path) -> None:
    assert index.check() == []
    db = sqlite3.connect(tmp_path / "index.sqlite")
    run, prefix, size = db.execute("SELECT run, prefix, length(keys) / 8 FROM postings").fetchone()
    (free,) = db.execute("SELECT max(prefix) + 1 FROM postings WHERE run = ?", (run,)).fetchone()
    with db:  # a block filed under another prefix
        db.execute(
            "UPDATE postings SET prefix = ? WHERE run = ? AND prefix = ?", (free, run, prefix)
        )
    assert index.check() == [f"run {run} holds {size} band keys in the wrong block"]
    with db:  # and cut short
        db.execute("UPDATE postings SET keys = substr(keys, 1, 12) WHERE run = ?", (run,))
    assert f"run {run} holds a damaged block" in index.check()
    db.close()


def test_remove_returns_only_ids_that_were_there(index: SqliteIndex) -> None:
    assert index.remove(["beta", "missing", "gamma"]) == ["beta", "gamma"]
    assert index.count() == 1
    assert index.remove(["beta"]) == []
    assert set(index.digests()) == {"alpha"}


def test_remove_deletes_band_rows(index: SqliteIndex) -> None:
    bands_before = index.stats()["band_keys"]
    index.remove(["beta"])
    assert index.candidates(fp(BETA).band_keys) == {}
    assert hits(index, ALPHA) == ["alpha"]
    assert index.stats()["band_keys"] == bands_before - BANDS  # type: ignore[operator]


def test_index_persists_across_openings(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "dir" / "index.sqlite"
    with open_index(str(path)) as created:
        created.put([entry("alpha", ALPHA)])
    with open_index(str(path), create=False) as reopened:
        assert reopened.count() == 1
        assert hits(reopened, ALPHA) == ["alpha"]


def test_stats(index: SqliteIndex, tmp_path: Path) -> None:
    stats = index.stats()
    assert stats["location"] == str(tmp_path / "index.sqlite")
    assert stats["sources"] == 3
    assert stats["publishers"] == {"(unknown)": 1, "coastal": 1, "rferl": 1}
    assert stats["band_keys"] == 3 * BANDS
    assert stats["fingerprint"] == PARAMETERS
    assert isinstance(stats["size_bytes"], int)
    assert stats["size_bytes"] > 0


def test_stats_of_an_empty_index(tmp_path: Path) -> None:
    with open_index(str(tmp_path / "index.sqlite")) as empty:
        stats = empty.stats()
    assert (stats["sources"], stats["publishers"], stats["band_keys"]) == (0, {}, 0)


def test_publishers_are_ordered_by_count(tmp_path: Path) -> None:
    with open_index(str(tmp_path / "index.sqlite")) as index:
        index.put(
            [
                entry("a", ALPHA, publisher="voa"),
                entry("b", BETA, publisher="rferl"),
                entry("c", GAMMA, publisher="rferl"),
            ]
        )
        assert list(index.stats()["publishers"].items()) == [("rferl", 2), ("voa", 1)]  # type: ignore[union-attr]


def test_other_fingerprint_parameters_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite"
    with open_index(str(path)) as index:
        index.put([entry("alpha", ALPHA)])
    db = sqlite3.connect(path)
    with db:
        db.execute("UPDATE meta SET value = 'minhash/perm=64' WHERE key = 'fingerprint'")
    db.close()
    with pytest.raises(IndexUnavailable, match="another version"):
        open_index(str(path))


def test_other_schema_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite"
    open_index(str(path)).close()
    db = sqlite3.connect(path)
    with db:
        db.execute("UPDATE meta SET value = '0' WHERE key = 'schema'")
    db.close()
    with pytest.raises(IndexUnavailable):
        open_index(str(path))


def test_meta_records_the_parameters(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite"
    open_index(str(path)).close()
    db = sqlite3.connect(path)
    meta = dict(db.execute("SELECT key, value FROM meta"))
    db.close()
    assert meta["fingerprint"] == PARAMETERS


def test_a_file_that_is_not_sqlite_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite"
    path.write_text("This is a text file, not an index.\n" * 200)
    with pytest.raises(IndexUnavailable, match="not a usable provenance index"):
        open_index(str(path))
    assert path.read_text().startswith("This is a text file")


def test_other_server_backends_are_unavailable() -> None:
    with pytest.raises(IndexUnavailable, match="backend is not available"):
        open_index("cassandra://db/provenance")


def test_create_false_on_a_missing_path_raises(tmp_path: Path) -> None:
    path = tmp_path / "missing" / "index.sqlite"
    with pytest.raises(IndexUnavailable, match="no index"):
        open_index(str(path), create=False)
    assert not path.exists()
    assert not path.parent.exists()


def test_default_location() -> None:
    assert DEFAULT_LOCATION == ".provenance/index.sqlite"


def test_locations_are_shown_without_a_password() -> None:
    assert shown("redis://:secret@127.0.0.1:6379/0") == "redis://:***@127.0.0.1:6379/0"
    assert shown("redis://reader:secret@127.0.0.1/1") == "redis://reader:***@127.0.0.1/1"
    assert shown("redis://127.0.0.1:6379/0") == "redis://127.0.0.1:6379/0"
    assert shown("index/with:colon.sqlite") == "index/with:colon.sqlite"


def test_keys_common_to_more_than_a_hundred_sources_are_left_out(index: SqliteIndex) -> None:
    check_common_keys_are_left_out(index)


def check_common_keys_are_left_out(index: Index) -> None:
    shared = np.array([7, 8, 9], dtype=np.int64)

    def with_keys(source_id: str, *keys: int) -> Entry:
        own = np.array(keys, dtype=np.int64)
        return Source(source_id, "text"), "o", "d", own

    many = COMMON_KEY_SOURCES + 1
    index.put([with_keys(f"common-{i}", 7, 8, 10_000 + i) for i in range(many)])
    index.put([with_keys("rare", 9, 10_000)])
    found = index.candidates([*shared.tolist(), 10_000])
    numbers = {s.id: n for n in found for s in index.sources([n])}
    assert found[numbers["rare"]] == 2  # keys 9 and 10,000; 7 and 8 are everywhere
    assert found[numbers["common-0"]] == 1
    assert len(found) == 2
    assert found.own == {numbers["rare"]: 1}  # key 9 is its own; 10,000 it shares
