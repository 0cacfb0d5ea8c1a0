"""Signing under load: requests per second through gunicorn, compared with a trivial page.

Against a scratch copy of the database (signing adds signatures; the copy is dropped
afterwards, so the run can be repeated). Sessions and CSRF cookies for the employees
who are ready to sign (benchmarks.scale.ready_to_sign) are written straight into the
copy; wrk (scripts/wrk/sign.lua) posts the sign form to
/handreikingen/sociale-media/bevestigen/ as a different
employee each time, and asks the trivial page (/benchmark/trivial/, benchmarks.views)
as the same employees, with the same threads, connections and duration. Warm-up first,
then ``rounds`` pairs (trivial, signing), each signing round with employees of its
own. Every signing answer must be the redirect to a receipt, and the number of new
ledger entries must match; afterwards the copy's ledger must still verify.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.conf import settings

from benchmarks.measure.server import (
    BENCHMARK_SETTINGS,
    Gunicorn,
    ScratchDatabase,
    insert_sessions,
    make_sessions,
)
from benchmarks.measure.stats import median

TARGET_RATIO = 0.5
LUA_SCRIPT = Path(settings.BASE_DIR) / "scripts" / "wrk" / "sign.lua"
WARM_UP_SECONDS = 3
WARM_UP_SIGNERS = 1500


class SigningError(Exception):
    pass


@dataclass
class WrkRun:
    mode: str
    requests: int
    seconds: float
    good: int
    unexpected: int
    exhausted: int
    socket_errors: int
    non_2xx_3xx: int
    first_unexpected: str
    latency_p50_ms: float
    latency_p90_ms: float
    latency_p99_ms: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def to_dict(self) -> dict:
        return asdict(self) | {"rps": self.rps}


@dataclass
class SigningRound:
    trivial: WrkRun
    signing: WrkRun
    signers: int  # employees available to this round
    signatures: int  # new ledger entries

    @property
    def ratio(self) -> float:
        return self.signing.rps / self.trivial.rps if self.trivial.rps else 0.0

    def to_dict(self) -> dict:
        return {
            "trivial": self.trivial.to_dict(),
            "signing": self.signing.to_dict(),
            "signers": self.signers,
            "signatures": self.signatures,
            "ratio": self.ratio,
        }


@dataclass
class SigningResult:
    workers: int
    threads: int
    connections: int
    duration: int
    ready_to_sign: int
    copy_seconds: float
    rounds: list[SigningRound] = field(default_factory=list)
    ledger_after: str = ""
    ledger_ok: bool = False
    problems: list[str] = field(default_factory=list)

    @property
    def trivial_rps(self) -> float:
        return median([r.trivial.rps for r in self.rounds])

    @property
    def signing_rps(self) -> float:
        return median([r.signing.rps for r in self.rounds])

    @property
    def ratio(self) -> float:
        """The median of the rounds' ratios: each round's two runs ran one after the other,
        so a change in the machine's load between rounds cancels out."""
        return median([r.ratio for r in self.rounds]) if self.rounds else 0.0

    @property
    def passed(self) -> bool:
        return bool(self.rounds) and self.ratio >= TARGET_RATIO and not self.problems

    def to_dict(self) -> dict:
        data = {k: v for k, v in asdict(self).items() if k != "rounds"}
        return data | {
            "rounds": [r.to_dict() for r in self.rounds],
            "trivial_rps": self.trivial_rps,
            "signing_rps": self.signing_rps,
            "ratio": self.ratio,
            "target_ratio": TARGET_RATIO,
            "passed": self.passed,
        }


def parse_wrk_output(output: str) -> WrkRun:
    """Read the "wrk-result:" line that scripts/wrk/sign.lua prints at the end."""
    for line in output.splitlines():
        if line.startswith("wrk-result: "):
            data = json.loads(line.removeprefix("wrk-result: "))
            break
    else:
        raise SigningError(f"wrk printed no result line:\n{output}")
    socket_errors = sum(data[f"errors_{k}"] for k in ("connect", "read", "write", "timeout"))
    return WrkRun(
        mode=data["mode"],
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        good=data["good"],
        unexpected=data["unexpected"],
        exhausted=data["exhausted"],
        socket_errors=socket_errors,
        non_2xx_3xx=data["errors_status"],
        first_unexpected=data["first_unexpected"],
        latency_p50_ms=data["latency_p50_us"] / 1000,
        latency_p90_ms=data["latency_p90_us"] / 1000,
        latency_p99_ms=data["latency_p99_us"] / 1000,
    )


def run_wrk(
    url: str, mode: str, lines: Path, *, threads: int, connections: int, duration: int
) -> WrkRun:
    wrk = shutil.which("wrk")
    if wrk is None:
        raise SigningError("wrk is not installed (apt-get install wrk; make benchmark does).")
    command = [
        wrk,
        f"--threads={threads}",
        f"--connections={connections}",
        f"--duration={duration}s",
        "--timeout=30s",
        f"--script={LUA_SCRIPT}",
        url,
        "--",
        mode,
        str(lines),
        str(threads),
    ]
    completed = subprocess.run(  # noqa: S603 - wrk with fixed arguments
        command, capture_output=True, text=True, timeout=duration + 120, check=False
    )
    if completed.returncode != 0:
        raise SigningError(f"wrk failed ({completed.returncode}):\n{completed.stderr}")
    return parse_wrk_output(completed.stdout)


def _ledger_count(connection) -> int:
    from acknowledgements.models import LedgerEntry

    table = LedgerEntry._meta.db_table
    return connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: S608


