"""A part of a large PDF is rendered by a worker process that has no Django settings
(reports.pdf.worker): it gets its static files from the parent, and leaves a structure
tree that can be joined (header cell identifiers of its own, text in its cells)."""

import gc
import json
import os
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from django.conf import settings

from portal.pdf import static_files_in
from reports.pdf import worker as pdf_worker

TABLE = """<!doctype html><html lang="nl"><head><title>Deel</title></head><body><main>
<img src="/static/portal/logo.svg" alt="Gemeente">
<table><thead><tr><th scope="col">Nummer</th><th scope="col">Naam</th></tr></thead>
<tbody><tr><td>P0001</td><td>Jan Jansen</td></tr><tr><td>P0002</td><td>Piet Pieters</td></tr>
</tbody></table></main></body></html>"""


def test_the_parent_resolves_only_the_static_files_a_document_uses():
    html = (
        '<img src="/static/portal/logo.svg"><img src="file:///etc/passwd">'
        '<link href="/static/no/such.css"><div style="background: url(/media/x.png)"></div>'
    )

    files = static_files_in(html)

    assert list(files) == ["/static/portal/logo.svg"]
    assert Path(files["/static/portal/logo.svg"]).read_text().startswith("<svg")


def test_a_worker_renders_a_part_without_django(tmp_path):
    job = {
        "index": 3,
        "html": TABLE,
        "language": "nl",
        "title": "Deel",
        "path": str(tmp_path / "part.pdf"),
        "static_files": static_files_in(TABLE),
    }
    script = (
        "import json, sys; from reports.pdf import worker as pdf_worker; "
        "result = pdf_worker.render_part(pdf_worker.PartJob(**json.loads(sys.argv[1]))); "
        "import django.conf; assert not django.conf.settings.configured; print(result.pages)"
    )
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO")}

    completed = subprocess.run(  # noqa: S603 - our own code, fixed arguments
        [sys.executable, "-c", script, json.dumps(job)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )

    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "1"
    pdf = pikepdf.open(tmp_path / "part.pdf")
    elements = [item for item in pdf.objects if isinstance(item, pikepdf.Dictionary)]
    elements = [item for item in elements if item.get("/Type") == "/StructElem"]
    figure = next(item for item in elements if item.S == "/Figure")
    assert figure.Alt == "Gemeente"  # the logo came from the parent's file
    headers = [str(item.ID) for item in elements if item.S == "/TH"]
    assert headers and all(header.startswith("part3-") for header in headers)
    cells = [item for item in elements if item.S == "/TD"]
    assert len(cells) == 4
    for cell in cells:  # the text's marked content is the cell's own (no /Span between)
        assert any(isinstance(kid, int) for kid in cell.K)
        assert str(cell.A.Headers[0]).startswith("part3-")
    assert "/Span" not in {str(item.S) for item in elements}


def test_a_part_with_margin_boxes_is_refused(tmp_path):
    html = TABLE.replace("<head>", '<head><style>@page { @top-left { content: "x" } }</style>')
    job = pdf_worker.PartJob(
        index=0, html=html, language="nl", title="Deel", path=str(tmp_path / "part.pdf")
    )

    with pytest.raises(pdf_worker.PartStructureError, match="page margin boxes"):
        pdf_worker.render_part(job)

    assert not (tmp_path / "part.pdf").exists()


def test_a_part_is_rendered_without_cyclic_garbage_collection(tmp_path):
    rows = "".join(f"<tr><td>P{n:04d}</td><td>Naam {n}</td></tr>" for n in range(300))
    job = pdf_worker.PartJob(
        index=0,
        html=TABLE.replace("</tbody>", rows + "</tbody>"),
        language="nl",
        title="Deel",
        path=str(tmp_path / "part.pdf"),
    )
    collections = []
    track = lambda phase, info: phase == "start" and collections.append(info["generation"])  # noqa: E731
    gc.callbacks.append(track)
    try:
        result = pdf_worker.render_part(job)
    finally:
        gc.callbacks.remove(track)

    assert result.pages > 1
    # With the collector on, hundreds; one may come when it is switched back on.
    assert len(collections) <= 1, collections
    assert gc.isenabled()  # as it was before


def test_the_collector_stays_off_after_a_part_when_it_was_off():
    gc.disable()
    try:
        with pdf_worker.collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
