"""Run ticketflow side by side with its peers and write benchmarks/results.md.

Usage: ``python benchmarks/run.py [--quick] [--output PATH] [--only KEY ...]``

Each family's cases are measured in interleaved rounds (see ``_harness.py``)
and printed as one Markdown table: per-operation medians in µs, the spread,
and the ratio peer / ticketflow. ``--quick`` uses fewer, shorter rounds and
10,000 tickets instead of 100,000 for the advance families; its results are
printed but not written unless ``--output`` is given.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import (  # noqa: E402  (needs the repository root on sys.path)
    _cases,
    _migrate_case,
    _notices_case,
    bench_sql,
)
from benchmarks._harness import (  # noqa: E402
    Family,
    Settings,
    environment,
    measure_family,
    render_family,
)

FULL = Settings(repeats=9, min_time=0.02, inner=5)
QUICK = Settings(repeats=5, min_time=0.005, inner=2)
KEYS = (
    "apply",
    "apply_timed",
    "business_days",
    "business_hours",
    "elapsed",
    "advance",
    "scaling",
    "advance_due",
    "pending",
    "sql",
    "migrate",
    "notices",
)


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _run_families(
    wanted: set[str], settings: Settings, tickets: int, ticket_repeats: int
) -> tuple[list[str], list[tuple[Family, float | None]], _cases.DueAdvance | None]:
    """Run the wanted families in report order: their sections, targets summary and due advance."""
    sections: list[str] = []
    summary: list[tuple[Family, float | None]] = []
    builders = {b.__name__: b for b in _cases.FAMILIES}
    order = [
        builders["apply_family"],
        builders["apply_with_timers_family"],
        builders["business_days_family"],
        builders["business_hours_family"],
        builders["elapsed_family"],
        None,  # family 6, the mass advance, comes here in the report
        builders["scaling_family"],
        "advance_due",  # family 8, stored tickets advanced, one in ten due
        builders["pending_family"],
        "migrate",  # family 10, stored tickets migrated to a changed definition
        _notices_case.notices_family,
    ]
    due: _cases.DueAdvance | None = None
    for builder in order:
        if builder == "migrate":
            if "migrate" not in wanted:
                continue
            _log(f"migrate: {tickets:,} tickets")
            text = _migrate_case.render_mass_migrate(
                _migrate_case.mass_migrate(tickets, ticket_repeats)
            )
        elif builder == "advance_due":
            if "advance_due" not in wanted:
                continue
            _log(f"advance_due: {tickets:,} tickets")
            due = _cases.due_advance(tickets, ticket_repeats)
            text = _cases.render_due_advance(due)
        elif builder is None:
            if "advance" not in wanted:
                continue
            _log(f"advance: {tickets:,} tickets")
            mass = _cases.mass_advance(tickets, ticket_repeats)
            text = _cases.render_mass_advance(mass)
        else:
            assert not isinstance(builder, str)
            family = builder()
            if family.key not in wanted:
                continue
            _log(f"{family.key}: {len(family.cases)} cases")
            results = measure_family(family, settings, _log)
            text = render_family(family, results)
            worst = max((m.median_us for m in results if m.case.impl == "ticketflow"), default=None)
            summary.append((family, worst))
            if family.ratio_limit is not None:
                base = next(m for m in results if m.case.operation == family.baseline_operation)
                summary[-1] = (family, max(m.median_us for m in results) / base.median_us)
        print(text, flush=True)
        sections.append(text)
    return sections, summary, due


def _target_rows(
    summary: list[tuple[Family, float | None]], due: _cases.DueAdvance | None
) -> list[str]:
    """The rows of the targets table."""
    rows: list[str] = []
    for family, worst in summary:
        if worst is None:
            continue
        if family.ratio_limit is not None:
            met = "yes" if worst <= family.ratio_limit else "no"
            rows.append(f"| {family.title} | {family.target} | {worst:.2f}x | {met} |")
        elif family.target_us is not None:
            met = "yes" if worst <= family.target_us else "no"
            rows.append(f"| {family.title} | {family.target} | {worst:.2f} µs | {met} |")
    if due is not None:
        rate = due.per_second
        met = "yes" if rate >= _cases.ADVANCE_TARGET else "no"
        rows.append(
            f"| 8. Advance 100,000 stored tickets (one in ten due) "
            f"| at least {_cases.ADVANCE_TARGET:,} tickets per second. "
            f"| {rate:,.0f} tickets/s | {met} |"
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer, shorter rounds")
    parser.add_argument("--output", type=Path, help="where to write the Markdown report")
    parser.add_argument("--only", nargs="+", choices=KEYS, help="run only these families")
    args = parser.parse_args(argv)
    settings = QUICK if args.quick else FULL
    tickets, ticket_repeats = (10_000, 3) if args.quick else (100_000, 5)
    output = args.output
    if output is None and not args.quick and not args.only:
        output = Path(__file__).resolve().parent / "results.md"
    wanted = set(args.only or KEYS)

    started = time.perf_counter()
    when = datetime.now().astimezone()
    sections, summary, due = _run_families(wanted, settings, tickets, ticket_repeats)

    elapsed = time.perf_counter() - started
    clock = "process CPU time" if settings.cpu_time else "wall-clock time"
    head = [
        "# Benchmarks: ticketflow side by side with its peers",
        "",
        "Written by `benchmarks/run.py`"
        + (" --quick" if args.quick else "")
        + f" in {elapsed:.0f} s. Medians of {settings.repeats} rounds; each round makes "
        f"{settings.inner} interleaved passes over a family's cases, timing each for at least "
        f"{settings.min_time * 1000:.0f} ms of {clock}, and keeps each case's fastest pass. "
        "Spread is the interquartile range and the min-max range over rounds, as a "
        "percentage of the median. Ratios above 1 mean ticketflow is faster.",
        "",
        *environment(when),
        "",
        "## Targets",
        "",
        "| family | target | ticketflow (slowest case, median; size: 600 / 6) | met |",
        "|---|---|---:|---|",
    ]
    head += _target_rows(summary, due)
    if "sql" in wanted:  # PostgreSQL and SQLite, timed by bench_sql itself (wall-clock)
        _log("sql: sweep throughput and apply round trip")
        sql_text, sql_rows = bench_sql.section(*((5_000, 1, 200) if args.quick else ()))
        print(sql_text, flush=True)
        sections.append(sql_text)
        head += sql_rows
    head = [line.replace("| True |", "| yes |").replace("| False |", "| no |") for line in head]
    report = "\n".join(head) + "\n\n## Results\n\n" + "\n".join(sections)
    print("\n".join(head[-len(summary) - 4 - (due is not None) - ("sql" in wanted) :]))
    if output is not None:
        output.write_text(report, encoding="utf-8")
        _log(f"wrote {output}")
    _log(f"total {elapsed:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
