"""Durations: constructors, text forms, parsing, comparison and hashing."""

from __future__ import annotations

from datetime import timedelta
from typing import get_args

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ticketflow as tf
from ticketflow._durations import Unit, compare_durations, is_positive, to_duration

UNITS = ["minutes", "hours", "days", "business_minutes", "business_hours", "business_days"]
CONSTRUCTORS = {
    "minutes": tf.minutes,
    "hours": tf.hours,
    "days": tf.days,
    "business_minutes": tf.business_minutes,
    "business_hours": tf.business_hours,
    "business_days": tf.business_days,
}


class TestConstructors:
    """The six constructors and the Duration value."""

    @pytest.mark.parametrize("unit", UNITS)
    def test_constructor_sets_unit_and_amount(self, unit: str) -> None:
        """Each constructor builds a Duration of its own unit."""
        d = CONSTRUCTORS[unit](7)
        assert d == tf.Duration(7, unit)  # type: ignore[arg-type]
        assert (d.amount, d.unit) == (7, unit)

    @pytest.mark.parametrize("bad", [1.5, "3", None, True])
    def test_non_int_amount_is_rejected(self, bad: object) -> None:
        """A float, string, None or bool amount raises DurationError."""
        with pytest.raises(tf.DurationError, match="must be an int"):
            tf.hours(bad)  # type: ignore[arg-type]

    def test_unknown_unit_is_rejected(self) -> None:
        """A unit outside the six raises DurationError naming it."""
        with pytest.raises(tf.DurationError, match="'weeks'"):
            tf.Duration(1, "weeks")  # type: ignore[arg-type]

    def test_huge_amount_is_rejected(self) -> None:
        """An amount beyond about a hundred years of its unit is out of range."""
        with pytest.raises(tf.DurationError, match="out of range"):
            tf.minutes(10**12)
        with pytest.raises(tf.DurationError, match="out of range"):
            tf.business_days(36_601)
        assert tf.business_days(-36_600).amount == -36_600

    def test_duration_is_frozen(self) -> None:
        """A Duration cannot be changed after it is built."""
        d = tf.hours(1)
        with pytest.raises(AttributeError):
            d.amount = 2  # type: ignore[misc]

    def test_kind_properties(self) -> None:
        """is_business and is_absolute sort the units into their families."""
        assert tf.business_hours(1).is_business
        assert not tf.days(1).is_business
        assert tf.minutes(1).is_absolute
        assert not tf.days(1).is_absolute

    def test_total_minutes(self) -> None:
        """Minute and hour units have a length in minutes; day units do not."""
        assert tf.business_hours(2).total_minutes == 120
        assert tf.minutes(5).total_minutes == 5
        with pytest.raises(tf.DurationError, match="no fixed length"):
            _ = tf.days(1).total_minutes

    def test_to_timedelta(self) -> None:
        """Only absolute durations convert to a timedelta."""
        assert tf.hours(48).to_timedelta() == timedelta(hours=48)
        with pytest.raises(tf.DurationError, match="not an absolute"):
            tf.business_hours(1).to_timedelta()

    def test_negation(self) -> None:
        """Negating keeps the unit and flips the amount."""
        assert -tf.business_days(3) == tf.business_days(-3)

    def test_is_positive(self) -> None:
        """is_positive looks at the sign of a Duration or timedelta."""
        assert is_positive(tf.days(1))
        assert not is_positive(tf.days(0))
        assert is_positive(timedelta(seconds=1))
        assert not is_positive(-timedelta(seconds=1))


class TestText:
    """str and repr."""

    def test_repr_reads_like_the_constructor(self) -> None:
        """repr is the call that builds the value."""
        assert repr(tf.business_days(5)) == "business_days(5)"
        assert repr(tf.minutes(-3)) == "minutes(-3)"

    @pytest.mark.parametrize(
        ("duration", "text"),
        [
            (tf.business_days(5), "5 business days"),
            (tf.business_minutes(1), "1 business minute"),
            (tf.hours(-1), "-1 hour"),
            (tf.days(0), "0 days"),
        ],
    )
    def test_str_is_plain_words(self, duration: tf.Duration, text: str) -> None:
        """str spells the amount and unit, singular for one."""
        assert str(duration) == text

    @given(st.sampled_from(UNITS), st.integers(-36_600, 36_600))
    def test_str_parses_back(self, unit: str, amount: int) -> None:
        """parse_duration(str(d)) gives d back."""
        d = tf.Duration(amount, unit)  # type: ignore[arg-type]
        assert tf.parse_duration(str(d)) == d


