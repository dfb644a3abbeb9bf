"""The time zone of an area, from its province code: WIB, WITA or WIT."""

from __future__ import annotations

from zoneinfo import ZoneInfo

# Provinces in Waktu Indonesia Tengah (UTC+8) and Timur (UTC+9); the rest use WIB (UTC+7).
_WITA = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}
_WIT = {"81", "82", "91", "92", "93", "94", "95", "96"}

ZONES = {
    "WIB": ZoneInfo("Asia/Jakarta"),
    "WITA": ZoneInfo("Asia/Makassar"),
    "WIT": ZoneInfo("Asia/Jayapura"),
}


def zone_label(area_code: str | None) -> str:
    """ "WIB", "WITA" or "WIT" for an area code (WIB when unknown)."""
    province = (area_code or "").split(".", 1)[0]
    if province in _WIT:
        return "WIT"
    if province in _WITA:
        return "WITA"
    return "WIB"


def zone_for(area_code: str | None) -> ZoneInfo:
    return ZONES[zone_label(area_code)]
