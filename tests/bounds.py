"""Time bounds and fuzz settings for the hardening tests.

Every public call must return or raise a ``TicketflowError`` within one
second, whatever it is given. :func:`named_or_ok` runs a call under that
bound (an interval timer interrupts a call that hangs) and fails the test
with the case on anything else: a raw Python exception, a hang.

The bound is a hang detector, not a speed test: ``TICKETFLOW_TIME_BOUND``
widens it on a slow machine. Fuzz example counts come from
``TICKETFLOW_FUZZ_EXAMPLES`` (``make test`` keeps the default, ``make
test-slow`` runs many more).
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from hypothesis import HealthCheck, settings

import ticketflow as tf

T = TypeVar("T")

TIME_BOUND = float(os.environ.get("TICKETFLOW_TIME_BOUND", "1.0"))
FUZZ_EXAMPLES = int(os.environ.get("TICKETFLOW_FUZZ_EXAMPLES", "60"))

#: Settings for the fuzz suites: derandomised, no hypothesis deadline (the bound is ours).
FUZZ = settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    database=None,
)

#: The slowest bounded call seen in this process: (seconds, case label).
SLOWEST: list[tuple[float, str]] = [(0.0, "")]


class TooSlow(AssertionError):
    """A call ran past the time bound."""


@contextmanager
def within(seconds: float = TIME_BOUND, label: str = "") -> Iterator[None]:
    """Fail with :class:`TooSlow` if the block runs longer than ``seconds``."""

    def alarm(signum: int, frame: Any) -> None:
        raise TooSlow(f"{label or 'call'} ran past {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    began = time.perf_counter()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        took = time.perf_counter() - began
        if took > SLOWEST[0][0]:
            SLOWEST[0] = (took, label)


def named_or_ok(call: Callable[[], T], label: str = "") -> T | tf.TicketflowError:
    """Run ``call`` within the bound; return its result or the ``TicketflowError`` it raised.

    Any other exception propagates and fails the test.
    """
    with within(label=label):
        try:
            return call()
        except tf.TicketflowError as exc:
            error = exc
    assert str(error), f"{type(error).__name__} with an empty message"
    return error
