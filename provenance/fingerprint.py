"""MinHash fingerprints of overlapping windows of a text, and the LSH band keys that find them.

A whole-document signature estimates Jaccard similarity, which is low for an excerpt or a
passage embedded in a longer article even though all of it is copied. Fingerprinting windows of
``WINDOW`` words instead makes a copied passage look like a near-duplicate of the source window
it came from, whatever surrounds it. Signatures are datasketch ``MinHash`` objects
(``scheme="affine32"``), so they stay usable with datasketch's own LSH and storage backends.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
from datasketch import MinHash
from datasketch.hashfunc import sha1_hash32

NUM_PERM = 128
SHINGLE = 5  # words per shingle
WINDOW = 50  # words per fingerprinted window
STEP = 25  # windows overlap by half, so any copied run of WINDOW + STEP words fills a window
BANDS = 32
ROWS = NUM_PERM // BANDS  # 4 rows a band: windows sharing about 40 % of shingles meet

# Stored with each index: an index built with other parameters must be rebuilt.
PARAMETERS = (
    f"minhash-affine32/perm={NUM_PERM}/shingle={SHINGLE}/window={WINDOW}:{STEP}/bands={BANDS}"
    "/norm=2"  # the words ``normalise.tokens`` makes: bump when they change
)


@dataclass(frozen=True)
class Fingerprint:
    """Signatures of a text's windows and the band keys an index stores or looks up."""

    windows: tuple[np.ndarray, ...]

    @property
    def band_keys(self) -> set[int]:
        return {key for signature in self.windows for key in band_keys(signature)}


@cache
def _permutations() -> np.ndarray:
    return MinHash(num_perm=NUM_PERM, scheme="affine32").permutations


def _shingle_hashes(words: Sequence[str]) -> np.ndarray:
    count = max(len(words) - SHINGLE + 1, 1) if words else 0
    hashes = [sha1_hash32(" ".join(words[i : i + SHINGLE]).encode()) for i in range(count)]
    return np.array(hashes, dtype=np.uint32)


def minhash(hashes: np.ndarray) -> MinHash:
    """A datasketch MinHash over already-hashed shingles."""
    signature = MinHash(
        num_perm=NUM_PERM, scheme="affine32", hashfunc=int, permutations=_permutations()
    )
    signature.update_batch(hashes)
    return signature


def fingerprint(words: Sequence[str]) -> Fingerprint:
    """Fingerprint a text given as its normalised words (see ``normalise.tokens``)."""
    hashes = _shingle_hashes(words)
    if not len(hashes):
        return Fingerprint(())
    span = WINDOW - SHINGLE + 1  # shingles a window holds
    starts = range(0, max(len(hashes) - span, 0) + 1, STEP)
    windows = [minhash(hashes[s : s + span]).hashvalues for s in starts]
    if starts[-1] + span < len(hashes):  # the tail the last full step did not reach
        windows.append(minhash(hashes[-span:]).hashvalues)
    return Fingerprint(tuple(windows))


def band_keys(signature: np.ndarray) -> list[int]:
    """One signed 64-bit key per band (band number included), as SQLite integers."""
    keys = []
    for band in range(BANDS):
        chunk = signature[band * ROWS : (band + 1) * ROWS].astype("<u4").tobytes()
        digest = hashlib.blake2b(chunk, digest_size=8, salt=struct.pack("<Q", band)).digest()
        keys.append(struct.unpack("<q", digest)[0])
    return keys
