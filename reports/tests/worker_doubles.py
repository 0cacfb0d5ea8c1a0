"""A renderer for the real worker process of reports/tests/test_worker_killed.py: it
reports its first progress, then hangs until the test kills the process."""

import time


def render_then_hang(context, out) -> None:
    out.write(b"begun")
    context.progress(context.report.progress_total)  # the test waits for this
    time.sleep(600)
