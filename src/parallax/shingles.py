"""Word shingles and their 64-bit hashes, vectorised: what near-duplicate detection compares.

A text's shingles are its case-folded `\\w+` words, `size` in a row. `word_shingles` is the plain reference;
`shingle_hash_sets` computes the same sets as sorted, distinct 64-bit hashes for a batch of texts in NumPy
(never per character in Python), and a property test holds the two together. Each word's UTF-8 bytes (up to
16, read as two 64-bit ints; longer words by BLAKE2b) are mixed with SplitMix64, `size` word hashes are
combined per shingle and mixed again. The hashes are a fixed function of the text, independent of any MinHash
library, so stored hashes stay comparable across versions of the one that makes signatures.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np
import numpy.typing as npt

__all__ = ["Hashes", "exact_jaccard", "hashed_jaccard", "shingle_hash_sets", "shingle_hashes", "word_shingles"]

Hashes = npt.NDArray[np.uint64]
_TOKEN = re.compile(r"\w+")
_WORD_MULTIPLIER = 0x9E3779B97F4A7C15  # golden-ratio constant, odd
_SEPARATOR = 0x20
_ASCII_WORDS = bytes(
    (c | 0x20 if chr(c).isupper() else c) if chr(c).isalnum() or c == ord("_") else _SEPARATOR for c in range(128)
) + bytes(range(128, 256))
"""Translation table: ASCII capitals become lower case (their case folding), the other ASCII bytes `\\w` does
not match become spaces; bytes of multi-byte characters are handled by `_fold_characters`."""
_PACKED = 8
_LOW_BYTES = np.array([(1 << (8 * n)) - 1 for n in range(_PACKED)] + [(1 << 64) - 1], dtype=np.uint64)
"""Masks keeping the first n bytes of a little-endian packed word, n = 0..8."""


def word_shingles(text: str, size: int = 5) -> set[tuple[str, ...]]:
    """Return the exact word shingles of text (reference implementation; `shingle_hashes` hashes the same set).

    A text with fewer than `size` words has one shorter shingle; a text without words has none.
    """
    words = _TOKEN.findall(text.casefold())
    if not words:
        return set()
    count = max(1, len(words) - size + 1)
    return {tuple(words[i : i + size]) for i in range(count)}


def exact_jaccard(first: set[tuple[str, ...]], second: set[tuple[str, ...]]) -> float:
    """Return |A ∩ B| / |A ∪ B| of two shingle sets (0 when both are empty)."""
    union = len(first | second)
    return len(first & second) / union if union else 0.0


def _mix(values: Hashes) -> Hashes:
    """SplitMix64 finaliser, so nearby inputs give unrelated 64-bit hashes."""
    values = values ^ (values >> np.uint64(30))
    values = values * np.uint64(0xBF58476D1CE4E5B9)
    values = values ^ (values >> np.uint64(27))
    values = values * np.uint64(0x94D049BB133111EB)
    return values ^ (values >> np.uint64(31))


def _character_rule(raw: bytes) -> bytes | None:
    """What a multi-byte character's bytes become: its case folding if that is a word of the same length, spaces
    if it is no word character, None when neither (the whole text is then case-folded as a string)."""
    folded = raw.decode("utf-8", "surrogatepass").casefold()
    if not any(character.isalnum() or character == "_" for character in folded):
        return b" " * len(raw)
    replacement = folded.encode("utf-8", "surrogatepass")
    if len(replacement) == len(raw) and all(character.isalnum() or character == "_" for character in folded):
        return replacement
    return None


def _fold_characters(data: npt.NDArray[np.uint8], text_starts: npt.NDArray[np.intp]) -> list[int]:
    """Case-fold, in place, the multi-byte UTF-8 characters of data and blank those `\\w` does not match (’, —);
    return the indexes of the texts holding a character this cannot do (its folding changes length: ß → ss)."""
    leads = np.flatnonzero(data >= 0xC0)
    if leads.size == 0:
        return []
    lengths = np.where(data[leads] >= 0xF0, 4, np.where(data[leads] >= 0xE0, 3, 2))
    codes = np.zeros(leads.size, dtype=np.uint32)
    for offset in range(4):  # each character's bytes packed into one int, to decide once per distinct one
        inside = lengths > offset
        codes[inside] |= data[leads[inside] + offset].astype(np.uint32) << np.uint32(8 * offset)
    distinct = np.unique(codes)
    replacements = np.zeros((distinct.size, 4), dtype=np.uint8)
    changed = np.zeros(distinct.size, dtype=bool)
    whole_text = np.zeros(distinct.size, dtype=bool)
    for row, code in enumerate(distinct.tolist()):
        raw = code.to_bytes(4, "little").rstrip(b"\0")
        rule = _character_rule(raw)
        if rule is None:
            whole_text[row] = True
        elif rule != raw:
            changed[row] = True
            replacements[row, : len(rule)] = np.frombuffer(rule, dtype=np.uint8)
    which = np.searchsorted(distinct, codes)
    for offset in range(4):
        chosen = changed[which] & (lengths > offset)
        data[leads[chosen] + offset] = replacements[which[chosen], offset]
    holders = np.searchsorted(text_starts, leads[whole_text[which]], side="right") - 1
    return [int(text) for text in np.unique(holders).tolist()]


def _joined(encoded: list[bytes]) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.intp], int]:
    """The texts' bytes joined by a newline (which `\\w` never matches, so no word spans two texts), ASCII
    folded and blanked, zero-padded so that 16-byte reads past the end stay in bounds; with each text's start."""
    joined = b"\n".join(encoded).translate(_ASCII_WORDS)
    data = np.zeros(len(joined) + 2 * _PACKED, dtype=np.uint8)
    data[: len(joined)] = np.frombuffer(joined, dtype=np.uint8)
    text_starts = np.cumsum([0] + [len(text) + 1 for text in encoded[:-1]])
    return data, text_starts, len(joined)


