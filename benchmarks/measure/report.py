"""The benchmark's report: Markdown for people (docs/benchmarks.md is written from it)
and the same results as JSON. ``render_markdown`` works from the JSON-shaped dict."""

from __future__ import annotations

import math

from benchmarks.measure import launch, ledger, pages, signing


def verdict(passed: bool | None) -> str:
    return "n/a" if passed is None else ("PASS" if passed else "**FAIL**")


def _n(value) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value)


def _ms(value: float) -> str:
    return "–" if value is None or math.isnan(value) else f"{value:.1f} ms"


def _table(header: list[str], rows: list[list]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return lines


def _machine(results: dict) -> list[str]:
    m = results["machine"]
    rows = [
        ["CPU", f"{m['cpu']}, {m['cores']} logical cores ({m['physical_cores']} physical)"],
        ["Memory", f"{m['memory_gib']} GiB"],
        ["Operating system", m["os"]],
        ["Python / Django", f"{m['python']} / {m['django']}"],
        ["Database", m["database"]],
        *([["Database settings", m["database_settings"]]] if m.get("database_settings") else []),
        ["gunicorn / psycopg / wrk", f"{m['gunicorn']} / {m['psycopg']} / {m['wrk']}"],
        [
            "Settings",
            f"`{m['settings']}` (DEBUG {'on' if m['debug'] else 'off'}, "
            f"CONN_MAX_AGE {m['conn_max_age']}, PORTAL_MFA_REQUIRED "
            f"{'on' if m['mfa_required'] else 'off'})",
        ],
        [
            "Load average (1, 5, 15 min)",
            f"at the start {m['load_average']}, at the end {results.get('load_average_end', '?')}",
        ],
    ]
    return ["## Machine", "", *_table(["", ""], rows), ""]


def _data(results: dict) -> list[str]:
    rows = [[name.replace("_", " ").capitalize(), _n(v)] for name, v in results["data"].items()]
    lines = ["## Data", "", *_table(["What", "Count"], rows), ""]
    if results.get("generate_seconds") is not None:
        lines += [
            f"`generate_scale_data` filled the empty database in "
            f"{results['generate_seconds']:.0f} s.",
            "",
        ]
    if results.get("settled"):
        done = ", ".join(
            f"before {entry['before']} ({entry['seconds']:.1f} s)" for entry in results["settled"]
        )
        lines += [
            f"`VACUUM (ANALYZE)`, not timed, {done}: autovacuum has no dead rows of the load "
            "or of the rolled-back launches left to work on during the timed steps.",
            "",
        ]
    return lines


def _summary(results: dict) -> list[str]:
    rows = []
    for page in results.get("pages") or []:
        expected = page["expected_queries"]
        rows.append(
            [
                page["title"],
                f"< {page['target_ms']:.0f} ms, {expected if expected is not None else '?'} "
                "queries",
                f"{_ms(page['median_ms'])}, {page['queries']} queries",
                verdict(page["passed"]),
            ]
        )
    if results.get("launch"):
        r = results["launch"]
        rows.append(
            [
                f"Campaign launch of {r.get('guidelines', 1)} guidelines: "
                f"{r['assignments']:,} assignments",
                f"< {r['target_s']:.0f} s",
                f"{r['median_s']:.1f} s",
                verdict(r["passed"]),
            ]
        )
    if results.get("signing"):
        r = results["signing"]
        rows.append(
            [
                "Signing throughput (gunicorn)",
                f"≥ {r['target_ratio']} × trivial page",
                f"{r['ratio']:.2f} × ({r['signing_rps']:.0f}/s against {r['trivial_rps']:.0f}/s)",
                verdict(r["passed"]),
            ]
        )
    if results.get("ledger"):
        r = results["ledger"]
        rows.append(
            [
                f"verify_ledger, {r['entries']:,} entries",
                f"< {r['target_s']:.1f} s",
                f"{r['median_s']:.1f} s",
                verdict(r["passed"]),
            ]
        )
    if results.get("code_check"):
        r = results["code_check"]
        rows.append(
            [
                f"Code check, {r['entries']:,} entries",
                f"< {r['target_ms']:.0f} ms",
                f"{_ms(r['median_ms'])} (p95 {_ms(r['p95_ms'])}), {r['queries']} queries",
                verdict(r["passed"]),
            ]
        )
    lines = ["## Summary", "", *_table(["Measurement", "Target", "Measured", "Result"], rows), ""]
    for step, reason in (results.get("skipped") or {}).items():
        lines.append(f"- Not measured: {step} ({reason}).")
    for step, error in (results.get("errors") or {}).items():
        lines.append(f"- **{step} failed**: {error}")
    return [*lines, ""] if lines[-1] != "" else lines


def _pages(results: dict) -> list[str]:
    rows = []
    for p in results["pages"]:
        expected = p["expected_queries"]
        rows.append(
            [
                p["title"],
                f"`{p['url']}`",
                p["email"],
                _ms(p["median_ms"]),
                _ms(p["p90_ms"]),
                f"{_ms(p['min_ms'])} – {_ms(p['max_ms'])}",
                f"{p['queries']} ({expected if expected is not None else '?'})",
                verdict(p["passed"]),
            ]
        )
    repeat = results["pages"][0]["repeat"] if results["pages"] else 0
    return [
        "## Pages",
        "",
        f"Server time: `time.perf_counter()` around `django.test.Client.get` in the same "
        f"process (no network, no web server), median and p90 of {repeat} requests after a "
        "warm-up; DEBUG off. Queries: counted with `CaptureQueriesContext` in a separate "
        "request before and after the timed ones (they must agree); in brackets the count "
        "the test run asserts at 200 and 1,000 employees "
        "(`benchmarks/tests/test_benchmark_queries.py`). A page passes when its median is "
        f"under {pages.TARGET_MS:.0f} ms and its count is that fixed count. HR's session "
        "carries the identity provider's two-factor mark, as after a single sign-on log-in "
        "with MFA, so the two-factor middleware runs as in production.",
        "",
        *_table(
            ["Page", "URL", "As", "Median", "p90", "Min – max", "Queries (fixed)", "Result"],
            rows,
        ),
        "",
        *(
            f"- {p['title']}: the first request left {p['background_tasks']} task(s) for "
            f"the background worker, which `db_worker --batch` ran in "
            f"{p['background_s']:.1f} s before the timed requests."
            for p in results["pages"]
            if p.get("background_tasks")
        ),
        "",
    ]


def _launch(results: dict) -> list[str]:
    r = results["launch"]
    seconds = ", ".join(f"{s:.2f}" for s in r["seconds"])
    return [
        "## Campaign launch",
        "",
        "A new campaign for all employees and the current version of every guideline "
        "(`campaigns.services.create_campaign`; each guideline's assignments go to its "
        "own audience), then `launch_campaign` timed; each run "
        "is rolled back, so the database stays as it was. The queries were counted in a "
        "run before the timed ones.",
        "",
        *_table(
            [
                "Active employees",
                "Guidelines",
                "Assignments",
                "Runs (s)",
                "Median",
                "Queries",
                "Target",
                "Result",
            ],
            [
                [
                    _n(r["active_employees"]),
                    r.get("guidelines", 1),
                    _n(r["assignments"]),
                    seconds,
                    f"{r['median_s']:.2f} s",
                    r["queries"],
                    f"< {launch.TARGET_SECONDS:.0f} s",
                    verdict(r["passed"]),
                ]
            ],
        ),
        "",
    ]


def _signing(results: dict) -> list[str]:
    r = results["signing"]
    rows = []
    for number, round_ in enumerate(r["rounds"], start=1):
        t, s = round_["trivial"], round_["signing"]
        rows.append(
            [
                number,
                f"{t['rps']:.0f}/s (p90 {t['latency_p90_ms']:.0f} ms)",
                f"{s['rps']:.0f}/s (p90 {s['latency_p90_ms']:.0f} ms)",
                f"{round_['ratio']:.2f}",
                f"{s['good']:,} / {round_['signatures']:,}",
                s["unexpected"] + s["socket_errors"],
            ]
        )
    rows.append(
        [
            "median",
            f"{r['trivial_rps']:.0f}/s",
            f"{r['signing_rps']:.0f}/s",
            f"**{r['ratio']:.2f}** (median of the rounds' ratios)",
            "",
            "",
        ]
    )
    lines = [
        "## Signing under load",
        "",
        f"gunicorn (`config.wsgi`, {r['workers']} sync workers, benchmark settings) on "
        f"127.0.0.1; wrk with {r['threads']} threads and {r['connections']} connections, "
        f"{r['duration']} s per run, on the same machine. Against a copy of the database "
        f"(`CREATE DATABASE … TEMPLATE`, {r['copy_seconds']:.1f} s; dropped afterwards). "
        f"Every signing request is another of the {r['ready_to_sign']:,} employees who are "
        "ready to sign (a session and CSRF cookie made for each just before its round, as "
        "for an employee active in the last minute: no request writes its session), "
        "posting the sign form to `/handreikingen/sociale-media/bevestigen/`; a good "
        "answer is the redirect to the "
        "receipt. The trivial page (`/benchmark/trivial/`, a few bytes for a logged-in "
        "employee: middleware, session and user, nothing else, nothing written) is asked "
        "as the same employees in the same way. After a warm-up, rounds of one run each; "
        f"target: signing at least {signing.TARGET_RATIO} times the trivial page's "
        "requests per second.",
        "",
        *_table(
            [
                "Round",
                "Trivial page",
                "Signing",
                "Ratio",
                "Receipts / new ledger entries",
                "Errors",
            ],
            rows,
        ),
        "",
        f"Ledger of the copy after signing: {r['ledger_after'] or '?'} "
        f"({'intact' if r['ledger_ok'] else '**not intact**'}).",
        "",
    ]
    for problem in r["problems"]:
        lines.append(f"- **Problem**: {problem}")
    return [*lines, ""] if r["problems"] else lines


def _ledger(results: dict) -> list[str]:
    r = results["ledger"]
    seconds = ", ".join(f"{s:.2f}" for s in r["seconds"])
    return [
        "## verify_ledger",
        "",
        "`acknowledgements.selectors.verification.verify_chain` (what `manage.py verify_ledger` "
        "runs), in-process.",
        "",
        *_table(
            ["Entries", "Checked", "Runs (s)", "Median", "Target", "Result"],
            [
                [
                    _n(r["entries"]),
                    _n(r["checked"]),
                    seconds,
                    f"{r['median_s']:.2f} s",
                    f"< {r.get('target_s', ledger.TARGET_SECONDS):.1f} s",
                    verdict(r["passed"]),
                ]
            ],
        ),
        "",
    ]


def _code_check(results: dict) -> list[str]:
    r = results["code_check"]
    return [
        f"## Code check at {r['entries']:,} entries",
        "",
        "`acknowledgements.selectors.code_check.code_check` (what /bevestigen/controleren/ "
        "runs for a code), in-process: codes spread over the whole chain, each entry's "
        "hash and link recomputed. Its time must not grow with the ledger.",
        "",
        *_table(
            ["Entries", "Lookups", "Queries each", "Median", "p95", "Max", "Target", "Result"],
            [
                [
                    _n(r["entries"]),
                    _n(r["lookups"]),
                    r["queries"],
                    _ms(r["median_ms"]),
                    _ms(r["p95_ms"]),
                    _ms(r["max_ms"]),
                    f"< {r['target_ms']:.0f} ms",
                    verdict(r["passed"]),
                ]
            ],
        ),
        "",
    ]


def _reports(results: dict) -> list[str]:
    r = results["reports"]
    if not r["ran"]:
        return ["## Compliance reports", "", f"Not measured: {r['reason']}.", ""]
    return [
        "## Compliance reports",
        "",
        f"`{r['command']}` ({r['seconds']:.0f} s in all):",
        "",
        *(r["table"] or ["(it printed no table)"]),
        "",
    ]


def render_markdown(results: dict) -> str:
    employees = results["data"].get("employees", 0)
    lines = [
        f"# Benchmark: {employees:,} employees",
        "",
        f"Run on {results['machine']['date']}: `{results['machine']['command']}`. From a "
        "fresh clone, `make benchmark` (scripts/benchmark.sh) installs what is missing, "
        "starts a throwaway PostgreSQL, fills it with `generate_scale_data` and runs this.",
        "",
    ]
    if results["machine"]["cores"] and results["machine"]["cores"] <= 2:
        lines += [
            "A small machine: the web server, the database and the load generator share "
            "its cores, and anything else running at the time shows in the figures. "
            "Compare figures of one run with each other rather than across machines.",
            "",
        ]
    lines += _summary(results)
    lines += _machine(results)
    lines += _data(results)
    if results.get("pages"):
        lines += _pages(results)
    if results.get("launch"):
        lines += _launch(results)
    if results.get("signing"):
        lines += _signing(results)
    if results.get("ledger"):
        lines += _ledger(results)
    if results.get("code_check"):
        lines += _code_check(results)
    if results.get("reports"):
        lines += _reports(results)
    return "\n".join(lines).rstrip() + "\n"