def _verify_copy(database_url: str) -> tuple[bool, str]:
    """manage.py verify_ledger on the copy: did concurrent signing keep the chain?"""
    env = dict(os.environ, DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE=BENCHMARK_SETTINGS)
    completed = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "verify_ledger"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    text = (completed.stdout + completed.stderr).strip()
    return completed.returncode == 0, text.splitlines()[0] if text else ""


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(f"{line}\n" for line in lines))
    return path


def _check_signing_round(run: WrkRun, signatures: int, connections: int) -> list[str]:
    problems = []
    if run.exhausted:
        problems.append(
            f"the signers ran out ({run.exhausted} requests without an employee): "
            "fewer rounds, a shorter duration or more employees ready to sign"
        )
    if run.unexpected or run.non_2xx_3xx:
        problems.append(
            f"{run.unexpected} answers were not the redirect to a receipt "
            f"(first: {run.first_unexpected or '?'})"
        )
    if run.socket_errors:
        problems.append(f"{run.socket_errors} socket errors")
    # Requests still in flight when wrk stops may be signed without being counted.
    if not run.good <= signatures <= run.good + connections:
        problems.append(f"{run.good} receipts, but {signatures} new ledger entries")
    return problems


def _check_enough(warm_up: WrkRun, *, per_round: int, duration: int) -> None:
    """Stop before the rounds when the warm-up's pace would use up a round's signers."""
    if warm_up.exhausted:
        raise SigningError(
            f"The warm-up used up its {warm_up.good:,} employees ready to sign in less than "
            f"{WARM_UP_SECONDS} s: too few for rounds of {duration} s. Use a shorter "
            "--signing-duration, fewer --signing-rounds or more employees."
        )
    pace = warm_up.rps
    needed = int(pace * duration * 1.2)
    if needed > per_round:
        raise SigningError(
            f"At about {pace:.0f} signatures/s a {duration} s round needs about {needed:,} "
            f"employees ready to sign; there are {per_round:,} per round. Use a shorter "
            "--signing-duration, fewer --signing-rounds or more employees."
        )


def _round(
    url: str, db, path: Path, *, duration: int, signers: int, threads: int, connections: int
) -> tuple[SigningRound, list[str]]:
    """The trivial page, then signing, as the same employees; what went wrong."""
    options = {"threads": threads, "connections": connections, "duration": duration}
    trivial = run_wrk(url, "trivial", path, **options)
    before = _ledger_count(db)
    signing = run_wrk(url, "sign", path, **options)
    signatures = _ledger_count(db) - before
    problems = []
    if trivial.unexpected or trivial.non_2xx_3xx or trivial.socket_errors:
        problems.append(
            f"trivial page: {trivial.unexpected} answers not 200 (first: "
            f"{trivial.first_unexpected or '?'}), {trivial.socket_errors} socket errors"
        )
    problems += _check_signing_round(signing, signatures, connections)
    return SigningRound(trivial, signing, signers, signatures), problems


def measure_signing(
    *,
    rounds: int = 5,
    duration: int = 10,
    threads: int = 2,
    connections: int = 4,
    workers: int = 2,
    log=print,
) -> SigningResult:
    from benchmarks.scale import ready_to_sign

    signers = list(ready_to_sign())
    warm_up = min(WARM_UP_SIGNERS, len(signers) // 10)
    per_round = (len(signers) - warm_up) // rounds
    if warm_up < threads or per_round < threads:
        raise SigningError(f"Only {len(signers)} employees are ready to sign.")
    groups = [signers[:warm_up]]
    groups += [signers[warm_up + i * per_round :][:per_round] for i in range(rounds)]
    log(f"  {len(signers):,} employees ready to sign; {per_round:,} per round")
    with tempfile.TemporaryDirectory(prefix="portal-signing-") as folder:
        folder = Path(folder)
        with ScratchDatabase() as scratch:
            log(f"  copied the database to {scratch.name} in {scratch.seconds:.1f} s")
            result = SigningResult(
                workers=workers,
                threads=threads,
                connections=connections,
                duration=duration,
                ready_to_sign=len(signers),
                copy_seconds=scratch.seconds,
            )
            with scratch.connect() as db:

                def logged_in(number: int) -> Path:
                    # Made just before their run: each employee was active in the last
                    # minute (as on the page before the sign form), so no request of a
                    # round writes its session (portal.middleware, ACTIVITY_RESOLUTION).
                    rows, lines = make_sessions(groups[number])
                    insert_sessions(db, rows)
                    return _write(folder / f"group-{number}.tsv", lines)

                with Gunicorn(
                    database_url=scratch.url, workers=workers, log_path=folder / "gunicorn.log"
                ) as server:
                    options = {"threads": threads, "connections": connections}
                    warm_file = logged_in(0)
                    run_wrk(server.url, "trivial", warm_file, duration=WARM_UP_SECONDS, **options)
                    warm = run_wrk(
                        server.url, "sign", warm_file, duration=WARM_UP_SECONDS, **options
                    )
                    _check_enough(warm, per_round=per_round, duration=duration)
                    for number in range(1, rounds + 1):
                        done, problems = _round(
                            server.url,
                            db,
                            logged_in(number),
                            duration=duration,
                            signers=per_round,
                            **options,
                        )
                        result.rounds.append(done)
                        result.problems.extend(f"round {number}: {p}" for p in problems)
                        log(
                            f"  round {number}: trivial {done.trivial.rps:.0f}/s, signing "
                            f"{done.signing.rps:.0f}/s ({done.signatures} signatures), "
                            f"ratio {done.ratio:.2f}"
                        )
                        if done.signing.exhausted:
                            raise SigningError("; ".join(result.problems))
            result.ledger_ok, result.ledger_after = _verify_copy(scratch.url)
            if not result.ledger_ok:
                result.problems.append(f"the ledger after signing: {result.ledger_after}")
    return result
