"""The PDF reports, made from reports.selectors' facts: one entry point, ``render``
(``render_compliance``, ``render_individual``). The rest is its machinery: large reports
are rendered in parts (``parts``) by worker processes (``workers``, ``worker``, which
runs without Django) and joined (``join``). portal.pdf is the one helper underneath
(WeasyPrint, PDF/A) with the signing that certificates share.

Kept empty of imports: the worker processes import ``reports.pdf.worker`` without
Django set up, and so this package too."""
