"""User-facing words in Indonesian (default) and English, and numbers as each reader expects.

Column headers, chart labels and slide titles come from :data:`TERMS`; code never spells a
user-facing word itself. ``lang`` is ``"id"`` or ``"en"`` everywhere.
"""

from __future__ import annotations

import math

LANGS = ("id", "en")

#: key -> (Indonesian, English)
TERMS: dict[str, tuple[str, str]] = {
    # table columns
    "cycle": ("Siklus", "Cycle"),
    "region": ("Daerah", "Region"),
    "region_type": ("Jenis daerah", "Region type"),
    "province": ("Provinsi", "Province"),
    "respondent": ("Responden", "Respondent"),
    "indicator": ("Indikator", "Indicator"),
    "code": ("Kode", "Code"),
    "name": ("Nama", "Name"),
    "level": ("Tingkat", "Level"),
    "depth": ("Kedalaman", "Depth"),
    "score": ("Skor", "Score"),
    "raw": ("Nilai asli", "Raw value"),
    "value": ("Nilai", "Value"),
    "evidence": ("Bukti dukung", "Evidence"),
    "coverage": ("Kelengkapan", "Coverage"),
    "n_respondents": ("Jumlah responden", "Respondents"),
    "rank": ("Peringkat", "Rank"),
    "n_ranked": ("Jumlah daerah", "Regions ranked"),
    "median": ("Median kohort", "Cohort median"),
    "mean": ("Rata-rata kohort", "Cohort mean"),
    "best": ("Terbaik kohort", "Cohort best"),
    "best_region": ("Daerah terbaik", "Best region"),
    "q1": ("Kuartil 1", "Quartile 1"),
    "q3": ("Kuartil 3", "Quartile 3"),
    "min": ("Terendah", "Lowest"),
    "n": ("Jumlah", "Count"),
    "to_median": ("Selisih dari median", "Distance to median"),
    "to_best": ("Selisih dari terbaik", "Distance to best"),
    "previous_cycle": ("Siklus sebelumnya", "Previous cycle"),
    "previous_score": ("Skor sebelumnya", "Previous score"),
    "previous_rank": ("Peringkat sebelumnya", "Previous rank"),
    "score_change": ("Perubahan skor", "Score change"),
    "rank_change": ("Perubahan peringkat", "Rank change"),
    "maturity": ("Tingkat kematangan", "Maturity level"),
    "maturity_level": ("Level kematangan", "Maturity level no."),
    "dimension": ("Dimensi", "Dimension"),
    "sub_dimension": ("Sub-dimensi", "Sub-dimension"),
    "aspect": ("Aspek", "Aspect"),
    "current": ("Skor saat ini", "Current score"),
    "target": ("Target", "Target"),
    "gap": ("Kesenjangan", "Gap"),
    "index_points": ("Tambahan poin indeks", "Index points gained"),
    "priority": ("Prioritas", "Priority"),
    "horizon": ("Jangka waktu", "Horizon"),
    "effort": ("Upaya", "Effort"),
    "target_rule": ("Dasar target", "Target rule"),
    "target_year": ("Tahun target", "Target year"),
    "share_of_index_gap": ("Porsi kesenjangan indeks (%)", "Share of index gap (%)"),
    "gap_closed": ("Kesenjangan tertutup sejak siklus lalu", "Gap closed since last cycle"),
    "on_track": ("Sesuai jalur", "On track"),
    "median_rank": ("Peringkat median", "Median rank"),
    # level names of the default instrument
    "level:index": ("Indeks", "Index"),
    "level:dimension": ("Dimensi", "Dimension"),
    "level:sub-dimension": ("Sub-dimensi", "Sub-dimension"),
    "level:indicator": ("Indikator", "Indicator"),
    # sheet names
    "sheet:scores": ("Skor", "Scores"),
    "sheet:dimensions": ("Skor Dimensi", "Dimension scores"),
    "sheet:comparison": ("Perbandingan", "Comparison"),
    "sheet:cohort": ("Statistik Kohort", "Cohort statistics"),
    "sheet:readiness": ("Matriks Kesiapan", "Readiness matrix"),
    "sheet:gaps": ("Analisis Kesenjangan", "Gap analysis"),
    "sheet:uncertainty": ("Ketidakpastian", "Uncertainty"),
    "sheet:about": ("Tentang", "About"),
    # words
    "synthetic": ("data sintetis", "synthetic data"),
    "source": ("Sumber", "Source"),
    "index": ("Indeks", "Index"),
    "cohort_median": ("Median kohort", "Cohort median"),
    "of": ("dari", "of"),
    "points": ("poin", "points"),
    # charts (smartcity_analysis.presentation.charts): titles, axes, legends
    "chart:score_scale": ("skor {lo}-{hi}", "score {lo}-{hi}"),
    "chart:cycle": ("siklus {cycle}", "cycle {cycle}"),
    "chart:cycles": ("siklus {first} sampai {last}", "cycles {first} to {last}"),
    "chart:radar": ("{region}: skor per dimensi", "{region}: scores by dimension"),
    "chart:radar_sub": ("Dibanding median kohort", "Against the cohort median"),
    "chart:radar_sub_target": ("Dibanding median kohort dan target", "Against the cohort median and the target"),
    "chart:radar_grid": ("Profil dimensi seluruh kohort", "Dimension profiles of the whole cohort"),
    "chart:maturity_heatmap": ("Tingkat kematangan per daerah dan dimensi", "Maturity level by region and dimension"),
    "chart:maturity_heatmap_sub": ("Warna: tingkat kematangan (pita indeks SPBE); angka: skor",
                                   "Colour: maturity level (SPBE index bands); number: score"),
    "chart:ranking": ("Peringkat indeks kesiapan smart city", "Smart city readiness index ranking"),
    "chart:ranking_sub": ("latar: pita tingkat kematangan", "background: maturity bands"),
    "chart:interval": ("garis: rentang 90% skor dengan bobot diacak", "whiskers: 90% score interval under perturbed weights"),
    "chart:rank_range": ("peringkat {lo}-{hi}", "rank {lo}-{hi}"),
    "chart:gap_dimension": ("{region}: kesenjangan per dimensi", "{region}: gaps by dimension"),
    "chart:gap_sub_dimension": ("{region}: kesenjangan per sub-dimensi", "{region}: gaps by sub-dimension"),
    "chart:gap_sub": ("Dari skor saat ini (titik penuh) ke target (lingkaran)",
                      "From the current score (filled dot) to the target (ring)"),
    "chart:pareto": ("{region}: indikator yang paling mengangkat indeks", "{region}: indicators that lift the index most"),
    "chart:pareto_sub": ("{n} teratas: tambahan poin indeks bila indikator itu saja mencapai target",
                         "Top {n}: index points gained if that indicator alone reaches its target"),
    "chart:cumulative": ("Kumulatif (% dari total potensi)", "Cumulative (% of total potential)"),
    "chart:priority": ("{region}: matriks prioritas", "{region}: priority matrix"),
    "chart:priority_sub": ("Dampak (tambahan poin indeks) dibanding upaya; nomor = urutan dampak",
                           "Impact (index points) against effort; number = impact rank"),
    "chart:impact": ("Dampak (tambahan poin indeks)", "Impact (index points gained)"),
    "chart:effort_axis": ("Upaya", "Effort"),
    "effort:1": ("rendah", "low"),
    "effort:2": ("sedang", "medium"),
    "effort:3": ("tinggi", "high"),
    "quadrant:quick_win": ("Quick win", "Quick win"),
    "quadrant:major_project": ("Proyek besar", "Major project"),
    "quadrant:fill_in": ("Pelengkap", "Fill-in"),
    "quadrant:low_priority": ("Prioritas rendah", "Low priority"),
    "chart:readiness": ("{region}: matriks kesiapan", "{region}: readiness matrix"),
    "chart:readiness_sub": ("Dimensi x aspek kesiapan; kotak tebal = aspek terlemah di dimensi itu",
                            "Dimension x readiness aspect; heavy box = weakest aspect of the dimension"),
    "chart:weakest": ("terlemah", "weakest"),
    "aspect:Struktur": ("Struktur", "Structure"),
    "aspect:Infrastruktur": ("Infrastruktur", "Infrastructure"),
    "aspect:Suprastruktur": ("Suprastruktur", "Superstructure"),
    "chart:trend": ("{region}: perkembangan skor dimensi", "{region}: dimension scores over time"),
    "chart:rank_changes": ("Perubahan peringkat indeks", "Index rank changes"),
    "chart:rank_changes_sub": ("siklus {previous} ke {cycle}; angka: peringkat lama → baru",
                               "cycle {previous} to {cycle}; numbers: old → new rank"),
    "chart:rank_change_axis": ("Perubahan peringkat (naik +, turun -)", "Rank change (up +, down -)"),
    "chart:new": ("baru", "new"),
    "chart:median_short": ("Median", "Median"),
    "chart:default_source": ("asesmen kesiapan smart city {cycle}", "smart city readiness assessment {cycle}"),
    # notebooks, problem tables and the sensitivity/bootstrap columns (smartcity_analysis.presentation.display)
    "file": ("Berkas", "File"),
    "sheet": ("Lembar", "Sheet"),
    "cell": ("Sel", "Cell"),
    "problem": ("Masalah", "Problem"),
    "advice": ("Yang perlu dilakukan", "What to do"),
    "problems_found": ("{n} masalah ditemukan; tidak ada yang dimuat sampai semuanya diperbaiki",
                       "{n} problems found; nothing is loaded until every one is fixed"),
    "notes_found": ("{n} catatan (tidak menghentikan pemuatan)", "{n} notes (loading went on)"),
    "band": ("Rentang skor", "Score range"),
    "yes": ("ya", "yes"),
    "no": ("tidak", "no"),
    "picker_region": ("Daerah", "Region"),
    "picker_dimension": ("Dimensi", "Dimension"),
    "picker_static": (
        "Pemilih interaktif (daerah, dimensi): buka notebook ini di JupyterLab untuk memakainya. "
        "Grafik di atas menunjukkan pilihan bawaan.",
        "Interactive picker (region, dimension): open this notebook in JupyterLab to use it. "
        "The chart above shows the default selection.",
    ),
    "synthetic_banner": (
        "<b>Data sintetis.</b> Angka di sini dibuat oleh scripts/make_sample_data.py untuk mencoba "
        "analisis; bukan hasil penilaian daerah yang sebenarnya.",
        "<b>Data sintetis (synthetic data).</b> These numbers were made up by "
        "scripts/make_sample_data.py to try the analysis; they are not any real region's assessment.",
    ),
    # columns of the gap, sensitivity and bootstrap tables
    "n_indicators": ("Jumlah indikator", "Indicators"),
    "expected": ("Skor harapan sekarang", "Expected score now"),
    "nominal_score": ("Skor nominal", "Nominal score"),
    "nominal_rank": ("Peringkat nominal", "Nominal rank"),
    "rank_q05": ("Peringkat 5%", "Rank 5%"),
    "rank_q95": ("Peringkat 95%", "Rank 95%"),
    "score_q05": ("Skor 5%", "Score 5%"),
    "score_q95": ("Skor 95%", "Score 95%"),
    "mean_score": ("Skor rata-rata", "Mean score"),
    "mean_abs_shift": ("Rata-rata pergeseran peringkat", "Mean rank shift"),
    "ranked_share": ("Porsi sampel berperingkat", "Share of samples ranked"),
    "input": ("Pilihan yang diuji", "Input varied"),
    "choices": ("Variasi", "Choices"),
    "first_order": ("Porsi variasi peringkat (orde pertama)", "Share of rank variance (first order)"),
    "ci_low": ("Batas bawah 90%", "90% lower bound"),
    "ci_high": ("Batas atas 90%", "90% upper bound"),
    "se": ("Galat baku", "Standard error"),
    "single_respondent": ("Satu responden saja", "Single respondent"),
    "input:weights": ("bobot", "weights"),
    "input:normalisation": ("normalisasi", "normalisation"),
    "input:aggregation": ("agregasi", "aggregation"),
    "assessment": ("Asesmen kesiapan smart city {cycle}", "Smart city readiness assessment {cycle}"),
}


def term(key: str, lang: str = "id") -> str:
    """The word for ``key`` in ``lang``; the key itself when no translation is known."""
    pair = TERMS.get(key)
    if pair is None:
        return key
    return pair[1] if lang == "en" else pair[0]


def localise_columns(columns, lang: str = "id") -> list[str]:
    return [term(str(c), lang) for c in columns]


def format_number(value: float, decimals: int = 1, lang: str = "id", decimal_comma: bool | None = None) -> str:
    """``42.5`` -> ``"42,5"`` in Indonesian (decimal comma, dot for thousands), ``"42.5"`` in English."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    comma = (lang == "id") if decimal_comma is None else decimal_comma
    text = f"{value:,.{decimals}f}"
    if comma:
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text
