"""/grootboek/exporteren/: the ledger as a file for auditors (docs/ledger-format.md),
streamed while it is read; the download is logged (security.services.record_download)."""

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.views import View

from acknowledgements.selectors.export import export_filename, export_lines, in_chunks
from acknowledgements.views.ledger import PERMISSION
from security.services import record_download

CONTENT_TYPE = "application/jsonl; charset=utf-8"


class LedgerExportView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """The whole chain with its contents and the signed versions' texts, as JSON Lines."""

    permission_required = PERMISSION
    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        now = timezone.now()
        response = StreamingHttpResponse(
            in_chunks(lines=export_lines(now=now)), content_type=CONTENT_TYPE
        )
        response["Content-Disposition"] = f'attachment; filename="{export_filename(at=now)}"'
        response["Cache-Control"] = "private, no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return record_download(request=request, response=response, what="ledger")
