import numpy as np
import pytest

from cradle.policy import dates


def d(s):
    return np.datetime64(s, "D")


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        ("2024-08-31", 6, "2025-02-28"),  # month-end clamps to the shorter month
        ("2024-08-31", 36, "2027-08-31"),
        ("2023-08-31", 6, "2024-02-29"),  # leap year
        ("2024-02-29", 36, "2027-02-28"),
        ("2024-01-31", 1, "2024-02-29"),
        ("2025-03-10", 0, "2025-03-10"),
    ],
)
def test_add_months_clamps_to_month_end(start, months, expected):
    assert dates.add_months(np.array([d(start)]), months)[0] == d(expected)


def test_nat_stays_nat():
    out = dates.add_years(np.array([d("2020-01-01"), np.datetime64("NaT", "D")]), 3)
    assert out[0] == d("2023-01-01") and np.isnat(out[1])


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        ("2022-07-01", "2025-06-30", 2),  # the day before the third birthday
        ("2022-07-01", "2025-07-01", 3),  # the birthday itself counts
        ("2020-02-29", "2023-02-28", 2),
        ("2020-02-29", "2023-03-01", 3),
    ],
)
def test_age_in_completed_years(birth, on, age):
    assert dates.age(np.array([d(birth)]), d(on))[0] == age


def test_months_between_counts_partial_months():
    assert dates.months_between(np.array([d("2025-01-01")]), np.array([d("2027-01-01")]))[0] == 24
    assert dates.months_between(np.array([d("2024-03-10")]), np.array([d("2027-03-10")]))[0] == 36
    assert dates.months_between(np.array([d("2025-03-10")]), np.array([d("2025-03-20")]))[0] == 1
    assert dates.months_between(np.array([d("2025-05-01")]), np.array([d("2025-03-01")]))[0] == 0


def test_age_of_many_people_equals_the_calendar_reading():
    """The threshold search used for large arrays agrees with the Y/M/D reading, leap days included."""
    rng = np.random.default_rng(7)
    births = rng.integers(-20000, 20300, 5000).astype("datetime64[D]")
    births = np.concatenate([births, np.array(["2020-02-29", "2021-02-28", "NaT"], dtype="datetime64[D]")])
    for on in ("2025-07-01", "2024-02-29", "2023-02-28", "2023-03-01"):
        fast = dates.age(births, d(on))
        slow = np.concatenate([dates.age(births[i : i + 10], d(on)) for i in range(0, len(births), 10)])
        assert (fast[slow >= 0] == slow[slow >= 0]).all()
        assert (fast[slow < 0] < 0).all()


def test_long_arrays_through_the_day_table_equal_the_direct_calendar():
    rng = np.random.default_rng(11)
    days = rng.integers(-20000, 20300, 60_000).astype("datetime64[D]")
    days[::97] = np.datetime64("NaT")
    other = rng.integers(-20000, 20300, 60_000).astype("datetime64[D]")
    for months in (-1, 1, 6, 36, -36 * 12):
        fast, slow = dates.add_months(days, months), dates._add_months(days, months)
        assert ((fast == slow) | (np.isnat(fast) & np.isnat(slow))).all()
    known = ~np.isnat(days)
    chunked = np.concatenate(
        [dates.months_between(days[i : i + 1000], other[i : i + 1000]) for i in range(0, len(days), 1000)]
    )
    assert (dates.months_between(days, other)[known] == chunked[known]).all()


def test_calendar_days_agree_with_the_direct_reading_and_far_dates_fall_back():
    """Long arrays read years, months and days from the calendar of day numbers; arrays holding a day outside
    its years (here 1650 and 2450) take the direct path; both give the same dates, ages and month counts."""
    rng = np.random.default_rng(5)
    inside = rng.integers(-20000, 20300, 5000).astype("datetime64[D]")
    inside[::41] = np.datetime64("NaT")
    far = np.concatenate([inside, np.array(["1650-03-31", "2450-02-28"], dtype="datetime64[D]")])
    other = rng.integers(-20000, 20300, len(far)).astype("datetime64[D]")
    per_row = rng.integers(-40, 40, len(far))
    for days in (inside, far):
        known = ~np.isnat(days)
        for months in (7, -13, per_row[: len(days)]):
            fast = dates.add_months(days, months)
            slow = dates._add_months(days, months)
            assert ((fast == slow) | (np.isnat(fast) & np.isnat(slow))).all()
        small = np.concatenate(
            [dates.age(days[i : i + 10], d("2026-07-01")) for i in range(0, len(days), 10)]
        )
        assert (dates.age(days, d("2026-07-01")) == small).all()
        chunked = np.concatenate(
            [dates.months_between(days[i : i + 10], other[i : i + 10]) for i in range(0, len(days), 10)]
        )
        assert (dates.months_between(days, other[: len(days)])[known] == chunked[known]).all()


def test_a_few_days_in_python_equal_the_arrays_of_many():
    """One household's few days take a Python path (add_days, months_between): the same days and counts as
    the NumPy path a long array takes, NaT and NaN included."""
    rng = np.random.default_rng(7)
    days = (np.datetime64("1990-01-01", "D") + rng.integers(0, 20000, 400)).astype("datetime64[D]")
    days[::17] = dates.NAT
    figures = rng.choice([0.0, 15.0, 98.5, -3.7, 158.0, np.nan], 400)
    later = (days + rng.integers(-400, 2000, 400)).astype("datetime64[D]")
    later[::23] = dates.NAT
    shifts = rng.integers(-30, 80, 400)
    many_days = dates.add_days(days, figures)
    many_months = dates.months_between(days, later)
    many_shifted = dates.add_months(days, shifts)
    many_birthdays = dates.add_years(days, 3)
    for i in range(0, 400, 4):
        few = slice(i, i + 4)
        assert np.array_equal(dates.add_months(days[few], shifts[few]), many_shifted[few], equal_nan=True)
        assert np.array_equal(dates.add_years(days[few], 3), many_birthdays[few], equal_nan=True)
        assert np.array_equal(dates.add_days(days[few], figures[few]), many_days[few], equal_nan=True)
        assert dates.add_days(days[few], figures[few]).dtype == many_days.dtype
        if not np.isnat(days[few]).any() and not np.isnat(later[few]).any():
            assert np.array_equal(dates.months_between(days[few], later[few]), many_months[few])
