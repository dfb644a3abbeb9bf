"""The synthetic content of the demo month: everyday items and three matters that escalate.

Every name of a company, group or person here is invented. Items are dicts for
`events.services.record_item` (axis values as term codes) with placeholders filled per area:
{desa} a desa or kelurahan, {kec} its kecamatan, {kab} the kab/kota.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PREFIX = "[SINTETIS] "


@dataclass(frozen=True)
class Template:
    """One kind of everyday item; `weight` is how often it comes up."""

    title: str
    chronology: str
    axes: dict[str, str]
    weight: int = 1
    crowd: tuple[int, int] | None = None
    impacts: dict[str, tuple[int, int]] = field(default_factory=dict)
    actors: tuple[tuple[str, str], ...] = ()
    issues: tuple[str, ...] = ()
    trend: tuple[str, ...] = ("steady",)
    place: str = ""


def _axes(
    aspect: str,
    athg: str,
    uu7: str = "",
    snpk: str = "",
    acled: str = "",
    sub: str = "",
    election: str = "",
    stage: str = "",
) -> dict[str, str]:
    values = {
        "aspect": aspect,
        "athg": athg,
        "uu7_source": uu7,
        "snpk": snpk,
        "acled_type": acled,
        "acled_subtype": sub,
        "election_type": election,
        "election_stage": stage,
    }
    return {k: v for k, v in values.items() if v}


EVERYDAY: tuple[Template, ...] = (
    Template(
        "Unjuk rasa buruh perkebunan menuntut upah lembur di {kec}",
        "Sekitar {crowd} buruh berkumpul di depan kantor kebun di {desa}, {kec}. Mereka menuntut "
        "pembayaran upah lembur tiga bulan. Perwakilan perusahaan menerima lima orang perwakilan; "
        "aksi bubar tertib setelah dua jam.",
        _axes("ekonomi", "tantangan", "polekbud", "", "protests", "peaceful-protest"),
        weight=4,
        crowd=(40, 250),
        actors=(("Serikat Buruh Kebun Maju (fiktif)", "buruh"),),
        place="Kantor kebun",
    ),
    Template(
        "Penertiban tambang emas tanpa izin di aliran sungai {kec}",
        "Tim gabungan Satpol PP dan Polres menertibkan {crowd} lanting penambangan emas tanpa izin "
        "di aliran sungai dekat {desa}. Para penambang meninggalkan lokasi; tidak ada perlawanan.",
        _axes(
            "ekonomi",
            "hambatan",
            "distribusi-sda",
            "penegakan-hukum",
            "strategic-developments",
            "other",
        ),
        weight=3,
        crowd=(5, 30),
        actors=(("Penambang rakyat", "warga"), ("Tim gabungan penertiban", "pemerintah")),
        place="Aliran sungai",
    ),
    Template(
        "Sengketa batas kebun antarwarga di {desa}",
        "Dua keluarga di {desa}, {kec} bersengketa tentang patok batas kebun karet. Kepala desa "
        "memfasilitasi musyawarah; para pihak sepakat menunggu pengukuran ulang.",
        _axes(
            "sosial-budaya",
            "hambatan",
            "sengketa-sda",
            "sumber-daya",
            "strategic-developments",
            "agreement",
        ),
        weight=3,
        actors=(("Warga {desa}", "warga"),),
        trend=("steady", "falling"),
    ),
    Template(
        "Perkelahian antarkelompok pemuda di {kec}",
        "Perkelahian antara dua kelompok pemuda terjadi selepas acara hiburan malam di {desa}. "
        "{injured_light} orang luka ringan. Polsek mengamankan lokasi dan memanggil tokoh pemuda.",
        _axes(
            "pertahanan-keamanan",
            "gangguan",
            "polekbud",
            "main-hakim-sendiri",
            "riots",
            "mob-violence",
        ),
        weight=2,
        crowd=(10, 40),
        impacts={"injured_light": (1, 4)},
        actors=(("Kelompok pemuda", "warga"), ("Polsek {kec}", "polri")),
        trend=("rising", "steady"),
    ),
    Template(
        "Kebakaran lahan memicu protes warga di {kec}",
        "Kebakaran lahan gambut di dekat {desa} memicu protes warga yang menuding pembukaan lahan "
        "dengan cara dibakar. Manggala Agni dan warga memadamkan api; warga meminta penyelidikan.",
        _axes(
            "sosial-budaya",
            "gangguan",
            "sengketa-sda",
            "sumber-daya",
            "protests",
            "peaceful-protest",
        ),
        weight=2,
        crowd=(20, 80),
        impacts={"loss_rupiah": (10_000_000, 150_000_000)},
        actors=(("Warga {desa}", "warga"),),
    ),
    Template(
        "Isu politik uang menjelang Pilkada di {kec}",
        "Beredar kabar pembagian sembako oleh tim sukses salah satu pasangan calon di {desa}. "
        "Panwascam mengumpulkan keterangan; belum ada laporan resmi.",
        _axes(
            "politik",
            "ancaman",
            "polekbud",
            "pemilu-jabatan",
            "strategic-developments",
            "other",
            "pilkada",
            "kampanye",
        ),
        weight=2,
        issues=("politik-uang",),
        actors=(("Tim sukses pasangan calon (fiktif)", "partai-politik"),),
    ),
    Template(
        "Dugaan ketidaknetralan ASN di {kec}",
        "Foto seorang kepala seksi kecamatan menghadiri kampanye terbatas beredar di media "
        "sosial. Bawaslu kabupaten meminta klarifikasi.",
        _axes(
            "politik",
            "tantangan",
            "polekbud",
            "",
            "strategic-developments",
            "other",
            "pilkada",
            "kampanye",
        ),
        weight=1,
        issues=("netralitas-asn",),
        actors=(("Aparatur kecamatan", "pemerintah"),),
    ),
    Template(
        "Pemalangan jalan oleh warga adat di {desa}",
        "Warga adat {desa} memasang portal di jalan angkutan kayu sebagai tuntutan denda adat "
        "kepada perusahaan kayu yang merusak kebun warga. Damang kepala adat memfasilitasi.",
        _axes(
            "ekonomi",
            "tantangan",
            "sengketa-sda",
            "sumber-daya",
            "protests",
            "protest-with-intervention",
        ),
        weight=2,
        crowd=(30, 120),
        actors=(
            ("Masyarakat adat {desa}", "tokoh-adat"),
            ("PT Kayu Rimba Raya (fiktif)", "perusahaan"),
        ),
        trend=("rising", "steady"),
    ),
    Template(
        "Pencurian sawit berujung penganiayaan di {kec}",
        "Seorang warga diduga mencuri tandan buah sawit dan dianiaya oleh beberapa pekerja kebun "
        "di {desa}. Korban dirawat di puskesmas; polisi memeriksa saksi.",
        _axes(
            "pertahanan-keamanan",
            "gangguan",
            "",
            "main-hakim-sendiri",
            "violence-against-civilians",
            "attack",
        ),
        weight=2,
        impacts={"injured_serious": (0, 1), "injured_light": (1, 2)},
        actors=(("Pekerja kebun", "buruh"),),
    ),
    Template(
        "Sengketa batas desa {desa} dengan desa tetangga",
        "Warga dua desa di {kec} mempersoalkan tapal batas setelah pemasangan patok baru. Camat "
        "mengundang kedua kepala desa untuk rapat koordinasi.",
        _axes(
            "sosial-budaya",
            "hambatan",
            "batas-wilayah",
            "tata-kelola",
            "strategic-developments",
            "other",
        ),
        weight=2,
        actors=(("Pemerintah desa", "pemerintah"),),
    ),
    Template(
        "Audiensi mahasiswa tentang kenaikan tarif angkutan sungai",
        "Sekitar {crowd} mahasiswa beraudiensi dengan DPRD {kab} menolak kenaikan tarif "
        "angkutan sungai. Audiensi berjalan tertib.",
        _axes("ekonomi", "tantangan", "polekbud", "", "protests", "peaceful-protest"),
        weight=2,
        crowd=(30, 150),
        actors=(("Aliansi mahasiswa (fiktif)", "mahasiswa"),),
        place="Gedung DPRD",
    ),
    Template(
        "Pertemuan ormas keagamaan lintas iman di {kec}",
        "FKUB kecamatan mengadakan pertemuan rutin tokoh lintas agama di {desa}; dibahas "
        "persiapan hari besar keagamaan. Situasi kondusif.",
        _axes("ideologi", "tantangan", "agama-suku", "", "strategic-developments", "agreement"),
        weight=1,
        actors=(("FKUB {kec}", "tokoh-agama"),),
        trend=("falling", "steady"),
    ),
    Template(
        "Aksi tolak tambang pasir di sungai {kec}",
        "Warga nelayan {desa} menolak rencana tambang pasir yang dinilai merusak tempat mencari "
        "ikan. Aksi di kantor desa diikuti sekitar {crowd} orang.",
        _axes("ekonomi", "ancaman", "sengketa-sda", "sumber-daya", "protests", "peaceful-protest"),
        weight=1,
        crowd=(30, 90),
        actors=(("Kelompok nelayan {desa}", "petani"),),
        trend=("rising",),
    ),
)


@dataclass(frozen=True)
class Step:
    """One development of a scripted matter: on day `day` of the month (0 = the first)."""

    day: int
    title: str
    chronology: str
    axes: dict[str, str]
    crowd: int | None = None
    impacts: dict[str, int] = field(default_factory=dict)
    actors: tuple[tuple[str, str], ...] = ()
    issues: tuple[str, ...] = ()
    trend: str = "rising"
    classification: str = "biasa"
    event_status: str = ""  # the analyst moves the event to this status after the day's report


@dataclass(frozen=True)
class Story:
    """A matter that develops over the month in one kab/kota (the first of `regencies` found)."""

    key: str
    regencies: tuple[str, ...]
    steps: tuple[Step, ...]


PALM_OIL = Story(
    "sawit",
    ("62.02", "62.08", "62.01"),
    (
        Step(
            2,
            "Warga {desa} menuntut pengembalian lahan plasma dari PT Sawit Agro Lestari",
            "Perwakilan warga {desa} mendatangi kantor PT Sawit Agro Lestari (fiktif) menuntut "
            "realisasi kebun plasma 20 persen yang dijanjikan sejak 2014. Manajemen meminta waktu "
            "dua minggu.",
            _axes(
                "ekonomi",
                "tantangan",
                "sengketa-sda",
                "sumber-daya",
                "strategic-developments",
                "other",
            ),
            crowd=25,
            actors=(("Warga {desa}", "warga"), ("PT Sawit Agro Lestari (fiktif)", "perusahaan")),
            trend="steady",
        ),
        Step(
            7,
            "Unjuk rasa warga {desa} di kantor PT Sawit Agro Lestari",
            "Sekitar 150 warga berunjuk rasa di depan kantor kebun menuntut kejelasan plasma. Aksi "
            "dijaga Polsek; perusahaan belum memberi jawaban tertulis.",
            _axes(
                "ekonomi",
                "tantangan",
                "sengketa-sda",
                "sumber-daya",
                "protests",
                "peaceful-protest",
            ),
            crowd=150,
            actors=(("Warga {desa}", "warga"), ("Polsek {kec}", "polri")),
        ),
        Step(
            11,
            "Warga memortal jalan kebun PT Sawit Agro Lestari",
            "Sekitar 300 warga memasang portal dan menduduki jalan angkutan buah. Truk perusahaan "
            "tertahan; satpam perusahaan ditambah. Situasi tegang.",
            _axes(
                "ekonomi",
                "ancaman",
                "sengketa-sda",
                "sumber-daya",
                "protests",
                "protest-with-intervention",
            ),
            crowd=300,
            actors=(("Warga {desa}", "warga"), ("Satpam perusahaan", "perusahaan")),
            classification="terbatas",
            event_status="monitored",
        ),
        Step(
            14,
            "Bentrok warga dengan satpam kebun di {desa}",
            "Upaya membuka portal berujung bentrok antara warga dan satpam perusahaan. Dua orang "
            "luka berat dan tujuh luka ringan; satu pos jaga dan dua kendaraan dibakar. Brimob "
            "diturunkan untuk mengendalikan situasi.",
            _axes(
                "pertahanan-keamanan",
                "gangguan",
                "sengketa-sda",
                "sumber-daya",
                "riots",
                "mob-violence",
            ),
            crowd=400,
            impacts={
                "injured_serious": 2,
                "injured_light": 7,
                "public_buildings_damaged": 1,
                "loss_rupiah": 350_000_000,
            },
            actors=(
                ("Warga {desa}", "warga"),
                ("Satpam perusahaan", "perusahaan"),
                ("Brimob Polda", "polri"),
            ),
            classification="terbatas",
        ),
        Step(
            15,
            "Polres mengamankan empat orang pascabentrok di {desa}",
            "Polres mengamankan empat orang terduga pelaku pembakaran. Warga berkumpul di kantor "
            "desa meminta mereka dibebaskan; tokoh adat menenangkan massa.",
            _axes(
                "pertahanan-keamanan",
                "ancaman",
                "sengketa-sda",
                "penegakan-hukum",
                "strategic-developments",
                "arrests",
            ),
            crowd=120,
            actors=(("Polres {kab}", "polri"), ("Tokoh adat {desa}", "tokoh-adat")),
            classification="terbatas",
        ),
        Step(
            18,
            "Mediasi Pemkab {kab} antara warga dan PT Sawit Agro Lestari",
            "Bupati memimpin mediasi bersama Forkopimda. Disepakati pembentukan tim verifikasi "
            "lahan plasma; portal dibuka.",
            _axes(
                "ekonomi",
                "tantangan",
                "sengketa-sda",
                "sumber-daya",
                "strategic-developments",
                "agreement",
            ),
            actors=(("Pemerintah Kabupaten {kab}", "pemerintah"),),
            trend="falling",
        ),
        Step(
            24,
            "Kesepakatan plasma ditandatangani, situasi {desa} kondusif",
            "Perusahaan dan perwakilan warga menandatangani kesepakatan penyerahan kebun plasma "
            "bertahap. Aktivitas kebun berjalan normal.",
            _axes(
                "ekonomi", "tantangan", "sengketa-sda", "", "strategic-developments", "agreement"
            ),
            trend="falling",
            event_status="resolved",
        ),
    ),
)

PILKADES = Story(
    "pilkades",
    ("62.03", "62.10", "62.71"),
    (
        Step(
            8,
            "Pilkades serentak di {desa}: selisih tiga suara",
            "Pemungutan suara Pilkades berjalan lancar; hasil penghitungan menunjukkan selisih "
            "tiga suara antara dua calon. Pendukung calon yang kalah meminta penghitungan ulang.",
            _axes(
                "politik",
                "tantangan",
                "polekbud",
                "pemilu-jabatan",
                "strategic-developments",
                "other",
                "pilkades",
                "pemungutan-penghitungan",
            ),
            trend="steady",
        ),
        Step(
            9,
            "Pendukung calon kades berunjuk rasa di kantor Kecamatan {kec}",
            "Sekitar 80 pendukung calon kepala desa yang kalah mendatangi kantor kecamatan. Mereka "
            "menuding ada pembagian uang pada malam sebelum pemungutan suara.",
            _axes(
                "politik",
                "ancaman",
                "polekbud",
                "pemilu-jabatan",
                "protests",
                "peaceful-protest",
                "pilkades",
                "rekapitulasi",
            ),
            crowd=80,
            issues=("politik-uang",),
            actors=(("Pendukung calon kades (fiktif)", "warga"),),
        ),
        Step(
            12,
            "Kantor Desa {desa} disegel massa",
            "Massa menyegel kantor desa dengan papan dan spanduk, menolak penetapan kepala desa "
            "terpilih. Pelayanan desa berhenti; panitia pilkades melapor diintimidasi.",
            _axes(
                "politik",
                "ancaman",
                "polekbud",
                "pemilu-jabatan",
                "protests",
                "protest-with-intervention",
                "pilkades",
                "penetapan",
            ),
            crowd=120,
            issues=("politik-uang", "intimidasi"),
            actors=(
                ("Pendukung calon kades (fiktif)", "warga"),
                ("Panitia pilkades", "pemerintah"),
            ),
            event_status="monitored",
        ),
        Step(
            16,
            "Ricuh saat penetapan kepala desa {desa}",
            "Penetapan kepala desa terpilih di aula kecamatan diwarnai lemparan batu dan "
            "pembakaran ban. Tiga orang luka ringan; kaca aula kecamatan pecah. Polisi "
            "membubarkan massa.",
            _axes(
                "pertahanan-keamanan",
                "gangguan",
                "polekbud",
                "pemilu-jabatan",
                "riots",
                "violent-demonstration",
                "pilkades",
                "penetapan",
            ),
            crowd=150,
            impacts={"injured_light": 3, "public_buildings_damaged": 1, "loss_rupiah": 25_000_000},
            issues=("intimidasi",),
            actors=(("Pendukung calon kades (fiktif)", "warga"), ("Polres {kab}", "polri")),
            classification="terbatas",
        ),
        Step(
            20,
            "DPMD memfasilitasi penyelesaian sengketa Pilkades {desa}",
            "Dinas PMD memfasilitasi pertemuan kedua calon dan tokoh masyarakat. Calon yang kalah "
            "menempuh jalur keberatan resmi; segel kantor desa dibuka.",
            _axes(
                "politik",
                "tantangan",
                "polekbud",
                "",
                "strategic-developments",
                "agreement",
                "pilkades",
                "penetapan",
            ),
            trend="falling",
        ),
    ),
)

HOAX = Story(
    "hoaks",
    ("62.71", "62.02", "62.01"),
    (
        Step(
            19,
            "Hoaks video tentang Jemaah Cahaya Damai beredar di media sosial",
            "Video lama yang disunting beredar di grup percakapan dengan narasi bahwa Jemaah "
            "Cahaya Damai (kelompok fiktif) akan membangun rumah ibadah tanpa izin di {desa}. "
            "Video dibagikan ribuan kali.",
            _axes(
                "ideologi", "ancaman", "agama-suku", "identitas", "strategic-developments", "other"
            ),
            issues=("hoaks",),
            actors=(("Akun media sosial anonim", "tidak-dikenal"),),
        ),
        Step(
            20,
            "Ajakan aksi massa terhadap Jemaah Cahaya Damai di {kec}",
            "Muncul ajakan berkumpul di {desa} untuk 'menolak' rumah ibadah tersebut. Intelijen "
            "memetakan penggerak ajakan; pengamanan tempat ibadah ditingkatkan.",
            _axes(
                "ideologi", "ancaman", "agama-suku", "identitas", "strategic-developments", "other"
            ),
            issues=("hoaks", "politik-identitas"),
            actors=(("Akun media sosial anonim", "tidak-dikenal"), ("Polresta", "polri")),
            classification="terbatas",
            event_status="monitored",
        ),
        Step(
            21,
            "FKUB dan Polresta mengklarifikasi hoaks Jemaah Cahaya Damai",
            "FKUB, Kemenag dan Polresta menggelar konferensi pers: video adalah rekaman lama dari "
            "luar daerah dan tidak ada rencana pembangunan. Tokoh agama mengimbau warga tenang.",
            _axes("ideologi", "tantangan", "agama-suku", "", "strategic-developments", "agreement"),
            actors=(("FKUB", "tokoh-agama"), ("Polresta", "polri")),
            trend="steady",
        ),
        Step(
            22,
            "Aksi damai ormas meminta penegakan hukum penyebar hoaks",
            "Sekitar 200 anggota ormas berunjuk rasa damai di depan Polresta meminta penyebar "
            "hoaks ditangkap. Aksi tertib dan bubar setelah diterima Kapolresta.",
            _axes("ideologi", "tantangan", "agama-suku", "", "protests", "peaceful-protest"),
            crowd=200,
            actors=(("Ormas keagamaan (fiktif)", "ormas"),),
            trend="steady",
        ),
        Step(
            25,
            "Situasi kondusif pascahoaks Jemaah Cahaya Damai",
            "Tidak ada lagi ajakan aksi; penyebar pertama video diperiksa polisi. Warga {desa} "
            "beraktivitas normal.",
            _axes("ideologi", "tantangan", "agama-suku", "", "strategic-developments", "arrests"),
            trend="falling",
            event_status="resolved",
        ),
    ),
)

STORIES = (PALM_OIL, PILKADES, HOAX)

RETURN_REASONS = (
    "Kronologi belum menyebut jumlah massa dan waktu kejadian. Mohon dilengkapi.",
    "Sumber informasi dan cara memperolehnya belum diisi.",
    "Klasifikasi ATHG kurang tepat; mohon ditinjau ulang.",
)
SOURCES = (
    ("Kepala desa", "Mitra kerja", "Telepon"),
    ("Babinsa", "Anggota Tim Kewaspadaan Dini", "Rapat koordinasi"),
    ("Tokoh masyarakat", "Narasumber tetap", "Wawancara langsung"),
    ("Media daring lokal", "Pemantauan media", "Pemantauan"),
    ("Anggota FKDM", "Anggota forum", "Laporan lisan"),
)


def fill(text: str, values: dict[str, Any]) -> str:
    """`text` with its {placeholders} filled in (unknown ones left as they are)."""
    for key, value in values.items():
        text = text.replace("{" + key + "}", str(value))
    return text
