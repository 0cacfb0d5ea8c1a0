"""verify_ledger's target grows with the ledger: one chain holds every guideline's
signatures, so the five guidelines' scale data has more entries than employees."""

from benchmarks.measure.ledger import LedgerResult, target_seconds


def _result(entries: int, median_s: float) -> LedgerResult:
    return LedgerResult(
        entries=entries, checked=entries, repeat=1, seconds=[median_s], median_s=median_s
    )


def test_the_target_is_two_seconds_per_hundred_thousand_entries():
    assert target_seconds(100_000) == 2.0
    assert target_seconds(180_000) == 3.6


def test_a_short_ledger_keeps_the_two_second_target():
    assert target_seconds(35_000) == 2.0


def test_a_long_ledger_checked_at_the_same_speed_passes_and_slower_fails():
    assert _result(180_000, 3.5).passed
    assert not _result(180_000, 3.7).passed
    assert _result(180_000, 3.5).to_dict()["target_s"] == 3.6
