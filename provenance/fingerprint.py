"""MinHash fingerprints of overlapping windows of a text, and the LSH band keys that find them.

A whole-document signature estimates Jaccard similarity, which is low for an excerpt or a
passage embedded in a longer article even though all of it is copied. Fingerprinting windows of
``WINDOW`` words instead makes a copied passage look like a near-duplicate of the source window
it came from, whatever surrounds it.

Signatures are one-permutation MinHashes: each shingle is hashed once, the top bits of its
hash choose one of the signature's bins and the low 32 bits are its value, and a bin keeps its
least value. Two windows agree in a bin with probability equal to their Jaccard similarity, as
two classic MinHashes do, but a signature costs one hash per shingle instead of one per shingle
and permutation. A window's filled bins are its keys in the index (bands of one row: sensitive
enough to find rewritten copies, few enough to store); an empty bin gives no key. Whole-text
signatures (``signatures``) fill their empty bins by optimal densification (Shrivastava, ICML
2017), from the first non-empty bin a fixed random probe sequence reaches, and wrap as datasketch
``LeanMinHash`` objects (``as_lean_minhash``) for datasketch's LSH and storage. Texts are
fingerprinted many at a time, as whole arrays, because per-call costs, not arithmetic, are what
Python spends its time on.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

from .normalise import Words, word_codes

SHINGLE = 4  # words per shingle
WINDOW = 50  # words per fingerprinted window
STEP = 25  # a text audited is fingerprinted every STEP words: any copied run of 75 fills one
SOURCE_STEP = 50  # a source is fingerprinted every WINDOW words: half the keys to store
BANDS = 8
ROWS = 1  # one row a band: a window's least shingle in one bin is a key
BINS = BANDS * ROWS  # a window's signature
NUM_PERM = 128  # a whole text's signature (``signatures``), as datasketch's default
SEED = 1  # of the hash functions, for datasketch's LeanMinHash

# Stored with each index: an index built with other parameters must be rebuilt.
PARAMETERS = (
    f"oph/bins={BINS}/shingle={SHINGLE}/window={WINDOW}:{SOURCE_STEP}"
    f"/bands={BANDS}x{ROWS}/hash=poly64-words/norm=2"
)

_EMPTY = np.uint32(0xFFFFFFFF)  # a bin no shingle fell in (no shingle takes this value)
_MAX_WORD = 1024  # characters of a word that count in its hash
_SEGMENT = 1 << 20  # characters hashed together (the power tables' size)
_CHUNK = 1 << 18  # characters of text fingerprinted together
_PRIME = 0x100000001B3  # odd, so its powers are invertible modulo 2**64
# Odd multipliers that combine a shingle's word hashes, one per position in the shingle.
_POSITION = np.array(
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x27D4EB2F165667C5,
     0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53, 0x85EBCA77C2B2AE63, 0xD6E8FEB86659FD93],
    dtype=np.uint64,
)  # fmt: skip


@dataclass(frozen=True)
class Fingerprint:
    """Signatures of a text's windows (one row each) and the band keys an index stores or looks
    up (distinct, sorted)."""

    windows: np.ndarray
    band_keys: np.ndarray


def fingerprints(texts: Sequence[str], step: int = STEP) -> list[Fingerprint]:
    """Fingerprint each of ``texts``, with a window every ``step`` words."""
    return [fp for chunk in _chunks(texts) for fp in _fingerprints(word_codes(chunk), step)]


def fingerprint(words: Sequence[str], step: int = STEP) -> Fingerprint:
    """Fingerprint a text given as its words in comparison form (``normalise.tokens``)."""
    return _fingerprints(_as_words(words), step)[0]


def signatures(
    texts: Sequence[str], shingle: int = SHINGLE, num_perm: int = NUM_PERM
) -> np.ndarray:
    """One signature of ``num_perm`` values (a power of two) per text, over all its shingles
    of ``shingle`` words; a text without words gets ``_EMPTY`` values."""
    found = [np.empty((0, num_perm), dtype=np.uint32)]
    for chunk in _chunks(texts):
        shingles, counts = _shingles(word_codes(chunk), shingle)
        found.append(_densified(_minhash(shingles, _offsets(counts), counts, len(chunk), num_perm)))
    return np.concatenate(found)


def _chunks(texts: Sequence[str]) -> Iterator[Sequence[str]]:
    """``texts`` a few at a time: arrays of about ``_CHUNK`` characters stay in the CPU's
    caches, and are the fastest to work on."""
    first, size = 0, 0
    for number, text in enumerate(texts):
        size += len(text)
        if size >= _CHUNK:
            yield texts[first : number + 1]
            first, size = number + 1, 0
    if first < len(texts):
        yield texts[first:]


def as_lean_minhash(signature: np.ndarray) -> object:
    """``signature`` as a datasketch ``LeanMinHash``, for its LSH, storage and estimates.

    It is labelled with datasketch's 32-bit scheme, whose values and empty marker ours share;
    like any signatures, it compares only with signatures made the same way (by this module)."""
    from datasketch import LeanMinHash

    return LeanMinHash(seed=SEED, hashvalues=signature, scheme="affine32")


def _as_words(words: Sequence[str]) -> Words:
    lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
    ends = np.cumsum(lengths + 1) - 1  # words laid out with a space after each
    chars = np.frombuffer(" ".join(words).encode("utf-32-le", "surrogatepass"), dtype="<u4")
    return Words(chars, ends - lengths, ends, np.array([len(words)]))


def _fingerprints(words: Words, step: int) -> list[Fingerprint]:
    shingles, counts = _shingles(words, SHINGLE)
    span = WINDOW - SHINGLE + 1  # shingles a window holds
    # windows per text: every ``step`` shingles, and one more for a tail that step missed
    full = np.maximum(counts - span, 0) // step + 1
    windows = full + ((full - 1) * step + span < counts)
    windows[counts == 0] = 0
    text = np.repeat(np.arange(len(counts)), windows)
    nth = np.arange(len(text)) - np.repeat(_offsets(windows), windows)
    local = np.minimum(nth * step, np.maximum(counts[text] - span, 0))
    lengths = np.minimum(counts[text], span)
    starts = _offsets(counts)[text] + local
    signature = _minhash(shingles, starts, lengths, len(text), BINS)
    # Each text's distinct band keys, sorted: all texts' keys sorted at once, repeats and
    # those of empty bins dropped.
    filled = _filled_bands(signature).ravel()
    keys, owner = _band_keys(signature).ravel()[filled], np.repeat(text, BANDS)[filled]
    order = np.lexsort((keys, owner))
    keys, owner = keys[order], owner[order]
    new = np.ones(len(keys), dtype=bool)
    new[1:] = (keys[1:] != keys[:-1]) | (owner[1:] != owner[:-1])
    keys, owner = keys[new], owner[new]
    window_bounds = np.concatenate([[0], np.cumsum(windows)]).tolist()
    key_bounds = np.searchsorted(owner, np.arange(len(counts) + 1)).tolist()
    return [
        Fingerprint(signature[a:b], keys[c:d])
        for a, b, c, d in zip(
            window_bounds, window_bounds[1:], key_bounds, key_bounds[1:], strict=False
        )
    ]


def _offsets(counts: np.ndarray) -> np.ndarray:
    """Where each of several runs of ``counts`` items starts when laid end to end."""
    return np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)


@cache
def _powers() -> tuple[np.ndarray, np.ndarray]:
    """``_PRIME`` to the powers 0 .. _SEGMENT + _MAX_WORD, and their inverses modulo 2**64."""
    size = _SEGMENT + _MAX_WORD + 1
    inverse = pow(_PRIME, -1, 1 << 64)
    with np.errstate(over="ignore"):
        power = np.cumprod(np.full(size, _PRIME, dtype=np.uint64))
        inverse_power = np.cumprod(np.full(size, inverse, dtype=np.uint64))
    one = np.ones(1, dtype=np.uint64)
    power, inverse_power = (np.concatenate([one, p[:-1]]) for p in (power, inverse_power))
    return power, inverse_power


def _word_hashes(words: Words) -> np.ndarray:
    """A 64-bit hash of each word: a polynomial in ``_PRIME`` over its code points (the first
    ``_MAX_WORD`` of them), from prefix sums over whole segments of text at once."""
    power, inverse_power = _powers()
    starts = words.starts
    ends = np.minimum(words.ends, starts + _MAX_WORD)
    hashes = np.empty(len(starts), dtype=np.uint64)
    first = 0
    while first < len(starts):
        base = int(starts[first])
        last = int(np.searchsorted(starts, base + _SEGMENT, side="right"))
        end = int(ends[last - 1])
        chars = words.chars[base:end]
        prefix = np.zeros(len(chars) + 1, dtype=np.uint64)
        np.multiply(chars, power[: len(chars)], out=prefix[1:])
        np.cumsum(prefix[1:], out=prefix[1:])
        s, e = starts[first:last] - base, ends[first:last] - base
        hashes[first:last] = (prefix[e] - prefix[s]) * inverse_power[s]
        first = last
    return _mix64(hashes)


def _shingles(words: Words, size: int) -> tuple[np.ndarray, np.ndarray]:
    """The 64-bit hashes of each text's ``size``-word shingles, texts one after another, and
    how many each text has (a text shorter than a shingle has one, of all its words)."""
    hashes = _word_hashes(words)
    counts = words.counts
    combined = np.zeros(max(len(hashes) - size + 1, 0), dtype=np.uint64)
    for position in range(size):
        combined += hashes[position : position + len(combined)] * _POSITION[position]
    text = np.repeat(np.arange(len(counts)), counts)
    shingles = combined[text[: len(combined)] == text[size - 1 :]]
    short = np.flatnonzero((counts > 0) & (counts < size))
    if len(short):  # one shingle each, of every word
        firsts = _offsets(counts)[short]
        alone = np.zeros(len(short), dtype=np.uint64)
        for position in range(size - 1):
            present = counts[short] > position
            alone[present] += hashes[firsts[present] + position] * _POSITION[position]
        at = _offsets(np.maximum(counts - size + 1, 0))[short]
        shingles = np.insert(shingles, at, alone)
    return _mix64(shingles), np.where(counts > 0, np.maximum(counts - size + 1, 1), 0)


def _minhash(
    shingles: np.ndarray, starts: np.ndarray, lengths: np.ndarray, count: int, bins: int
) -> np.ndarray:
    """One-permutation MinHash of ``count`` runs of shingles (run ``i``: ``lengths[i]`` from
    ``starts[i]``): each run's least value in each of ``bins`` bins, ``_EMPTY`` if none."""
    run = np.repeat(np.arange(count), lengths)
    index = np.arange(len(run)) - np.repeat(_offsets(lengths) - starts, lengths)
    hashes = shingles[index]
    shift = np.uint64(64 - (bins.bit_length() - 1))
    cells = run * bins + (hashes >> shift).astype(np.int64)
    values = np.minimum(hashes & np.uint64(0xFFFFFFFF), np.uint64(_EMPTY - 1)).astype(np.uint32)
    signature = np.full(count * bins, _EMPTY, dtype=np.uint32)
    np.minimum.at(signature, cells, values)
    return signature.reshape(count, bins)


