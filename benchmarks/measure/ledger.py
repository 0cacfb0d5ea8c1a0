"""verify_ledger over the whole ledger: its function (verify_chain), in-process.

The target (issue 18): under 2 s at 100,000 entries, everything recomputed (the
versions' texts once each, every entry and content, the head, earlier checks).
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass

from benchmarks.measure.stats import median

TARGET_SECONDS = 2.0


class LedgerError(Exception):
    pass


@dataclass
class LedgerResult:
    entries: int
    checked: int
    repeat: int
    seconds: list[float]
    median_s: float

    @property
    def passed(self) -> bool:
        return self.median_s < TARGET_SECONDS and self.checked == self.entries

    def to_dict(self) -> dict:
        return asdict(self) | {"passed": self.passed, "target_s": TARGET_SECONDS}


def measure_ledger(*, repeat: int = 3, log=print) -> LedgerResult:
    from acknowledgements.models import LedgerEntry
    from acknowledgements.selectors.verification import verify_chain

    entries = LedgerEntry.objects.count()
    timings, checked = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        result = verify_chain()
        timings.append(time.perf_counter() - started)
        if not result.ok:
            raise LedgerError(f"The ledger does not verify: {result.first_problem}.")
        checked = result.checked
        log(f"  verify_chain: {checked:,} entries in {timings[-1]:.2f} s")
    return LedgerResult(
        entries=entries, checked=checked, repeat=repeat, seconds=timings, median_s=median(timings)
    )
