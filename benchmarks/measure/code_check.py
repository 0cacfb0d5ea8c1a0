"""The code check (/bevestigen/controleren/): its lookup, in-process, on the ledger as it is.

``acknowledgements.selectors.code_check.code_check`` recomputes one entry's hash and its
content's digest and checks its link to the entry before it, in a fixed number of
queries: its time must not grow with the ledger. Codes spread over the whole chain
(the first, the last and evenly between) are looked up, after a few untimed lookups
that warm the connection and the caches; every one must be found and in order.

The main run measures the ledger of ``generate_scale_data --employees N`` (one entry per
employee: 100,000 by default); scripts/benchmark.sh measures 2,000 and 20,000 entries in
databases of their own (BENCHMARK_CODE_CHECK_SIZES), so that the report shows that the
time stays the same.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass

from benchmarks.measure.stats import median, percentile

TARGET_MS = 50.0
WARM_UP = 10


class CodeCheckError(Exception):
    pass


@dataclass
class CodeCheckResult:
    entries: int
    lookups: int
    queries: int
    median_ms: float
    p95_ms: float
    max_ms: float

    @property
    def passed(self) -> bool:
        """The median under the target, as for the pages (p95 and max are shown)."""
        return self.median_ms < TARGET_MS

    def to_dict(self) -> dict:
        return asdict(self) | {"passed": self.passed, "target_ms": TARGET_MS}


def spread(codes: list[str], count: int) -> list[str]:
    """``count`` codes evenly over the list, the first and the last among them."""
    if count >= len(codes):
        return list(codes)
    if count == 1:
        return [codes[-1]]
    step = (len(codes) - 1) / (count - 1)
    return [codes[round(index * step)] for index in range(count)]


def measure_code_check(*, lookups: int = 200, log=print) -> CodeCheckResult:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from acknowledgements.models import LedgerEntry
    from acknowledgements.selectors.code_check import code_check

    entries = LedgerEntry.objects.count()
    codes = list(
        LedgerEntry.objects.exclude(verification_code=None)
        .order_by("sequence")
        .values_list("verification_code", flat=True)
    )
    if not codes:
        raise CodeCheckError("The ledger has no entry with a verification code.")
    chosen = spread(codes, lookups)
    for code in spread(codes, WARM_UP):
        code_check(code=code)
    with CaptureQueriesContext(connection) as queries:
        code_check(code=chosen[-1])
    timings = []
    for code in chosen:
        started = time.perf_counter()
        check = code_check(code=code)
        timings.append((time.perf_counter() - started) * 1000)
        if not check.intact:
            raise CodeCheckError(f"Code {code} is not in order: {check.problem or 'not found'}.")
    result = CodeCheckResult(
        entries=entries,
        lookups=len(chosen),
        queries=len(queries),
        median_ms=median(timings),
        p95_ms=percentile(timings, 0.95),
        max_ms=max(timings),
    )
    log(
        f"  code check: {result.lookups} lookups in a ledger of {entries:,} entries, "
        f"median {result.median_ms:.1f} ms, p95 {result.p95_ms:.1f} ms, "
        f"{result.queries} queries each"
    )
    return result
