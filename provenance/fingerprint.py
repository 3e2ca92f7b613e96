"""MinHash fingerprints of overlapping windows of a text, and the LSH band keys that find them.

A whole-document signature estimates Jaccard similarity, which is low for an excerpt or a
passage embedded in a longer article even though all of it is copied. Fingerprinting windows of
``WINDOW`` words instead makes a copied passage look like a near-duplicate of the source window
it came from, whatever surrounds it. Signatures are datasketch ``MinHash`` objects
(``scheme="affine32"``), so they stay usable with datasketch's own LSH and storage backends.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np
from datasketch import MinHash

NUM_PERM = 128
SHINGLE = 4  # words per shingle
WINDOW = 50  # words per fingerprinted window
STEP = 25  # windows overlap by half, so any copied run of WINDOW + STEP words fills a window
BANDS = 64
_WINDOWS_AT_ONCE = 256  # windows permuted together: memory stays flat however long the text
ROWS = NUM_PERM // BANDS  # 2 rows a band: windows sharing a fifth of their shingles meet

# Stored with each index: an index built with other parameters must be rebuilt.
PARAMETERS = (
    f"minhash-affine32/perm={NUM_PERM}/shingle={SHINGLE}/window={WINDOW}:{STEP}/bands={BANDS}"
    "/hash=blake2b-words/norm=2"
)

# Odd multipliers that combine a shingle's word hashes, one per position in the shingle.
_POSITION = np.array(
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x27D4EB2F165667C5][:SHINGLE],
    dtype=np.uint64,
)
# datasketch's MurmurHash3 32-bit finalizer, applied before its affine32 permutations.
_FMIX32 = (16, 0x85EBCA6B, 13, 0xC2B2AE35, 16)


@dataclass(frozen=True)
class Fingerprint:
    """Signatures of a text's windows and the band keys an index stores or looks up."""

    windows: tuple[np.ndarray, ...]

    @property
    def band_keys(self) -> set[int]:
        if not self.windows:
            return set()
        return set(_band_keys(np.stack(self.windows)).ravel().tolist())


@cache
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    a, b = MinHash(num_perm=NUM_PERM, scheme="affine32").permutations
    return a.astype(np.uint32), b.astype(np.uint32)


@lru_cache(maxsize=1 << 20)
def _word_hash(word: str) -> int:
    return int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "little")


def shingle_hashes(words: Sequence[str]) -> np.ndarray:
    """32-bit hashes of the text's ``SHINGLE``-word shingles (one shingle for a shorter text).

    Each distinct word is hashed once and a shingle's hash combines its words' hashes, so a
    text costs one hash per word, not one per shingle."""
    if not words:
        return np.zeros(0, dtype=np.uint32)
    hashed = np.fromiter((_word_hash(w) for w in words), dtype=np.uint64, count=len(words))
    width = min(SHINGLE, len(words))
    count = len(words) - width + 1
    combined = np.zeros(count, dtype=np.uint64)
    for position in range(width):
        combined += hashed[position : position + count] * _POSITION[position]
    return (combined >> np.uint64(32)).astype(np.uint32)


def _permuted(hashes: np.ndarray) -> np.ndarray:
    """Every shingle under every permutation, exactly as datasketch's affine32 ``MinHash``
    computes them: shape (shingles, NUM_PERM)."""
    s1, m1, s2, m2, s3 = _FMIX32
    h = hashes.astype(np.uint32)
    h = (h ^ (h >> np.uint32(s1))) * np.uint32(m1)
    h = (h ^ (h >> np.uint32(s2))) * np.uint32(m2)
    h = h ^ (h >> np.uint32(s3))
    a, b = _permutations()
    return h[:, None] * a[None, :] + b[None, :]


def minhash(hashes: np.ndarray) -> MinHash:
    """A datasketch MinHash over already-hashed shingles (the reference ``fingerprint`` matches)."""
    signature = MinHash(num_perm=NUM_PERM, scheme="affine32", hashfunc=int)
    signature.update_batch(hashes.tolist())
    return signature


def fingerprint(words: Sequence[str]) -> Fingerprint:
    """Fingerprint a text given as its normalised words (see ``normalise.tokens``)."""
    hashes = shingle_hashes(words)
    if not len(hashes):
        return Fingerprint(())
    span = WINDOW - SHINGLE + 1  # shingles a window holds
    starts = list(range(0, max(len(hashes) - span, 0) + 1, STEP))
    if starts[-1] + span < len(hashes):  # the tail the last full step did not reach
        starts.append(len(hashes) - span)
    windows: list[np.ndarray] = []
    for i in range(0, len(starts), _WINDOWS_AT_ONCE):
        group = starts[i : i + _WINDOWS_AT_ONCE]
        # Each shingle of the group is permuted once, though its windows overlap.
        permuted = _permuted(hashes[group[0] : group[-1] + span])
        windows.extend(permuted[s - group[0] : s - group[0] + span].min(axis=0) for s in group)
    return Fingerprint(tuple(windows))


@cache
def _band_salts() -> np.ndarray:
    """One 64-bit salt per band, so equal rows in different bands give different keys."""
    return np.array([_word_hash(f"band {band}") for band in range(BANDS)], dtype=np.uint64)


def _band_keys(signatures: np.ndarray) -> np.ndarray:
    """Signed 64-bit keys, one per band of each signature (rows: signatures), for SQLite."""
    rows = signatures.astype(np.uint64).reshape(len(signatures), BANDS, ROWS)
    key = np.broadcast_to(_band_salts(), rows.shape[:2])
    for row in range(ROWS):
        key = _mix64(key ^ rows[:, :, row])
    return key.view(np.int64)


def _mix64(key: np.ndarray) -> np.ndarray:
    """splitmix64's finalizer: every bit of the input affects every bit of the key."""
    key = (key ^ (key >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    key = (key ^ (key >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return key ^ (key >> np.uint64(31))


def band_keys(signature: np.ndarray) -> list[int]:
    """One signed 64-bit key per band (band number included), as SQLite integers."""
    keys: list[int] = _band_keys(signature[None, :])[0].tolist()
    return keys
