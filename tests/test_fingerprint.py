from __future__ import annotations

from pathlib import Path

import datasketch
import numpy as np
import pytest

from provenance.extract import extract_file
from provenance.fingerprint import (
    BANDS,
    BINS,
    NUM_PERM,
    SOURCE_STEP,
    STEP,
    as_lean_minhash,
    band_keys,
    fingerprint,
    fingerprints,
    signatures,
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


def keys(words: list[str], step: int = STEP) -> set[int]:
    return set(fingerprint(words, step).band_keys.tolist())


def test_windows_are_signatures_of_bins_uint32(library: list[str]) -> None:
    fp = fingerprint(library)
    assert fp.windows.shape[0] > 1
    assert fp.windows.shape[1] == BINS
    assert fp.windows.dtype == np.uint32


def test_windows_overlap_and_cover_the_tail() -> None:
    words = [f"w{i}" for i in range(200)]
    # 197 shingles, 47 a window, a window every 25 shingles (0..150), nothing left over
    assert len(fingerprint(words).windows) == 7
    # a tail the last step misses gets a window of its own
    assert len(fingerprint([*words, "extra"]).windows) == 8
    # sources: a window every 50 shingles (0..150)
    assert len(fingerprint(words, SOURCE_STEP).windows) == 4


def test_fingerprint_is_deterministic(library: list[str]) -> None:
    a, b = fingerprint(library), fingerprint(list(library))
    assert np.array_equal(a.windows, b.windows)
    assert np.array_equal(a.band_keys, b.band_keys)


def test_many_texts_at_once_fingerprint_as_one_at_a_time(
    library: list[str], herders: list[str]
) -> None:
    texts = [
        " ".join(library),
        "",
        # Russian: its look-alike letters stay Cyrillic
        "\u041a\u043e\u0440\u043e\u0442\u043a\u0438\u0439 \u0442\u0435\u043a\u0441\u0442",
        "\u0455ome text w\u0456th look-alikes",  # folded to Latin
        "½ cup of ﬁne flour\u200b…",  # expansions, an invisible character
        "東京の天気",  # a script written without spaces
        " ".join(herders),
    ]
    for text, fp in zip(texts, fingerprints(texts), strict=True):
        alone = fingerprint([t.text for t in tokens(text)])
        assert np.array_equal(fp.windows, alone.windows)
        assert np.array_equal(fp.band_keys, alone.band_keys)


def test_band_keys_are_distinct_and_sorted(library: list[str]) -> None:
    found = fingerprint(library).band_keys
    assert found.dtype == np.int64
    assert np.array_equal(found, np.unique(found))


def test_band_keys_are_signed_64_bit_one_per_filled_bin(library: list[str]) -> None:
    window = fingerprint(library).windows[0]
    found = band_keys(window)
    assert len(found) == (window != 0xFFFFFFFF).sum() == len(set(found)) > BANDS // 2
    assert all(-(2**63) <= k < 2**63 for k in found)


def test_band_keys_depend_on_the_band_number() -> None:
    same_rows = np.zeros(BINS, dtype=np.uint32)
    assert len(set(band_keys(same_rows))) == BANDS


def test_embedded_passage_shares_band_keys_with_its_source(
    library: list[str], herders: list[str], observatory: list[str]
) -> None:
    middle = len(library) // 2
    passage = library[middle - 65 : middle + 65]
    assert len(passage) == 130
    embedded = herders[:150] + passage + observatory[:150]
    assert keys(embedded) & keys(library, SOURCE_STEP)


def test_copy_aligned_with_the_window_step_shares_every_full_window(
    library: list[str], herders: list[str]
) -> None:
    copy = herders[: 2 * STEP] + library + herders[-40:]
    source = fingerprint(library, SOURCE_STEP)
    full_windows = {k for w in source.windows[:-1] for k in band_keys(w)}
    assert full_windows <= keys(copy)


def test_copy_off_the_window_step_still_shares_band_keys(
    library: list[str], herders: list[str]
) -> None:
    copy = herders[:40] + library + herders[-40:]
    assert keys(library, SOURCE_STEP) & keys(copy)


def test_unrelated_texts_share_no_band_keys(
    library: list[str], herders: list[str], observatory: list[str]
) -> None:
    found = [keys(w) for w in (library, herders, observatory)]
    assert not found[0] & found[1]
    assert not found[0] & found[2]
    assert not found[1] & found[2]


def test_signatures_depend_on_word_order() -> None:
    forwards = " ".join(f"w{i}" for i in range(60))
    backwards = " ".join(f"w{i}" for i in reversed(range(60)))
    first, second = signatures([forwards, backwards])
    assert (first == second).mean() < 0.1


def exact_jaccard(a: list[str], b: list[str], size: int = 5) -> float:
    sa = {tuple(a[i : i + size]) for i in range(len(a) - size + 1)}
    sb = {tuple(b[i : i + size]) for i in range(len(b) - size + 1)}
    return len(sa & sb) / len(sa | sb)


def test_signatures_estimate_jaccard_like_a_minhash(library: list[str], herders: list[str]) -> None:
    edited = [w if i % 9 else "changed" for i, w in enumerate(library)]
    pairs = [(library, library[: len(library) // 2]), (library, edited), (library, herders)]
    for a, b in pairs:
        sig_a, sig_b = signatures([" ".join(a), " ".join(b)], shingle=5)
        estimate = float((sig_a == sig_b).mean())
        # a MinHash of 128 permutations errs by sqrt(J(1-J)/128) <= 0.045 (one sigma)
        assert abs(estimate - exact_jaccard(a, b)) < 0.15


def test_signatures_work_with_datasketch_lsh(
    library: list[str], herders: list[str], observatory: list[str]
) -> None:
    lsh = datasketch.MinHashLSH(threshold=0.3, num_perm=NUM_PERM)
    texts = {"library": library, "herders": herders}
    for name, sig in zip(texts, signatures([" ".join(w) for w in texts.values()]), strict=True):
        lsh.insert(name, as_lean_minhash(sig))
    excerpt = " ".join(library[: len(library) * 2 // 3])
    query = as_lean_minhash(signatures([excerpt])[0])
    assert lsh.query(query) == ["library"]


def test_lean_minhash_keeps_the_signature_and_estimates_jaccard(library: list[str]) -> None:
    sig = signatures([" ".join(library), " ".join(library[: len(library) // 2])])
    first = as_lean_minhash(sig[0])
    assert np.array_equal(first.hashvalues, sig[0])
    assert first.jaccard(as_lean_minhash(sig[0])) == 1.0
    assert 0.3 < first.jaccard(as_lean_minhash(sig[1])) < 0.7


@pytest.mark.parametrize("count", [1, 2, 3, 4])
def test_short_texts_still_fingerprint(count: int) -> None:
    words = ["brief", "note", "from", "the", "desk"][:count]
    fp = fingerprint(words)
    assert len(fp.windows) == 1
    assert len(fp.band_keys) == 1  # one shingle, in one bin
    assert np.array_equal(fp.band_keys, fingerprint(list(words)).band_keys)


def test_short_texts_differ() -> None:
    assert not keys(["breaking", "news"]) & keys(["old", "news"])


def test_empty_text_has_no_windows() -> None:
    fp = fingerprint([])
    assert fp.windows.shape == (0, BINS)
    assert not len(fp.band_keys)
    assert not len(fingerprints([""])[0].band_keys)
