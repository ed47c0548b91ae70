"""Time bounds and fuzz settings for the hardening tests.

Every public call must return or raise a ``TicketflowError`` within one
second, whatever it is given. :func:`named_or_ok` runs a call under that
bound (an interval timer interrupts a call that hangs) and fails the test
with the case on anything else: a raw Python exception, a hang.

The bound is a hang detector, not a speed test: ``TICKETFLOW_TIME_BOUND``
widens it on a slow machine.

Example counts belong to the hypothesis profiles registered and loaded
here (``tests/conftest.py`` imports this module first). ``HYPOTHESIS_PROFILE``
picks one: ``ci`` (``make test``, and any run with ``CI`` set), ``dev`` (the
default elsewhere), ``slow`` (``make test-slow``: five times the examples) or
``thorough`` (twenty times). A test that needs its own count takes it from
:func:`examples`, which scales it by the loaded profile, so ``ci`` runs each
test's base count. ``TICKETFLOW_FUZZ_EXAMPLES``, when set, still fixes the
fuzz suites' count outright.
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

#: The ``ci`` and ``dev`` profiles' example count: a test's own count is scaled by
#: the loaded profile's count over this one.
BASE_EXAMPLES = 100

settings.register_profile(
    "ci",
    max_examples=BASE_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=BASE_EXAMPLES, deadline=None)
settings.register_profile(
    "slow",
    max_examples=5 * BASE_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("thorough", max_examples=20 * BASE_EXAMPLES, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


def examples(base: int) -> int:
    """``base`` examples scaled by the loaded hypothesis profile (``ci``: ``base`` itself)."""
    current = settings.default
    count = current.max_examples if current is not None else BASE_EXAMPLES
    return max(1, base * count // BASE_EXAMPLES)


FUZZ_EXAMPLES = int(os.environ.get("TICKETFLOW_FUZZ_EXAMPLES") or examples(60))

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
