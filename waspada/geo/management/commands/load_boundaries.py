"""`manage.py load_boundaries [DIR]`: load provinsi/kab-kota/kecamatan boundaries keyed by kode."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from waspada.geo import boundaryfiles
from waspada.geo.choices import AreaLevel
from waspada.geo.services import load_boundaries


class Command(BaseCommand):
    help = (
        "Muat batas wilayah (provinsi, kabupaten_kota, kecamatan; .geojson atau .topo.json, "
        "fitur dengan properti `kode`). Tanpa DIR: WASPADA_BOUNDARIES, lalu "
        "../shared/data/wilayah-boundaries. Aman dijalankan ulang."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", nargs="?", metavar="DIR", help="folder berkas batas")

    def handle(self, *args: Any, **options: Any) -> None:
        directory = (
            Path(options["directory"])
            if options["directory"]
            else boundaryfiles.default_directory()
        )
        if directory is None:
            raise CommandError(
                "Folder batas wilayah tidak diberikan. Jalankan `manage.py load_boundaries DIR` "
                "atau setel WASPADA_BOUNDARIES."
            )
        try:
            features, files = boundaryfiles.read_directory(directory)
        except (FileNotFoundError, boundaryfiles.BoundaryFileError) as exc:
            raise CommandError(str(exc)) from exc
        report = load_boundaries(features, source=str(directory))
        self.stdout.write(f"Berkas: {', '.join(path.name for path in files)}")
        for level in sorted(features):
            slug = AreaLevel(level).slug
            self.stdout.write(
                f"  {AreaLevel(level).label}: dibuat {report.created[slug]:,}, "
                f"diperbarui {report.updated[slug]:,}, tidak berubah {report.unchanged[slug]:,}, "
                f"dihapus {report.removed[slug]:,}"
            )
        if report.skipped:
            sample = ", ".join(f"{s['code'] or '?'} ({s['reason']})" for s in report.skipped[:10])
            more = f" … (+{len(report.skipped) - 10:,})" if len(report.skipped) > 10 else ""
            self.stdout.write(
                self.style.WARNING(f"{len(report.skipped):,} fitur dilewati: {sample}{more}")
            )
        self.stdout.write(self.style.SUCCESS(f"Selesai (versi batas {report.version})."))