@cache
def _probes(bins: int) -> np.ndarray:
    """Each bin's probe sequence for densification: row ``t`` holds every bin's ``t``-th probe.
    Fixed, so that equal shingles fill equal bins in every signature."""
    return np.random.default_rng(0x5EED).integers(0, bins, size=(4 * bins, bins))


def _densified(signature: np.ndarray) -> np.ndarray:
    """Empty bins filled with the value of the first non-empty bin their probes reach."""
    rows, bins = np.nonzero(signature == _EMPTY)
    if not len(rows):
        return signature
    filled = signature.copy()
    for probe in _probes(signature.shape[1]):
        found = signature[rows, probe[bins]]
        take = found != _EMPTY
        filled[rows[take], bins[take]] = found[take]
        rows, bins = rows[~take], bins[~take]
        if not len(rows):
            return filled
    # Probes that never met a shingle (a text of a few words, or none): the first non-empty bin.
    first = (signature[rows] != _EMPTY).argmax(axis=1)
    filled[rows, bins] = signature[rows, first]
    return filled


@cache
def _band_salts() -> np.ndarray:
    """One 64-bit salt per band, so equal rows in different bands give different keys."""
    return _mix64(np.arange(1, BANDS + 1, dtype=np.uint64) * np.uint64(_PRIME))


