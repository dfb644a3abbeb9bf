"""`manage.py load_areas [--from DIR] [--download-only]`: load the Kemendagri code list."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.error import URLError

from django.core.management.base import BaseCommand, CommandError, CommandParser

from waspada.core.errors import InvalidInput
from waspada.core.npm import IntegrityError
from waspada.geo import areadata
from waspada.geo.services import load_areas

PACKAGE = f"{areadata.IDN_AREA_DATA.name}@{areadata.IDN_AREA_DATA.version}"


class Command(BaseCommand):
    help = (
        f"Muat kode dan nama wilayah dari paket npm {PACKAGE} (integritas sha512 diperiksa, "
        "disimpan di var/cache). Aman dijalankan ulang."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--from",
            dest="source_dir",
            metavar="DIR",
            help=(
                f"folder berisi {areadata.IDN_AREA_DATA.tarball_name} atau provinces.csv, "
                "regencies.csv, districts.csv dan villages.csv (untuk mesin tanpa internet)"
            ),
        )
        parser.add_argument(
            "--download-only",
            action="store_true",
            help="hanya unduh dan periksa paket ke var/cache, tanpa memuat ke basis data",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source_dir = options["source_dir"]
        try:
            if options["download_only"]:
                if source_dir:
                    raise CommandError("--download-only tidak dapat dipakai bersama --from.")
                data = areadata.download()
                self.stdout.write(
                    f"{PACKAGE} tersedia di cache ({len(data):,} bita, integritas cocok)."
                )
                return
            if source_dir:
                rows = areadata.read_directory(Path(source_dir))
            else:
                rows = areadata.read_pinned()
        except IntegrityError as exc:
            raise CommandError(
                f"Paket ditolak: {exc}. Unduh ulang {PACKAGE} dari registry npm yang resmi."
            ) from exc
        except FileNotFoundError as exc:
            raise CommandError(str(exc)) from exc
        except (URLError, TimeoutError, OSError) as exc:
            raise CommandError(
                f"Tidak dapat mengunduh {PACKAGE} ({exc}). Di mesin tanpa internet, salin "
                f"{areadata.IDN_AREA_DATA.tarball_name} ke sebuah folder dan jalankan "
                "`manage.py load_areas --from FOLDER`."
            ) from exc
        except InvalidInput as exc:
            raise CommandError(self._invalid(exc)) from exc
        try:
            report = load_areas(rows)
        except InvalidInput as exc:
            raise CommandError(self._invalid(exc)) from exc

        totals = report.totals
        self.stdout.write(
            f"Wilayah dari {rows.source}: {totals['province']:,} provinsi, "
            f"{totals['regency']:,} kabupaten/kota, {totals['district']:,} kecamatan, "
            f"{totals['village']:,} desa/kelurahan."
        )
        self.stdout.write(
            f"Dibuat {report.created_total:,}, diperbarui {report.updated:,}, "
            f"tidak berubah {report.unchanged:,}."
        )
        for change in report.renamed[:50]:
            self.stdout.write(
                f"  ganti nama {change['code']}: {change['before']} → {change['after']}"
            )
        if len(report.renamed) > 50:
            self.stdout.write(
                f"  … dan {len(report.renamed) - 50:,} perubahan nama lain (lihat log audit)."
            )
        if report.missing:
            shown = ", ".join(report.missing[:20])
            more = f" … (+{len(report.missing) - 20:,})" if len(report.missing) > 20 else ""
            self.stdout.write(
                self.style.WARNING(
                    f"{len(report.missing):,} kode ada di basis data tetapi tidak ada di data baru "
                    f"(tidak dihapus): {shown}{more}"
                )
            )
        self.stdout.write(self.style.SUCCESS("Selesai."))

    @staticmethod
    def _invalid(exc: InvalidInput) -> str:
        lines = [exc.message]
        for where, messages in list(exc.errors.items())[:50]:
            lines.extend(f"  {where}: {message}" for message in messages)
        return "\n".join(lines)
