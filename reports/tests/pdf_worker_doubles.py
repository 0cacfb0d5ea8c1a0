"""Stand-ins for reports.pdf.worker.render_part that fail, for tests of the parts way.

Imported by the worker processes (which have no Django set up): no models here.
"""

import os

from reports.pdf import worker as pdf_worker


def fails_on_the_second_part(job: pdf_worker.PartJob) -> pdf_worker.PartResult:
    """Renders parts as the real worker does, but the second one raises."""
    if job.index == 1:
        raise RuntimeError("the layout engine gave up")
    return pdf_worker.render_part(job)


def dies_on_the_second_part(job: pdf_worker.PartJob) -> pdf_worker.PartResult:
    """Renders parts as the real worker does, but the second one ends its process."""
    if job.index == 1:
        os._exit(3)
    return pdf_worker.render_part(job)