class TestParse:
    """parse_duration."""

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("5 business days", tf.business_days(5)),
            ("48h", tf.hours(48)),
            ("15 business minutes", tf.business_minutes(15)),
            ("3 days", tf.days(3)),
            ("15bm", tf.business_minutes(15)),
            ("2 BH", tf.business_hours(2)),
            ("  7   working  days ", tf.business_days(7)),
            ("5 business_days", tf.business_days(5)),
            ("-2d", tf.days(-2)),
            ("90 min", tf.minutes(90)),
            ("1 calendar day", tf.days(1)),
            ("1 working hour", tf.business_hours(1)),
        ],
    )
    def test_good_strings(self, text: str, expected: tf.Duration) -> None:
        """Long and short forms parse to the expected duration."""
        assert tf.parse_duration(text) == expected

    @pytest.mark.parametrize(
        "text", ["", "five days", "5", "5 weeks", "1.5h", "h5", "5 business", "5 days ago"]
    )
    def test_bad_strings_name_the_string(self, text: str) -> None:
        """A string that is not a duration raises DurationError quoting it."""
        with pytest.raises(tf.DurationError) as info:
            tf.parse_duration(text)
        assert repr(text) in str(info.value)
        assert isinstance(info.value, ValueError)

    def test_non_string_is_rejected(self) -> None:
        """A non-string raises DurationError."""
        with pytest.raises(tf.DurationError, match="expected a duration string"):
            tf.parse_duration(5)  # type: ignore[arg-type]

    def test_to_duration(self) -> None:
        """to_duration passes durations through and parses strings."""
        assert to_duration("2h") == tf.hours(2)
        assert to_duration(timedelta(1)) == timedelta(1)
        with pytest.raises(tf.DurationError, match="expected a duration"):
            to_duration(3)


class TestCompare:
    """compare_durations."""

    @pytest.mark.parametrize(
        ("a", "b", "expected"),
        [
            (tf.hours(1), tf.minutes(90), -1),
            (tf.hours(2), timedelta(minutes=120), 0),
            (tf.business_hours(1), tf.business_minutes(30), 1),
            (tf.days(2), tf.days(1), 1),
            (tf.business_days(1), tf.business_days(1), 0),
            (tf.days(1), tf.hours(24), None),
            (tf.business_hours(8), tf.business_days(1), None),
            (tf.business_hours(1), tf.hours(1), None),
        ],
    )
    def test_compare(self, a: tf.Duration, b: tf.Duration, expected: int | None) -> None:
        """Durations of one family compare; other pairs give None."""
        assert compare_durations(a, b) == expected

    @given(st.integers(-1000, 1000), st.integers(-1000, 1000))
    def test_compare_is_antisymmetric(self, x: int, y: int) -> None:
        """compare(a, b) == -compare(b, a) for business minutes and hours."""
        a, b = tf.business_minutes(x), tf.business_hours(y)
        ab = compare_durations(a, b)
        ba = compare_durations(b, a)
        assert ab is not None
        assert ba == -ab


class TestEquality:
    """Equality and hashing."""

    def test_equal_values_hash_alike(self) -> None:
        """Equal durations are one dict key."""
        assert {tf.hours(1): "a"}[tf.Duration(1, "hours")] == "a"

    def test_units_are_not_converted(self) -> None:
        """60 minutes and 1 hour are different values (compare_durations relates them)."""
        assert tf.minutes(60) != tf.hours(1)
        assert tf.business_hours(1) != tf.hours(1)


class TestUnits:
    def test_units_follow_the_unit_type(self) -> None:
        """UNITS lists the Unit literal's values, in its order, each a constructor's unit."""
        assert get_args(Unit) == tf.UNITS
        assert tf.UNITS == (
            "minutes",
            "hours",
            "days",
            "business_minutes",
            "business_hours",
            "business_days",
        )
        made = {f(1).unit for f in (tf.minutes, tf.hours, tf.days)}
        made |= {f(1).unit for f in (tf.business_minutes, tf.business_hours, tf.business_days)}
        assert made == set(tf.UNITS)

    @pytest.mark.parametrize("unit", ["minutes", "hours", "days", "business_days"])
    def test_max_amount_is_the_last_amount_accepted(self, unit: str) -> None:
        """A duration holds max_amount(unit) either way and refuses one more."""
        most = tf.Duration.max_amount(unit)  # type: ignore[arg-type]
        assert tf.Duration(most, unit).amount == most  # type: ignore[arg-type]
        assert tf.Duration(-most, unit).amount == -most  # type: ignore[arg-type]
        with pytest.raises(tf.DurationError, match="out of range"):
            tf.Duration(most + 1, unit)  # type: ignore[arg-type]

    def test_max_amount_spans_the_documented_years(self) -> None:
        """Every unit's bound is MAX_DURATION_YEARS years of 366 days of it."""
        years = tf.MAX_DURATION_YEARS
        assert tf.Duration.max_amount("days") == years * 366
        assert tf.Duration.max_amount("business_hours") == years * 366 * 24
        assert tf.Duration.max_amount("minutes") == years * 366 * 24 * 60

    def test_max_amount_names_an_unknown_unit(self) -> None:
        """An unknown unit raises the same DurationError the constructor does."""
        with pytest.raises(tf.DurationError) as caught:
            tf.Duration.max_amount("weeks")  # type: ignore[arg-type]
        with pytest.raises(tf.DurationError) as built:
            tf.Duration(1, "weeks")  # type: ignore[arg-type]
        assert str(caught.value) == str(built.value)
        assert "unknown duration unit 'weeks'" in str(caught.value)
