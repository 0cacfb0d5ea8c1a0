"""Rendering the parts of a large PDF in worker processes, in parallel.

WeasyPrint lays out one document in one process, and its time and memory grow faster
than the document (a long structure tree costs more per page the more pages there are).
A large report is therefore cut into parts, each rendered by WeasyPrint in a process of
its own (reports.pdf.worker), which are then joined (reports.pdf.join).

The processes come from a "forkserver": a clean process started once, with WeasyPrint
imported, that forks the workers. They inherit no database connections, threads or
locks of the Django process that asks (a web worker, the task worker), and they need
no Django settings: the HTML and the static files come with each job. Each worker
renders one part and exits (``max_tasks_per_child=1``), so that a worker's memory is
that of one part, whatever the size of the report. As with every start method but
"fork", a worker imports the main module of the process that asks (as __mp_main__):
manage.py, gunicorn and pytest do nothing on import; a script of one's own needs
``if __name__ == "__main__":``.

The caller makes the HTML of each part and submits it while it reads the rows, so
that rendering starts at once; ``results()`` waits for the parts in order. A part that
fails (an exception, a worker that dies) fails the whole: the other workers are
stopped and ``PartFailed`` is raised; the caller writes no file.
"""

from __future__ import annotations

import concurrent.futures
import logging
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from django.conf import settings

from reports.pdf import worker as pdf_worker

logger = logging.getLogger(__name__)

# The function the workers run; a module attribute so that tests can swap in one
# that fails (it must be importable by the worker: a module without Django models).
WORKER: Callable[[pdf_worker.PartJob], pdf_worker.PartResult] = pdf_worker.render_part
_PRELOAD = ["weasyprint", "reports.pdf.worker"]


class PartFailed(RuntimeError):
    """A part of the PDF could not be rendered."""


def worker_count() -> int:
    """REPORTS_PDF_WORKERS, or as many as this process may use CPUs (0 or unset)."""
    configured = settings.REPORTS_PDF_WORKERS
    if configured > 0:
        return configured
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _context():
    context = multiprocessing.get_context("forkserver")
    # Takes effect when the fork server starts (once per process); later calls keep it.
    context.set_forkserver_preload(_PRELOAD)
    return context


class PartRenderer:
    """A pool of worker processes for one document's parts; a context manager.

    ``on_done(weight)`` is called in the caller's thread (from ``submit``, ``poll``
    and ``results``) for each part that has been rendered, with the weight it was
    submitted with: the caller's progress.
    """

    def __init__(
        self,
        folder: str | Path,
        *,
        language: str,
        title: str,
        workers: int | None = None,
        on_done: Callable[[int], None] = lambda weight: None,
    ):
        self.folder = Path(folder)
        self.language = language
        self.title = title
        self.workers = workers or worker_count()
        self.on_done = on_done
        self._pool: concurrent.futures.ProcessPoolExecutor | None = None
        self._futures: list[concurrent.futures.Future] = []
        self._weights: dict[concurrent.futures.Future, int] = {}
        self._reported: set[concurrent.futures.Future] = set()

    def __enter__(self) -> PartRenderer:
        self._pool = concurrent.futures.ProcessPoolExecutor(
            max_workers=self.workers, mp_context=_context(), max_tasks_per_child=1
        )
        return self

    def __exit__(self, kind, error, traceback) -> None:
        if error is not None:
            self._stop()
        else:
            self._pool.shutdown(wait=True)

    def __len__(self) -> int:
        """The number of parts submitted."""
        return len(self._futures)

    def submit(
        self,
        html: str,
        *,
        static_files: dict[str, str] | None = None,
        tagged: bool = True,
        weight: int = 0,
    ) -> int:
        """Queue one part; its number (parts are joined in this order)."""
        index = len(self._futures)
        job = pdf_worker.PartJob(
            index=index,
            html=html,
            language=self.language,
            title=self.title,
            path=str(self.folder / f"part-{index:05d}.pdf"),
            static_files=static_files or {},
            tagged=tagged,
        )
        try:
            future = self._pool.submit(WORKER, job)
        except BrokenProcessPool as error:  # a worker died before this part was queued
            raise _worker_died(error) from error
        self._futures.append(future)
        self._weights[future] = weight
        self.poll()
        return index

    def poll(self) -> None:
        """Report the parts done so far; raise PartFailed if one failed."""
        for future in self._futures:
            if future.done() and future not in self._reported:
                self._check(future)

    def results(self, first: int = 0) -> list[pdf_worker.PartResult]:
        """Wait for the parts from number ``first`` on; their results in order."""
        waiting = set(self._futures[first:])
        while waiting:
            done, waiting = concurrent.futures.wait(
                waiting, return_when=concurrent.futures.FIRST_COMPLETED
            )
            for future in done:
                if future not in self._reported:
                    self._check(future)
        return [future.result() for future in self._futures[first:]]

    def _check(self, future: concurrent.futures.Future) -> None:
        self._reported.add(future)
        error = future.exception()
        if error is None:
            result = future.result()
            logger.debug(
                "Part %s of %r: %s pages in %.1f s (%.1f s of CPU)",
                result.index + 1,
                self.title,
                result.pages,
                result.seconds,
                result.cpu_seconds,
            )
            self.on_done(self._weights[future])
            return
        index = self._futures.index(future)
        logger.error("Part %s of %r failed: %r", index + 1, self.title, error)
        if isinstance(error, BrokenProcessPool):
            raise _worker_died(error) from error
        raise PartFailed(
            f"Part {index + 1} of the PDF could not be rendered: {type(error).__name__}: {error}"
        ) from error

    def _stop(self) -> None:
        """Cancel what has not started and end the workers that are rendering."""
        pool = self._pool
        for future in self._futures:
            future.cancel()
        terminate = getattr(pool, "terminate_workers", None)  # Python 3.14
        if terminate is not None:
            terminate()
        else:
            # Before 3.14 the pool has no way to interrupt a worker: end the processes
            # (its manager thread then sees them gone and stops), then wait for it.
            for process in list((getattr(pool, "_processes", None) or {}).values()):
                if process.is_alive():
                    process.terminate()
        pool.shutdown(wait=True, cancel_futures=True)


def _worker_died(error: BrokenProcessPool) -> PartFailed:
    # Every part not yet done fails with it: which part's worker died is not known.
    return PartFailed(
        f"The PDF could not be rendered: a worker process ended abruptly ({type(error).__name__})."
    )
