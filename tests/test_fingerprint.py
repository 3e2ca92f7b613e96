from __future__ import annotations

from pathlib import Path

import datasketch
import numpy as np
import pytest

from provenance.extract import extract_file
from provenance.fingerprint import (
    BANDS,
    NUM_PERM,
    SHINGLE,
    STEP,
    WINDOW,
    band_keys,
    fingerprint,
    shingle_hashes,
)
from provenance.normalise import tokens

SOURCES = Path(__file__).resolve().parent.parent / "fixtures" / "demo" / "sources"


def words_of(relative: str) -> list[str]:
    return [t.text for t in tokens(extract_file(SOURCES / relative).text)]


@pytest.fixture(scope="module")
def library() -> list[str]:
    return words_of("rferl/czech-flood-library.md")


@pytest.fixture(scope="module")
def herders() -> list[str]:
    return words_of("voa/mongolia-herders-cashmere.md")


@pytest.fixture(scope="module")
def observatory() -> list[str]:
    return words_of("rferl/kazakhstan-steppe-observatory.md")


def lean(signature: np.ndarray) -> datasketch.LeanMinHash:
    return datasketch.LeanMinHash(
        datasketch.MinHash(num_perm=NUM_PERM, scheme="affine32", hashvalues=signature)
    )


def test_windows_are_signatures_of_num_perm_uint32(library: list[str]) -> None:
    fp = fingerprint(library)
    assert len(fp.windows) > 1
    for signature in fp.windows:
        assert signature.shape == (NUM_PERM,)
        assert signature.dtype == np.uint32


def test_windows_overlap_and_cover_the_tail() -> None:
    words = [f"w{i}" for i in range(200)]
    fp = fingerprint(words)
    # 196 shingles, 46 a window, a window every 25 shingles (0..150), nothing left over
    assert len(fp.windows) == 7
    # a tail the last step misses gets a window of its own
    assert len(fingerprint([*words, "extra"]).windows) == 8


def test_fingerprint_is_deterministic(library: list[str]) -> None:
    a, b = fingerprint(library), fingerprint(list(library))
    assert all(np.array_equal(x, y) for x, y in zip(a.windows, b.windows, strict=True))
    assert a.band_keys == b.band_keys


def test_band_keys_are_signed_64_bit_one_per_band(library: list[str]) -> None:
    keys = band_keys(fingerprint(library).windows[0])
    assert len(keys) == BANDS == len(set(keys))
    assert all(-(2**63) <= k < 2**63 for k in keys)


def test_band_keys_depend_on_the_band_number() -> None:
    same_rows = np.zeros(NUM_PERM, dtype=np.uint32)
    assert len(set(band_keys(same_rows))) == BANDS


def test_embedded_passage_shares_band_keys_with_its_source(
    library: list[str], herders: list[str], observatory: list[str]
) -> None:
    middle = len(library) // 2
    passage = library[middle - 65 : middle + 65]
    assert len(passage) == 130
    embedded = herders[:150] + passage + observatory[:150]
    assert fingerprint(embedded).band_keys & fingerprint(library).band_keys


def test_copy_aligned_with_the_window_step_shares_every_band_key(
    library: list[str], herders: list[str]
) -> None:
    copy = herders[: 2 * STEP] + library + herders[-40:]
    assert fingerprint(library).band_keys <= fingerprint(copy).band_keys


def test_copy_off_the_window_step_still_shares_band_keys(
    library: list[str], herders: list[str]
) -> None:
    copy = herders[:40] + library + herders[-40:]
    assert fingerprint(library).band_keys & fingerprint(copy).band_keys


def test_unrelated_texts_share_no_band_keys(
    library: list[str], herders: list[str], observatory: list[str]
) -> None:
    keys = [fingerprint(w).band_keys for w in (library, herders, observatory)]
    assert not keys[0] & keys[1]
    assert not keys[0] & keys[2]
    assert not keys[1] & keys[2]


def test_signatures_match_datasketch_over_the_same_shingles(library: list[str]) -> None:
    expected = datasketch.MinHash(num_perm=NUM_PERM, scheme="affine32", hashfunc=int)
    expected.update_batch(shingle_hashes(library[:WINDOW]).tolist())
    assert np.array_equal(fingerprint(library).windows[0], expected.hashvalues)
    last = datasketch.MinHash(num_perm=NUM_PERM, scheme="affine32", hashfunc=int)
    last.update_batch(shingle_hashes(library[-WINDOW:]).tolist())
    assert np.array_equal(fingerprint(library).windows[-1], last.hashvalues)


def test_shingle_hashes_depend_on_word_order() -> None:
    hashes = shingle_hashes(["a", "b", "c", "d", "a", "b", "c", "d"])
    assert len(hashes) == 8 - SHINGLE + 1
    assert hashes[0] == hashes[4]  # the same shingle again
    assert len(set(hashes.tolist())) == SHINGLE  # the others differ
    assert shingle_hashes(["d", "c", "b", "a"])[0] != hashes[0]


def test_signatures_work_with_datasketch_lsh(
    library: list[str], herders: list[str], observatory: list[str]
) -> None:
    lsh = datasketch.MinHashLSH(threshold=0.5, num_perm=NUM_PERM)
    for name, words in (("library", library), ("herders", herders)):
        for i, signature in enumerate(fingerprint(words).windows):
            lsh.insert(f"{name}#{i}", lean(signature))
    middle = len(library) // 2
    passage = observatory[:100] + library[middle - 65 : middle + 65]
    hits = {key for sig in fingerprint(passage).windows for key in lsh.query(lean(sig))}
    assert hits
    assert all(hit.startswith("library#") for hit in hits)


def test_lean_minhash_keeps_the_signature_and_estimates_jaccard(library: list[str]) -> None:
    windows = fingerprint(library).windows
    first = lean(windows[0])
    assert np.array_equal(first.hashvalues, windows[0])
    assert first.jaccard(lean(windows[0])) == 1.0
    # neighbouring windows overlap by half their shingles; distant ones not at all
    assert 0.15 < first.jaccard(lean(windows[1])) < 0.7
    assert first.jaccard(lean(windows[-1])) < 0.1


@pytest.mark.parametrize("count", [1, 2, SHINGLE - 1, SHINGLE])
def test_short_texts_still_fingerprint(count: int) -> None:
    words = ["brief", "note", "from", "the", "desk"][:count]
    fp = fingerprint(words)
    assert len(fp.windows) == 1
    assert len(fp.band_keys) == BANDS
    assert fp.band_keys == fingerprint(list(words)).band_keys


def test_short_texts_differ() -> None:
    assert not fingerprint(["breaking", "news"]).band_keys & fingerprint(["old", "news"]).band_keys


def test_empty_text_has_no_windows() -> None:
    fp = fingerprint([])
    assert fp.windows == ()
    assert fp.band_keys == set()