def _long_word_hash(word: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(word, digest_size=8).digest(), "little")


def _word_hashes(texts: list[str]) -> tuple[Hashes, npt.NDArray[np.intp]]:
    """Hash every case-folded `\\w+` word of several texts, and count each text's words.

    The texts are UTF-8 encoded and joined (`_joined`), case-folded character by character in the bytes
    (`_fold_characters`: Python's `str.casefold` maps each character on its own, so this is the same), and
    every byte that is not part of a word becomes a space. A word of up to 16 bytes is then
    read straight from the buffer as two little-endian 64-bit ints (its bytes, zero-padded: exact, no
    collision) and mixed; a longer word (rare) is hashed with BLAKE2b. NumPy works per word and per batch,
    never per character in Python, which is where a regex tokenizer spends its time.
    """
    encoded = [text.encode("utf-8", "surrogatepass") for text in texts]
    data, text_starts, size = _joined(encoded)
    whole_text = _fold_characters(data[:size], text_starts)
    if whole_text:  # rare: a character whose case folding is longer or shorter (ß → ss, İ → i̇)
        for text in whole_text:
            encoded[text] = texts[text].casefold().encode("utf-8", "surrogatepass")
        data, text_starts, size = _joined(encoded)
        _fold_characters(data[:size], text_starts)
    is_word = np.zeros(size + 2, dtype=bool)
    is_word[1:-1] = data[:size] != _SEPARATOR
    boundaries = np.flatnonzero(is_word[1:] != is_word[:-1])  # a word's start and end alternate
    starts, ends = boundaries[0::2], boundaries[1::2]
    words_per_text = np.diff(np.searchsorted(starts, text_starts), append=starts.size)
    packed = np.ndarray((size + _PACKED,), dtype="<u8", buffer=data, strides=(1,))
    lengths = ends - starts
    low = packed[starts]
    low &= _LOW_BYTES[np.minimum(lengths, _PACKED)]
    high = np.zeros_like(low)
    beyond = np.flatnonzero(lengths > _PACKED)  # most words fit in 8 bytes
    high[beyond] = packed[starts[beyond] + _PACKED] & _LOW_BYTES[np.minimum(lengths[beyond] - _PACKED, _PACKED)]
    hashes = _mix(low + high * np.uint64(_WORD_MULTIPLIER))  # a word of <= 8 bytes: high is 0, mix is bijective
    for position in np.flatnonzero(lengths > 2 * _PACKED).tolist():
        word = bytes(data[starts[position] : ends[position]])
        hashes[position] = _long_word_hash(word)
    return hashes, words_per_text


def _sorted_distinct(values: Hashes) -> Hashes:
    values = np.sort(values)
    keep = np.empty(values.size, dtype=bool)
    keep[:1] = True
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values[keep]


def _combine(words: Hashes, width: int) -> Hashes:
    """Hash every run of `width` consecutive word hashes (one value per window start)."""
    count = words.size - width + 1
    combined = np.full(count, np.uint64(width), dtype=np.uint64)
    for offset in range(width):
        combined = combined * np.uint64(_WORD_MULTIPLIER) + words[offset : offset + count]
    return _mix(combined)


def shingle_hash_sets(texts: list[str], size: int = 5) -> list[Hashes]:
    """Return, for each text, the sorted, distinct 64-bit hashes of its word shingles (see `word_shingles`)."""
    if not texts:
        return []
    words, words_per_text = _word_hashes(texts)
    windows = _combine(words, size) if words.size >= size else np.empty(0, dtype=np.uint64)
    first_word = np.concatenate(([0], np.cumsum(words_per_text)[:-1])).tolist()
    result: list[Hashes] = []
    for first, count in zip(first_word, words_per_text.tolist(), strict=True):
        if count >= size:  # windows that start in this text and end in it
            result.append(_sorted_distinct(windows[first : first + count - size + 1]))
        elif count:  # fewer words than a shingle: one shorter shingle
            result.append(_combine(words[first : first + count], count))
        else:
            result.append(np.empty(0, dtype=np.uint64))
    return result


def shingle_hashes(text: str, size: int = 5) -> Hashes:
    """Return the sorted, distinct 64-bit hashes of text's word shingles (see `word_shingles`)."""
    return shingle_hash_sets([text], size)[0]


def hashed_jaccard(first: Hashes, second: Hashes) -> tuple[float, int]:
    """Exact Jaccard of two sorted distinct hash arrays, with the size of their intersection."""
    shared = np.intersect1d(first, second, assume_unique=True).size
    union = first.size + second.size - shared
    return (shared / union if union else 0.0), shared
