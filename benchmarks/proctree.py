"""Peak memory of a whole process tree (a process and all its descendants), sampled from Linux's /proc.

    with TreeSampler(child.pid) as sampler:
        child.wait()
    figures = sampler.peak.to_dict()

A thread finds the tree every `interval` seconds by scanning /proc/*/stat for parent ids (the kernel's
/proc/<pid>/task/<tid>/children needs CONFIG_PROC_CHILDREN, which not every kernel has, the test machine's among
them), and reads each member's VmRSS (/proc/<pid>/status) and, within a time budget, its Pss
(/proc/<pid>/smaps_rollup). A process stays in the tree once seen, even if its parent exits and it is handed to init
or a subreaper; its start time tells it apart from a later process that reuses the pid. With `session=True` (a root
started with `start_new_session`), every process of the root's session counts too, which catches a process
re-parented before any sample saw it (a double fork), unless it started a session of its own.

How shared memory counts: RSS counts every resident page a process has mapped, shared ones included, so the
sum of RSS over the tree counts a page shared by k processes k times (forked workers' copy-on-write pages, the
shared libraries, and Ray's object store, a shared-memory file in /dev/shm that the raylet and every worker
touching an object map). Pss divides each shared page among the processes that map it, so the sum of Pss counts
every page once: the tree's own footprint. Shared pages mapped by processes outside the tree are split with
those too, so Pss slightly under-counts a page shared with an outsider. Objects in the shared-memory store that
no process has mapped at the moment of a sample are in neither sum. The peaks of the two sums are the highest
samples, so a peak shorter than `interval` can be missed.

What sampling costs (CPU time of the sampling thread, measured on the 2-CPU test machine): the /proc scan and VmRSS
take about 5 ms per sample (2.5% of a CPU at 0.2 s); Pss makes the kernel walk each process's page tables, about 10
to 25 ms per GiB resident, which on a tree of several GiB would take a good share of a CPU away from the run being
measured. So Pss is read only while its reading time stays within `pss_budget` of the elapsed time (default 2%):
every sample for a small tree, less often for a large one, and the Pss peak is the highest of those samples
(`tree_pss_samples` says how many). `tree_sampling_cpu_seconds` is the thread's whole cost.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, NamedTuple

__all__ = ["ProcessSample", "TreePeak", "TreeSampler", "kill_tree", "process_tree"]

PROC = Path("/proc")
KIB_PER_MIB = 1024


@dataclass(slots=True, frozen=True)
class ProcessSample:
    """One process at one sample: its name (comm), resident and proportional set sizes in KiB."""

    pid: int
    name: str
    rss_kib: int
    pss_kib: int | None


@dataclass(slots=True)
class TreePeak:
    """The highest sums over a tree's samples, and what made up the sample with the highest RSS sum."""

    rss_kib: int = 0
    pss_kib: int | None = None
    processes: int = 0
    samples: int = 0
    pss_samples: int = 0
    sample_seconds: float = 0.0
    pss_seconds: float = 0.0
    at_rss_peak: list[ProcessSample] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready figures in MiB, the processes at the RSS peak grouped by name (largest first)."""
        rss: Counter[str] = Counter()
        pss: dict[str, int | None] = {}
        count: Counter[str] = Counter()
        for process in self.at_rss_peak:
            rss[process.name] += process.rss_kib
            known = pss.get(process.name, 0)
            pss[process.name] = None if known is None or process.pss_kib is None else known + process.pss_kib
            count[process.name] += 1
        return {
            "tree_peak_rss_mib": _mib(self.rss_kib),
            "tree_peak_pss_mib": _mib(self.pss_kib) if self.pss_samples and self.pss_kib is not None else None,
            "tree_max_processes": self.processes,
            "tree_samples": self.samples,
            "tree_pss_samples": self.pss_samples,
            "tree_sampling_cpu_seconds": round(self.sample_seconds + self.pss_seconds, 2),
            "tree_at_rss_peak": [
                {"name": name, "processes": count[name], "rss_mib": _mib(kib), "pss_mib": _mib(pss[name])}
                for name, kib in rss.most_common()
            ],
        }


def _mib(kib: int | None) -> float | None:
    return None if kib is None else round(kib / KIB_PER_MIB, 1)


class _Stat(NamedTuple):
    name: str
    parent: int
    session: int
    start: int


def _stat(pid: int) -> _Stat | None:
    """Name, parent pid, session id and start time (clock ticks) of a live process, None when it is gone."""
    try:
        text = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    # The name sits in parentheses and may itself hold spaces and parentheses: cut at the last one.
    name = text[text.index("(") + 1 : text.rindex(")")]
    fields = text[text.rindex(")") + 2 :].split()
    return _Stat(name, int(fields[1]), int(fields[3]), int(fields[19]))


def _field_kib(path: Path, key: str) -> int | None:
    """The `key:` line of a /proc file in kB (VmRSS of status, Pss of smaps_rollup), None when unreadable."""
    try:
        with path.open() as lines:
            for line in lines:
                if line.startswith(key):
                    return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


def process_tree(root: int, known: dict[int, int] | None = None, *, session: bool = False) -> dict[int, str]:
    """Names of `root` and its live descendants by pid. `known` (pid -> start time), when given, is both read
    and extended: a process once found stays in the tree after it is re-parented, while its start time matches.
    `session`: `root` leads a session of its own (`start_new_session`), and every process still in that session
    belongs to the tree too, even one re-parented before a sample saw it (a double fork)."""
    stats = {pid: stat for pid in _pids() if (stat := _stat(pid)) is not None}
    children: dict[int, list[int]] = {}
    for pid, stat in stats.items():
        children.setdefault(stat.parent, []).append(pid)
    known = known if known is not None else {}
    alive = [pid for pid, start in known.items() if pid in stats and stats[pid].start == start]
    alive += [pid for pid, stat in stats.items() if session and stat.session == root and pid != root]
    # The root too must be the process first seen under its pid, not a later one that reuses the pid.
    pending = [*alive, root] if root not in known else alive
    tree: dict[int, str] = {}
    while pending:
        pid = pending.pop()
        if pid in tree or pid not in stats:
            continue
        tree[pid] = stats[pid].name
        known.setdefault(pid, stats[pid].start)
        pending.extend(children.get(pid, []))
    return tree


def _pids() -> list[int]:
    return [int(entry.name) for entry in PROC.iterdir() if entry.name.isdigit()]


def sample_tree(
    root: int, known: dict[int, int] | None = None, *, session: bool = False, pss: bool = True
) -> list[ProcessSample]:
    """One sample of every live process of the tree (processes that exit meanwhile are left out)."""
    samples = []
    for pid, name in process_tree(root, known, session=session).items():
        rss = _field_kib(PROC / str(pid) / "status", "VmRSS:")
        if rss is None:  # gone, or a zombie (no memory left)
            continue
        proportional = _field_kib(PROC / str(pid) / "smaps_rollup", "Pss:") if pss else None
        samples.append(ProcessSample(pid, name, rss, proportional))
    return samples


class TreeSampler:
    """A thread sampling the memory of `root`'s process tree every `interval` seconds until stopped; `peak`
    holds the highest sums. Pss is read while its cost stays within `pss_budget` of the elapsed time (0: never);
    `session`: as in `process_tree`. Use as a context manager, or `start()` then `stop()`."""

    def __init__(self, root: int, interval: float = 0.2, *, session: bool = False, pss_budget: float = 0.02) -> None:
        self.root = root
        self.session = session
        self.interval = interval
        self.pss_budget = pss_budget
        self.peak = TreePeak(pss_kib=0 if pss_budget > 0 else None)
        self.known: dict[int, int] = {}
        self._started = time.perf_counter()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"proctree-{root}", daemon=True)

    def _run(self) -> None:
        while True:
            self.sample()
            if self._stop.wait(self.interval):
                return

    def sample(self) -> None:
        """Take one sample now and fold it into `peak`."""
        peak = self.peak
        # CPU time of this thread (user and system: Pss is the kernel's work), not wall time, which on a busy
        # machine also counts the waits for a CPU.
        started = time.thread_time()
        elapsed = time.perf_counter() - self._started
        with_pss = peak.pss_kib is not None and peak.pss_seconds <= self.pss_budget * elapsed
        samples = sample_tree(self.root, self.known, session=self.session, pss=with_pss)
        spent = time.thread_time() - started
        peak.samples += 1
        if with_pss:
            peak.pss_samples += 1
            peak.pss_seconds += spent
            peak.pss_kib = max(peak.pss_kib or 0, sum(s.pss_kib or 0 for s in samples))
        else:
            peak.sample_seconds += spent
        peak.processes = max(peak.processes, len(samples))
        rss = sum(s.rss_kib for s in samples)
        if rss > peak.rss_kib:
            peak.rss_kib, peak.at_rss_peak = rss, samples

    def survivors(self) -> dict[int, str]:
        """Processes of the tree still alive (after the root exited: the ones it left behind)."""
        tree = process_tree(self.root, self.known, session=self.session)
        return {pid: name for pid, name in tree.items() if pid != self.root}

    def start(self) -> TreeSampler:
        """Start sampling."""
        self._started = time.perf_counter()
        self._thread.start()
        return self

    def stop(self) -> TreePeak:
        """Stop sampling and return the peak."""
        self._stop.set()
        self._thread.join()
        return self.peak

    def __enter__(self) -> TreeSampler:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()


def kill_tree(pids: dict[int, str] | list[int], signal_number: int = signal.SIGKILL) -> list[int]:
    """Send `signal_number` to each of `pids` (processes this benchmark started, by id); return those reached."""
    reached = []
    for pid in pids:
        try:
            os.kill(pid, signal_number)
        except OSError:
            continue
        reached.append(pid)
    return reached
