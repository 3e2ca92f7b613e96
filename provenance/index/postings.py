"""Postings (band key, source number) packed into blocks, the way the SQLite index stores them.

A row per posting costs SQLite about a microsecond to write, and a news article has about a
hundred band keys: a million rows for 10,000 articles. Instead, postings are grouped into blocks
by the key's top bits (its ``prefix``), about ``BLOCK`` postings to a block, and a block is one
row of two arrays. A lookup computes the prefixes of the keys it wants and reads
those blocks only.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

BLOCK = 128  # postings per block, at most on average: small blocks keep lookups' reads small
_MAX_BITS = 32  # prefix bits, at most: billions of blocks, and prefixes sort in two passes
_KEY = np.dtype("<i8")  # band keys and source numbers are stored as little-endian int64

Block = tuple[int, bytes, bytes]  # (prefix, keys, source numbers)


def shift_for(count: int) -> int:
    """The right shift that turns a key into its prefix when ``count`` postings are cut into
    blocks of about ``BLOCK``: fewer prefix bits for fewer postings."""
    blocks = max(count // BLOCK, 1)
    return 64 - min(max(blocks.bit_length(), 1), _MAX_BITS)


def _by_prefix(prefixes: np.ndarray, shift: int) -> np.ndarray:
    """The order that groups postings by prefix, keeping the order within each: numpy's radix
    sort of 16-bit values, in one pass (up to 65,536 blocks) or two (up to ``_MAX_BITS``, 32),
    several times quicker than sorting 64-bit keys."""
    bits = 64 - shift
    assert bits <= 32, "two passes of 16 bits"
    offsets = prefixes + (1 << (bits - 1))  # from 0 up to 2 ** bits
    low = np.argsort((offsets & 0xFFFF).astype(np.uint16), kind="stable")
    if bits <= 16:
        return low
    return low[np.argsort((offsets[low] >> 16).astype(np.uint16), kind="stable")]


def encode(keys: np.ndarray, sources: np.ndarray, shift: int) -> list[Block]:
    """Postings cut into blocks by ``keys >> shift``, in order of prefix. (Within a block they
    stay in the order given: lookups find keys by comparison, not by search.)"""
    if not len(keys):
        return []
    prefixes = keys >> shift
    order = _by_prefix(prefixes, shift)
    keys, sources, prefixes = keys[order], sources[order], prefixes[order]
    starts = np.flatnonzero(np.diff(prefixes, prepend=prefixes[0] - 1))  # each block's first
    edges = (np.append(starts, len(keys)) * _KEY.itemsize).tolist()
    key_bytes, source_bytes = keys.astype(_KEY).tobytes(), sources.astype(_KEY).tobytes()
    return [
        (prefix, key_bytes[start:end], source_bytes[start:end])
        for prefix, start, end in zip(prefixes[starts].tolist(), edges[:-1], edges[1:], strict=True)
    ]


def decode(blocks: Iterable[tuple[bytes, bytes]]) -> tuple[np.ndarray, np.ndarray]:
    """The postings of (keys, sources) blobs, concatenated in the order given."""
    key_blobs, source_blobs = [], []
    for key_blob, source_blob in blocks:
        key_blobs.append(key_blob)
        source_blobs.append(source_blob)
    keys = np.frombuffer(b"".join(key_blobs), _KEY).astype(np.int64)
    sources = np.frombuffer(b"".join(source_blobs), _KEY).astype(np.int64)
    if len(keys) != len(sources):
        raise ValueError("a block holds more keys than sources, or fewer")
    return keys, sources
