"""Save and restore an online clusterer, so that a store's stories can grow with new articles without re-clustering
the articles already in them.

Used by `pipeline.update_stories`. What is saved is what `cluster.online.v2` carries from one article to the next,
and nothing that grows with the stream:

- the running document frequencies of each channel (`online_vectors.RunningIdf`: fixed size);
- the story index: each indexed story's members, seed sums, date span and quiet flag, its sketch row and slot
  (active stories first), and the order in which stories were last joined (the oldest leaves the index first);
- the clock (the newest date seen), how many stories it has started, and the centrality of the indexed stories'
  members (a story's title is its most central titled article).

A restored clusterer takes the next article exactly as the clusterer that was saved would have: feeding a stream
in two parts, with a save and a restore between them, gives the stories of feeding it at once (a test). Quiet
stories that left the index are not saved (no later article can join them), nor the assignments of articles
already stored: a restored clusterer's `clustering()` holds the indexed stories and what joins them, not every
story ever made (the store has those).

The format is NumPy's `.npz`, uncompressed (arrays, and the keys, members and centralities as JSON text), read with
`allow_pickle=False`: restoring a state from a shared database never runs code from it. `state_method` names
the method, the format and a digest of the clusterer's settings; a state saved under other settings is not
restored (the caller re-clusters instead).
"""

from __future__ import annotations

import hashlib
import heapq
import io
import json
import zipfile
from typing import Any

import numpy as np
from numpy.typing import NDArray

from parallax.online import METHOD, OnlineClusterer, OnlineOptions
from parallax.online_features import StoryProfile
from parallax.online_vectors import HASH_BITS, SKETCH_SIZE, RunningIdf, SparseVector

__all__ = ["STATE_FORMAT", "dump_state", "load_state", "state_method"]

STATE_FORMAT = 1
CHANNELS = ("text", "pairs", "title", "lead", "names", "numbers")
_IDFS = ("words", "word_pairs", "name_idf", "number_idf")


def state_method(options: OnlineOptions) -> str:
    """The method, the state format and a digest of every setting that changes what the clusterer decides."""
    settings = json.dumps(
        [
            list(options.weights),
            options.bias,
            options.threshold,
            options.quiet_days,
            options.max_stories,
            options.candidates,
            HASH_BITS,
            SKETCH_SIZE,
        ],
    )
    return f"{METHOD}+state.v{STATE_FORMAT}:{hashlib.sha256(settings.encode()).hexdigest()[:16]}"


def dump_state(clusterer: OnlineClusterer) -> bytes:
    """The clusterer's state, as `.npz` bytes."""
    index = clusterer.index
    stories = index.stories
    arrays: dict[str, NDArray[Any]] = {
        "sketches": index.sketches[: len(stories)],
        "seed_counts": index.seeds[: len(stories)],
    }
    for name in _IDFS:
        arrays[f"idf_{name}"] = getattr(clusterer.vectorize, name).counts
    for channel in CHANNELS:
        vectors: list[SparseVector] = [getattr(story, channel) for story in stories]
        arrays[f"{channel}_lengths"] = np.array([len(v.index) for v in vectors], dtype=np.int64)
        arrays[f"{channel}_index"] = _joined([v.index for v in vectors], np.int32)  # buckets < 2**HASH_BITS
        arrays[f"{channel}_values"] = _joined([v.values for v in vectors], np.float64)
    members = {m for story in stories for m in story.members}
    meta = {
        "format": STATE_FORMAT,
        "method": state_method(clusterer.options),
        "documents": {name: getattr(clusterer.vectorize, name).documents for name in _IDFS},
        "active": index.active,
        "stories_started": clusterer.stories_started,
        "clock": clusterer._clock,  # the clusterer's own state, saved by its companion module
        "stories": [
            {
                "key": s.key,
                "members": s.members,
                "seeds": s.seeds,
                "first_day": s.first_day,
                "last_day": s.last_day,
                "quiet": s.quiet,
            }
            for s in stories
        ],
        "recent": list(clusterer._recent),
        "centrality": {m: clusterer.centrality[m] for m in sorted(members)},
    }
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    out = io.BytesIO()
    # Not compressed: the sums' float64 weights hardly compress, and deflating them made a save several times
    # slower (`benchmarks/bench_update.py` records the stored size as `checkpoint_bytes`).
    np.savez(out, **arrays)  # type: ignore[arg-type]  # numpy's stub wants a positional array
    return out.getvalue()


