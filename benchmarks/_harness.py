"""Timing and reporting for the side-by-side benchmarks.

Rules of operation:

* A *case* is one implementation of one operation: a no-argument callable
  that performs ``ops`` operations and returns its answer (the smoke test
  compares answers; the timing loop ignores them).
* A *family* groups the cases that answer the same question. Its cases are
  measured in rounds: a round makes ``inner`` passes over the cases, each
  pass timing every case for a calibrated number of loops, alternating the
  order, so ticketflow and its peers share the same noise on a busy machine.
  A round keeps each case's fastest pass; a case's figure is the median over
  rounds of that per-operation time; the spread is the interquartile range and the min-max
  range, both as a percentage of the median.
* Measuring uses :class:`timeit.Timer`, so the garbage collector is off
  while a loop runs, as with ``python -m timeit``. The clock is the
  process's CPU time by default: on a small shared machine, wall-clock time
  also counts the moments the process waits for a core.
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
import timeit
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version

__all__ = [
    "BASELINE",
    "Case",
    "Family",
    "Measured",
    "Settings",
    "environment",
    "measure_family",
    "render_family",
]

#: The implementation every ratio is taken against.
BASELINE = "ticketflow"


@dataclass(frozen=True)
class Case:
    """One implementation of one operation.

    Attributes:
        operation: What is measured (``"N=5"``, ``"apply one event"``...).
        impl: Who does it (``"ticketflow"``, ``"numpy.busday_offset"``...).
        fn: Performs ``ops`` operations and returns the answer.
        ops: How many operations one call of ``fn`` performs.
    """

    operation: str
    impl: str
    fn: Callable[[], object]
    ops: int = 1


@dataclass
class Family:
    """Cases answering one question, measured together.

    Attributes:
        key: Short id (``"apply"``, ``"business_days"``...).
        title: The heading of its table.
        target: The ticketflow target from the issue, in words.
        target_us: The target as a per-operation median in µs, or None.
        cases: Every case, ticketflow first within each operation.
        notes: Where the semantics differ, peers skipped, and the like.
        baseline_operation: When set, ratios compare every ticketflow case
            with the ticketflow case of this operation instead of with peers
            (cost versus workflow size).
        ratio_limit: With ``baseline_operation``, the target as the largest
            allowed ratio of the slowest case to the baseline case.
    """

    key: str
    title: str
    target: str
    target_us: float | None = None
    cases: list[Case] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    baseline_operation: str | None = None
    ratio_limit: float | None = None

    def operations(self) -> list[str]:
        """The operations in first-seen order."""
        return list(dict.fromkeys(c.operation for c in self.cases))


@dataclass(frozen=True)
class Settings:
    """How long to measure.

    Attributes:
        repeats: Rounds per family (the median is over these).
        min_time: Seconds one timing of one case lasts at least.
        inner: Passes over the cases per round; a round keeps each case's
            fastest pass, so a burst of load from another process spoils one
            timing, not the round.
        cpu_time: Time with the process's CPU clock (``time.process_time``)
            rather than the wall clock, so time spent descheduled while other
            processes run is not counted.
    """

    repeats: int = 7
    min_time: float = 0.02
    inner: int = 3
    cpu_time: bool = True


@dataclass(frozen=True)
class Measured:
    """The timings of one case.

    Attributes:
        case: What was measured.
        samples: Seconds per operation, one per round.
        loops: Calls of ``fn`` per round.
    """

    case: Case
    samples: tuple[float, ...]
    loops: int

    @property
    def median_us(self) -> float:
        """Median per-operation time in microseconds."""
        return statistics.median(self.samples) * 1e6

    @property
    def iqr_pct(self) -> float:
        """Interquartile range as a percentage of the median."""
        if len(self.samples) < 2:
            return 0.0
        q1, _, q3 = statistics.quantiles(self.samples, n=4, method="inclusive")
        return (q3 - q1) / statistics.median(self.samples) * 100

    @property
    def range_pct(self) -> float:
        """Min-max range as a percentage of the median."""
        return (max(self.samples) - min(self.samples)) / statistics.median(self.samples) * 100


def _calibrate(timer: timeit.Timer, min_time: float) -> int:
    """The number of calls that lasts at least ``min_time`` (1, 2, 5, 10, 20, 50...)."""
    number = 1
    while True:
        for step in (1, 2, 5):
            loops = number * step
            if timer.timeit(loops) >= min_time:
                return loops
        number *= 10


def measure_family(
    family: Family, settings: Settings, progress: Callable[[str], None] | None = None
) -> list[Measured]:
    """Time every case of ``family``, interleaved round by round."""
    clock = time.process_time if settings.cpu_time else time.perf_counter
    timers = {id(c): timeit.Timer(c.fn, timer=clock) for c in family.cases}
    loops = {}
    for case in family.cases:
        case.fn()  # warm caches (calendar years, compiled tables) before calibrating
        loops[id(case)] = _calibrate(timers[id(case)], settings.min_time)
    samples: dict[int, list[float]] = {id(c): [] for c in family.cases}
    flip = False
    for round_ in range(settings.repeats):
        best: dict[int, float] = {}
        for _ in range(settings.inner):
            flip = not flip
            order: Iterable[Case] = family.cases if flip else reversed(family.cases)
            for case in order:
                n = loops[id(case)]
                per_op = timers[id(case)].timeit(n) / (n * case.ops)
                best[id(case)] = min(best.get(id(case), per_op), per_op)
        for case in family.cases:
            samples[id(case)].append(best[id(case)])
        if progress is not None:
            progress(f"  {family.key}: round {round_ + 1}/{settings.repeats}")
    return [Measured(c, tuple(samples[id(c)]), loops[id(c)]) for c in family.cases]


def _fmt_us(value: float) -> str:
    if value >= 1000:
        return f"{value:,.0f}"
    if value >= 100:
        return f"{value:.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def _fmt_ratio(value: float) -> str:
    return f"{value:,.0f}x" if value >= 100 else f"{value:.1f}x"


def render_family(family: Family, results: Sequence[Measured]) -> str:
    """One Markdown table: medians, spread and the ratio peer / ticketflow."""
    by_op: dict[str, list[Measured]] = {}
    for m in results:
        by_op.setdefault(m.case.operation, []).append(m)
    reference: Measured | None = None
    if family.baseline_operation is not None:
        reference = next(
            (m for m in by_op.get(family.baseline_operation, []) if m.case.impl == BASELINE),
            None,
        )
        ratio_head = f"ratio to {family.baseline_operation}"
    else:
        ratio_head = "peer / ticketflow"
    lines = [
        f"### {family.title}",
        "",
        f"Target: {family.target}",
        "",
        f"| operation | implementation | median µs | IQR % | min-max % | {ratio_head} |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for op, group in by_op.items():
        base = reference
        if base is None:
            base = next((m for m in group if m.case.impl == BASELINE), None)
        for m in group:
            if base is None or (m is base and family.baseline_operation is None):
                ratio = "—"
            elif family.baseline_operation is not None:
                ratio = f"{m.median_us / base.median_us:.2f}"
            else:
                ratio = _fmt_ratio(m.median_us / base.median_us)
            impl = f"**{m.case.impl}**" if m.case.impl == BASELINE else m.case.impl
            lines.append(
                f"| {op} | {impl} | {_fmt_us(m.median_us)} | {m.iqr_pct:.1f} "
                f"| {m.range_pct:.1f} | {ratio} |"
            )
    if family.notes:
        lines.append("")
        lines.extend(f"* {note}" for note in family.notes)
    return "\n".join(lines) + "\n"


_PACKAGES = (
    "ticketflow",
    "attrs",
    "holidays",
    "transitions",
    "python-statemachine",
    "workalendar",
    "businesstimedelta",
    "numpy",
    "pandas",
)


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def environment(when: datetime) -> list[str]:
    """Lines describing the machine, the interpreter, the packages and ``when``."""
    versions = []
    for name in _PACKAGES:
        try:
            versions.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            versions.append(f"{name} (not installed)")
    impl = platform.python_implementation()
    return [
        f"* Date: {when.isoformat(timespec='seconds')}",
        f"* Machine: {platform.platform()}, {os.cpu_count()} CPUs ({_cpu_model()})",
        f"* Python: {impl} {platform.python_version()} ({sys.executable})",
        f"* Packages: {', '.join(versions)}",
    ]
