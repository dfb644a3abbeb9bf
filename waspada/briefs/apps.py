from django.apps import AppConfig


class BriefsConfig(AppConfig):
    """Briefs: documents a leader can sign (DOCX, PDF) and exports an analyst can take away."""

    name = "waspada.briefs"
    label = "briefs"
    verbose_name = "Dokumen dan ekspor"
