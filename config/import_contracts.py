"""An import-linter contract of our own: apps meet only at their public surface.

An app's public surface is what another app may import: its models (to read and as
types), ``services`` (writes) and ``selectors`` (reads), as modules or packages, and
the signals and hooks it offers (each with a documented contract). Everything else in
an app (views, forms, ledger machinery, PDF rendering, ...) is its own business, so that
it can change without another app noticing. Used in ``.importlinter``; docs/architecture.md
explains the layout.
"""

from __future__ import annotations

import fnmatch

import grimp
from importlinter import Contract, ContractCheck, fields, output


class PublicSurfaceContract(Contract):
    """Imports from one app into another target only the other app's public modules.

    Options:
        apps:      the apps whose surfaces are checked.
        public:    module patterns relative to an app (``models``, ``services.**``).
        extra_public: full module names also public (an app's documented exceptions).
        ignore_importers: module patterns whose imports are not checked (tests).
    """

    type_name = "public_surface"

    apps = fields.ListField(subfield=fields.StringField())
    public = fields.ListField(subfield=fields.StringField())
    extra_public = fields.ListField(subfield=fields.StringField(), required=False)
    ignore_importers = fields.ListField(subfield=fields.StringField(), required=False)

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        apps = set(self.apps)  # type: ignore[arg-type]
        extra = set(self.extra_public or [])  # type: ignore[arg-type]
        ignored = list(self.ignore_importers or [])  # type: ignore[arg-type]
        broken = []
        for app in sorted(apps):
            for imported in sorted({app, *graph.find_descendants(app)}):
                if imported in extra or self._is_public(app, imported):
                    continue
                for importer in sorted(graph.find_modules_that_directly_import(imported)):
                    if importer.split(".")[0] == app:
                        continue
                    if any(fnmatch.fnmatchcase(importer, pattern) for pattern in ignored):
                        continue
                    details = graph.get_import_details(importer=importer, imported=imported)
                    lines = ", ".join(str(detail["line_number"]) for detail in details)
                    broken.append(f"{importer} -> {imported} (l.{lines})")
        return ContractCheck(kept=not broken, warnings=[], metadata={"broken": broken})

    def _is_public(self, app: str, module: str) -> bool:
        relative = module[len(app) + 1 :]
        return any(
            relative == pattern
            or (pattern.endswith(".**") and (relative + ".").startswith(pattern[:-2]))
            for pattern in self.public  # type: ignore[attr-defined]
        )

    def render_broken_contract(self, check: ContractCheck) -> None:
        output.print_error("Imports past another app's public surface:", bold=False)
        output.new_line()
        for line in check.metadata["broken"]:
            output.print_error(f"- {line}", bold=False)
            output.new_line()
