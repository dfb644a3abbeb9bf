"""Seed the classification taxonomies of DOMAIN.md. Admins edit them afterwards as data."""

from django.db import migrations

# axis -> [(code, label, label_en, weight, parent_code)]
TERMS = {
    "aspect": [
        ("ideologi", "Ideologi", "Ideology", 1, None),
        ("politik", "Politik", "Politics", 1, None),
        ("ekonomi", "Ekonomi", "Economy", 1, None),
        ("sosial-budaya", "Sosial budaya", "Socio-cultural", 1, None),
        ("pertahanan-keamanan", "Pertahanan dan keamanan", "Defence and security", 1, None),
    ],
    "athg": [
        ("ancaman", "Ancaman", "Threat", 1.5, None),
        ("tantangan", "Tantangan", "Challenge", 0.75, None),
        ("hambatan", "Hambatan", "Obstacle", 0.75, None),
        ("gangguan", "Gangguan", "Disturbance", 1.25, None),
    ],
    "uu7_source": [
        (
            "polekbud",
            "Permasalahan politik, ekonomi, dan sosial budaya",
            "Political, economic and socio-cultural problems",
            1,
            None,
        ),
        (
            "agama-suku",
            "Perseteruan antarumat beragama/intern umat beragama, antarsuku, dan antaretnis",
            "Feuds between or within religious communities, tribes or ethnic groups",
            1,
            None,
        ),
        (
            "batas-wilayah",
            "Sengketa batas wilayah desa, kabupaten/kota, dan/atau provinsi",
            "Boundary disputes between desa, kab/kota or provinsi",
            1,
            None,
        ),
        (
            "sengketa-sda",
            "Sengketa sumber daya alam antarmasyarakat dan/atau antara masyarakat dengan pelaku usaha",
            "Natural-resource disputes within the community or with businesses",
            1,
            None,
        ),
        (
            "distribusi-sda",
            "Distribusi sumber daya alam yang tidak seimbang dalam masyarakat",
            "Unbalanced distribution of natural resources",
            1,
            None,
        ),
    ],
    "snpk": [
        (
            "sumber-daya",
            "Konflik kekerasan sumber daya",
            "Violent conflict over resources",
            1,
            None,
        ),
        (
            "tata-kelola",
            "Konflik kekerasan tata kelola pemerintahan",
            "Violent conflict over governance",
            1,
            None,
        ),
        (
            "pemilu-jabatan",
            "Konflik kekerasan pemilihan dan jabatan",
            "Violent conflict over elections and appointments",
            1,
            None,
        ),
        ("identitas", "Konflik kekerasan identitas", "Identity-based violent conflict", 1.25, None),
        ("main-hakim-sendiri", "Main hakim sendiri", "Vigilantism", 1, None),
        ("separatisme", "Separatisme", "Separatism", 1.5, None),
        (
            "penegakan-hukum",
            "Kekerasan dalam penegakan hukum",
            "Violence in law enforcement",
            1,
            None,
        ),
        ("kriminalitas", "Kriminalitas", "Crime", 0.5, None),
        ("kdrt", "Kekerasan dalam rumah tangga", "Domestic violence", 0.25, None),
    ],
    "acled_type": [
        ("battles", "Pertempuran", "Battles", 2, None),
        ("explosions", "Ledakan/kekerasan jarak jauh", "Explosions/Remote violence", 2, None),
        (
            "violence-against-civilians",
            "Kekerasan terhadap warga sipil",
            "Violence against civilians",
            1.75,
            None,
        ),
        ("protests", "Unjuk rasa", "Protests", 0.75, None),
        ("riots", "Kerusuhan", "Riots", 1.5, None),
        ("strategic-developments", "Perkembangan strategis", "Strategic developments", 0.5, None),
    ],
    "acled_subtype": [
        ("armed-clash", "Bentrokan bersenjata", "Armed clash", 1, "battles"),
        (
            "government-regains-territory",
            "Pemerintah merebut kembali wilayah",
            "Government regains territory",
            1,
            "battles",
        ),
        (
            "non-state-overtakes-territory",
            "Kelompok non-negara menguasai wilayah",
            "Non-state actor overtakes territory",
            1,
            "battles",
        ),
        ("chemical-weapon", "Senjata kimia", "Chemical weapon", 1, "explosions"),
        ("air-drone-strike", "Serangan udara/drone", "Air/drone strike", 1, "explosions"),
        ("suicide-bomb", "Bom bunuh diri", "Suicide bomb", 1, "explosions"),
        (
            "shelling-artillery-missile",
            "Penembakan artileri/misil",
            "Shelling/artillery/missile attack",
            1,
            "explosions",
        ),
        (
            "remote-explosive",
            "Bahan peledak jarak jauh/ranjau/IED",
            "Remote explosive/landmine/IED",
            1,
            "explosions",
        ),
        ("grenade", "Granat", "Grenade", 1, "explosions"),
        (
            "sexual-violence",
            "Kekerasan seksual",
            "Sexual violence",
            1,
            "violence-against-civilians",
        ),
        ("attack", "Serangan", "Attack", 1, "violence-against-civilians"),
        (
            "abduction",
            "Penculikan/penghilangan paksa",
            "Abduction/forced disappearance",
            1,
            "violence-against-civilians",
        ),
        ("peaceful-protest", "Unjuk rasa damai", "Peaceful protest", 1, "protests"),
        (
            "protest-with-intervention",
            "Unjuk rasa dengan intervensi",
            "Protest with intervention",
            1,
            "protests",
        ),
        (
            "excessive-force",
            "Kekuatan berlebihan terhadap pengunjuk rasa",
            "Excessive force against protesters",
            1,
            "protests",
        ),
        (
            "violent-demonstration",
            "Demonstrasi dengan kekerasan",
            "Violent demonstration",
            1,
            "riots",
        ),
        ("mob-violence", "Kekerasan massa", "Mob violence", 1, "riots"),
        ("agreement", "Kesepakatan", "Agreement", 1, "strategic-developments"),
        ("arrests", "Penangkapan", "Arrests", 1, "strategic-developments"),
        (
            "change-to-group-activity",
            "Perubahan aktivitas kelompok",
            "Change to group/activity",
            1,
            "strategic-developments",
        ),
        (
            "disrupted-weapons-use",
            "Penggagalan penggunaan senjata",
            "Disrupted weapons use",
            1,
            "strategic-developments",
        ),
        (
            "base-established",
            "Pendirian markas/basis",
            "Headquarters or base established",
            1,
            "strategic-developments",
        ),
        (
            "looting-destruction",
            "Penjarahan/perusakan properti",
            "Looting/property destruction",
            1,
            "strategic-developments",
        ),
        (
            "non-violent-transfer",
            "Pengalihan wilayah tanpa kekerasan",
            "Non-violent transfer of territory",
            1,
            "strategic-developments",
        ),
        ("other", "Lainnya", "Other", 1, "strategic-developments"),
    ],
    "election_type": [
        ("pemilu", "Pemilu", "General election", 1, None),
        ("pilkada", "Pilkada", "Regional head election", 1, None),
        ("pilkades", "Pilkades", "Village head election", 1, None),
    ],
    "election_stage": [
        ("pencalonan", "Pencalonan", "Candidacy", 1, None),
        ("kampanye", "Kampanye", "Campaign", 1, None),
        ("masa-tenang", "Masa tenang", "Quiet period", 1, None),
        (
            "pemungutan-penghitungan",
            "Pemungutan dan penghitungan suara",
            "Voting and counting",
            1,
            None,
        ),
        ("rekapitulasi", "Rekapitulasi", "Tabulation", 1, None),
        ("penetapan", "Penetapan", "Declaration of results", 1, None),
    ],
    "election_issue": [
        ("politik-uang", "Politik uang", "Money politics", 1, None),
        ("netralitas-asn", "Netralitas ASN", "Neutrality of civil servants", 1, None),
        ("politik-identitas", "Politik identitas (SARA)", "Identity politics (SARA)", 1, None),
        ("hoaks", "Hoaks di media sosial", "Hoaxes on social media", 1, None),
        ("intimidasi", "Intimidasi", "Intimidation", 1, None),
    ],
    "actor_type": [
        ("warga", "Warga masyarakat", "Residents", 1, None),
        ("ormas", "Organisasi kemasyarakatan", "Civil society organisation", 1, None),
        ("tokoh-agama", "Tokoh agama", "Religious figure", 1, None),
        ("tokoh-adat", "Tokoh adat", "Customary figure", 1, None),
        ("mahasiswa", "Mahasiswa/pelajar", "Students", 1, None),
        ("buruh", "Buruh/pekerja", "Workers", 1, None),
        ("petani", "Petani/nelayan", "Farmers/fishers", 1, None),
        ("perusahaan", "Perusahaan", "Company", 1, None),
        ("partai-politik", "Partai politik/peserta pemilu", "Political party/candidate", 1, None),
        ("pemerintah", "Aparat pemerintah daerah", "Local government", 1, None),
        ("polri", "Polri", "Police", 1, None),
        ("tni", "TNI", "Military", 1, None),
        ("kelompok-bersenjata", "Kelompok bersenjata", "Armed group", 1, None),
        ("tidak-dikenal", "Orang tidak dikenal", "Unidentified", 1, None),
        ("lainnya", "Lainnya", "Other", 1, None),
    ],
    # Admiralty scale: weights are the factor the risk engine gives to an item's evidence.
    "source_reliability": [
        ("a", "A - Sepenuhnya dapat dipercaya", "A - Completely reliable", 1.0, None),
        ("b", "B - Biasanya dapat dipercaya", "B - Usually reliable", 0.9, None),
        ("c", "C - Cukup dapat dipercaya", "C - Fairly reliable", 0.75, None),
        ("d", "D - Biasanya tidak dapat dipercaya", "D - Not usually reliable", 0.5, None),
        ("e", "E - Tidak dapat dipercaya", "E - Unreliable", 0.25, None),
        ("f", "F - Keandalan tidak dapat dinilai", "F - Reliability cannot be judged", 0.5, None),
    ],
    "info_credibility": [
        ("1", "1 - Dikonfirmasi sumber lain", "1 - Confirmed by other sources", 1.0, None),
        ("2", "2 - Kemungkinan besar benar", "2 - Probably true", 0.9, None),
        ("3", "3 - Mungkin benar", "3 - Possibly true", 0.75, None),
        ("4", "4 - Diragukan", "4 - Doubtful", 0.5, None),
        ("5", "5 - Tidak mungkin benar", "5 - Improbable", 0.25, None),
        ("6", "6 - Kebenaran tidak dapat dinilai", "6 - Truth cannot be judged", 0.5, None),
    ],
}


def seed(apps, schema_editor):
    Term = apps.get_model("events", "Term")
    for axis, rows in TERMS.items():
        by_code = {}
        for order, (code, label, label_en, weight, _parent) in enumerate(rows, 1):
            term, _ = Term.objects.update_or_create(
                axis=axis,
                code=code,
                defaults={
                    "label": label,
                    "label_en": label_en,
                    "weight": weight,
                    "sort_order": order,
                    "parent": None,
                },
            )
            by_code[code] = term
        for code, _label, _en, _w, parent_code in rows:
            if parent_code:
                parent = Term.objects.get(axis="acled_type", code=parent_code)
                Term.objects.filter(pk=by_code[code].pk).update(parent=parent)


def unseed(apps, schema_editor):
    apps.get_model("events", "Term").objects.filter(axis__in=list(TERMS)).delete()


class Migration(migrations.Migration):
    dependencies = [("events", "0002_initial")]
    operations = [migrations.RunPython(seed, unseed)]