def _band_keys(signatures: np.ndarray) -> np.ndarray:
    """Signed 64-bit keys, one per band of each signature (rows: signatures), for SQLite."""
    rows = signatures.astype(np.uint64).reshape(len(signatures), BANDS, ROWS)
    key = np.broadcast_to(_band_salts(), rows.shape[:2])
    for row in range(ROWS):
        key = _mix64(key ^ rows[:, :, row])
    return key.view(np.int64)


def _mix64(key: np.ndarray) -> np.ndarray:
    """splitmix64's finalizer: every bit of the input affects every bit of the key."""
    with np.errstate(over="ignore"):
        key = (key ^ (key >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        key = (key ^ (key >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return key ^ (key >> np.uint64(31))


def band_keys(signature: np.ndarray) -> list[int]:
    """The keys of one window's signature (none for an empty bin), as SQLite integers."""
    keys = _band_keys(signature[None, :])[0]
    found: list[int] = keys[_filled_bands(signature[None, :])[0]].tolist()
    return found


def _filled_bands(signatures: np.ndarray) -> np.ndarray:
    """Whether each band of each signature has a shingle in every row (an empty bin is no
    evidence of anything: it gives no key)."""
    filled = signatures.reshape(len(signatures), BANDS, ROWS) != _EMPTY
    return filled.all(axis=2)
