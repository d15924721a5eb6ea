"""What an app writes to import a kind of file through core.imports: one `Importer` subclass.

    class SitesImporter(Importer):
        name = "heritage.sites"
        accept = frozenset({"csv", "xlsx"})

        def check(self, *, actor, file, target) -> CheckOutcome: ...      # never writes
        def basis(self, *, actor, target, batch) -> dict: ...             # the data's state now
        def commit(self, *, actor, file, target, batch, stale) -> CommitOutcome: ...  # writes

`check` reads the checked file (see core.files) and returns the row-by-row report, whether it is
clean, and the `basis` (versions of what it read). At commit, core compares the importer's
`basis` now with the stored one: when they differ the batch is *stale*; with `on_stale="refuse"`
the commit is refused (409, nothing written), with `"recheck"` the importer's `commit` checks the
file again inside the commit's transaction and writes only if it is still clean.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.conf import settings

from vhttdl.core.files.archives import ArchiveLimits
from vhttdl.core.files.checks import CheckedFile

MB = 1024 * 1024


@dataclass
class CheckOutcome:
    report: dict[str, Any]
    clean: bool
    rows_total: int = 0
    rows_bad: int = 0
    basis: dict[str, Any] = field(default_factory=dict)


@dataclass
class CommitOutcome:
    report: dict[str, Any]
    committed: bool
    rows_total: int = 0
    rows_bad: int = 0


class Importer:
    name: ClassVar[str] = ""
    accept: ClassVar[frozenset[str]] = frozenset()
    on_stale: ClassVar[str] = "refuse"  # or "recheck"
    max_bytes_setting: ClassVar[str] = ""
    default_max_bytes: ClassVar[int] = 20 * MB

    def max_bytes(self) -> int:
        return int(getattr(settings, self.max_bytes_setting, self.default_max_bytes)) if self.max_bytes_setting \
            else self.default_max_bytes

    def archive_limits(self) -> ArchiveLimits:
        return ArchiveLimits.from_settings()

    def check_file(self, upload: Any, *, name: str | None = None) -> CheckedFile:
        """The upload check (core.files) with this importer's kinds and limits; InvalidInput if bad."""
        from vhttdl.core.files.checks import check_upload

        return check_upload(upload, name=name, accept=self.accept, max_bytes=self.max_bytes(),
                            archive_limits=self.archive_limits())

    def check(self, *, actor: Any, file: CheckedFile, target: Any) -> CheckOutcome:
        raise NotImplementedError

    def basis(self, *, actor: Any, target: Any, batch: Any) -> dict[str, Any]:
        return {}

    def stale_message(self, *, batch: Any, current: dict[str, Any]) -> str:
        from django.utils.translation import gettext as _

        return _("Dữ liệu đã thay đổi sau lần kiểm tra tệp; chưa ghi gì. Hãy tải tệp lên lại để kiểm tra lại.")

    def commit(self, *, actor: Any, file: CheckedFile, target: Any, batch: Any, stale: bool) -> CommitOutcome:
        raise NotImplementedError
