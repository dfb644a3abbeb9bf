from django.db import models
from django.utils.translation import gettext_lazy as _


class AreaLevel(models.IntegerChoices):
    """The four administrative levels, by the number of segments in the dotted code."""

    PROVINCE = 1, _("Provinsi")
    REGENCY = 2, _("Kabupaten/Kota")
    DISTRICT = 3, _("Kecamatan")
    VILLAGE = 4, _("Desa/Kelurahan")

    @classmethod
    def from_slug(cls, slug: str) -> "AreaLevel":
        return {
            "province": cls.PROVINCE,
            "regency": cls.REGENCY,
            "district": cls.DISTRICT,
            "village": cls.VILLAGE,
        }[slug]

    @property
    def slug(self) -> str:
        return {1: "province", 2: "regency", 3: "district", 4: "village"}[int(self.value)]