def load_state(data: bytes, options: OnlineOptions) -> OnlineClusterer:
    """A clusterer with `options` in the saved state; ValueError when the state is not one `dump_state` wrote under
    these settings (a damaged or foreign value included: it is checked, never trusted)."""
    try:
        saved = np.load(io.BytesIO(data), allow_pickle=False)
        meta = json.loads(saved["meta"].tobytes())
        arrays = {name: saved[name] for name in saved.files}
    except (OSError, EOFError, ValueError, KeyError, zipfile.BadZipFile) as error:  # JSONDecodeError is a ValueError
        raise ValueError(f"not an online clusterer state: {error}") from error
    if not isinstance(meta, dict) or meta.get("format") != STATE_FORMAT or meta.get("method") != state_method(options):
        found = meta.get("method") if isinstance(meta, dict) else None
        raise ValueError(f"the state was saved by {found!r}, not {state_method(options)!r}")
    try:
        return _restored(meta, arrays, options)
    except (KeyError, IndexError, TypeError, ValueError) as error:
        raise ValueError(f"not an online clusterer state: {error!r}") from error


def _restored(meta: dict[str, Any], arrays: dict[str, NDArray[Any]], options: OnlineOptions) -> OnlineClusterer:
    clusterer = OnlineClusterer(options)
    for name in _IDFS:
        idf: RunningIdf = getattr(clusterer.vectorize, name)
        idf.counts = _checked(arrays[f"idf_{name}"], (1 << HASH_BITS,)).astype(np.int32)
        idf.documents = int(meta["documents"][name])
    count = len(meta["stories"])
    offsets, indexes = {}, {}
    for channel in CHANNELS:
        lengths = _checked(arrays[f"{channel}_lengths"], (count,))
        offsets[channel] = np.concatenate(([0], np.cumsum(lengths))).tolist()
        indexes[channel] = _checked(arrays[f"{channel}_index"], (offsets[channel][-1],)).astype(np.int64)
        _checked(arrays[f"{channel}_values"], (offsets[channel][-1],))
        if len(indexes[channel]) and not 0 <= indexes[channel].min() <= indexes[channel].max() < 1 << HASH_BITS:
            raise ValueError(f"{channel} buckets out of range")
    stories = [_profile(row, story, arrays, indexes, offsets) for row, story in enumerate(meta["stories"])]
    index = clusterer.index
    index.stories = stories
    index.sketches[:count] = _checked(arrays["sketches"], (count, SKETCH_SIZE))
    index.seeds[:count] = _checked(arrays["seed_counts"], (count,))
    index.active = int(meta["active"])
    if not 0 <= index.active <= count:
        raise ValueError(f"{index.active} active stories of {count}")
    by_key = {story.key: story for story in stories}
    clusterer._recent = {key: by_key[key] for key in meta["recent"]}
    clusterer.members = {story.key: story.members for story in stories}
    clusterer.centrality = {str(k): float(v) for k, v in meta["centrality"].items()}
    clusterer.stories_started = int(meta["stories_started"])
    clusterer._clock = _day(meta["clock"])
    expiry = [(s.last_day, s.key) for s in stories if s.last_day is not None and not s.quiet]
    heapq.heapify(expiry)
    clusterer._expiry = expiry
    return clusterer


def _checked(array: NDArray[Any], shape: tuple[int, ...]) -> NDArray[Any]:
    if array.shape != shape:
        raise ValueError(f"an array of shape {array.shape} where {shape} belongs")
    return array


def _profile(
    row: int,
    saved: dict[str, Any],
    arrays: dict[str, NDArray[Any]],
    indexes: dict[str, NDArray[np.int64]],
    offsets: dict[str, list[int]],
) -> StoryProfile:
    story = StoryProfile(
        str(saved["key"]),
        slot=row,
        members=[str(m) for m in saved["members"]],
        seeds=int(saved["seeds"]),
        first_day=_day(saved["first_day"]),
        last_day=_day(saved["last_day"]),
        quiet=bool(saved["quiet"]),
    )
    for channel in CHANNELS:
        start, end = offsets[channel][row], offsets[channel][row + 1]
        vector = SparseVector(indexes[channel][start:end], arrays[f"{channel}_values"][start:end])
        setattr(story, channel, vector)
    return story


def _day(value: Any) -> int | None:
    return None if value is None else int(value)


def _joined(parts: list[NDArray[Any]], dtype: type) -> NDArray[Any]:
    return np.concatenate(parts).astype(dtype) if parts else np.zeros(0, dtype=dtype)
