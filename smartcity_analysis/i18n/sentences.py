"""Sentence templates of the narrative (chart subtitles, slide findings, summaries).

key -> (Indonesian, English); templates use ``str.format`` fields, filled by
:func:`smartcity_analysis.i18n.sentence` from the numbers that
:mod:`smartcity_analysis.presentation.narrative` chooses. Years and cycles are passed as text
(``2024``, never ``2.024``); signed changes as text made by the narrative (``+3,2``).

``deck:`` keys are the words of the Bimtek decks (slide titles, series names, text slides);
``sentence:`` keys are the sentences written from the numbers.
"""

from __future__ import annotations

TERMS: dict[str, tuple[str, str]] = {
    # --- the deck: title slide, slide titles, series, text slides ------------------------------
    "deck:title": ("Analisis Kesiapan Smart City", "Smart City Readiness Analysis"),
    "deck:document_title": ("Analisis Kesiapan Smart City: {region}", "Smart City Readiness Analysis: {region}"),
    "deck:subtitle": ("Siklus {cycle} · {date}", "Cycle {cycle} · {date}"),
    "deck:ranking": ("Peringkat indeks kesiapan", "Readiness index ranking"),
    "deck:heatmap": ("Tingkat kematangan per dimensi", "Maturity level by dimension"),
    "deck:radar_grid": ("Profil dimensi seluruh kohort", "Dimension profiles of the cohort"),
    "deck:rank_changes": ("Perubahan peringkat", "Rank changes"),
    "deck:radar": ("Skor per dimensi dibanding kohort", "Dimension scores against the cohort"),
    "deck:radar_alone": ("Skor per dimensi dan target", "Dimension scores and targets"),
    "deck:readiness": ("Matriks kesiapan: dimensi x aspek", "Readiness matrix: dimension x aspect"),
    "deck:gap_dimension": ("Kesenjangan per dimensi", "Gaps by dimension"),
    "deck:gap_sub_dimension": ("Kesenjangan per sub-dimensi", "Gaps by sub-dimension"),
    "deck:pareto": ("Indikator yang paling menaikkan indeks", "Indicators that lift the index most"),
    "deck:priority": ("Matriks prioritas: dampak dan upaya", "Priority matrix: impact and effort"),
    "deck:trend": ("Tren skor dimensi", "Dimension score trends"),
    "deck:closing": ("Quick win teratas", "Top quick wins"),
    "deck:left_out": ("Grafik yang tidak ditampilkan", "Charts not shown"),
    "deck:alt_chart": ("Grafik {title}. {finding}", "Chart: {title}. {finding}"),
    "deck:alt_table": ("Tabel {title}. {finding}", "Table: {title}. {finding}"),
    "deck:no_title_layout": (
        "templat tidak punya tata letak slide dengan placeholder judul",
        "the template has no slide layout with a title placeholder",
    ),
    # --- slide findings and their speaker notes ------------------------------------------------
    "sentence:ranking": (
        "{region} peringkat {rank} dari {n}: indeks {score} dari {top} ({maturity})",
        "{region} ranks {rank} of {n}: index {score} of {top} ({maturity})",
    ),
    "sentence:rank_line": ("{rank}. {region}: {score}", "{rank}. {region}: {score}"),
    "sentence:weakest_below": (
        "{dimension} terendah: {score} dari {top}, {distance} poin di bawah median kohort",
        "{dimension} lowest: {score} of {top}, {distance} points below the cohort median",
    ),
    "sentence:weakest_above": (
        "{dimension} terendah: {score} dari {top}, {distance} poin di atas median kohort",
        "{dimension} lowest: {score} of {top}, {distance} points above the cohort median",
    ),
    "sentence:weakest_at_median": (
        "{dimension} terendah: {score} dari {top}, setara median kohort",
        "{dimension} lowest: {score} of {top}, level with the cohort median",
    ),
    "sentence:weakest_alone": ("{dimension} terendah: {score} dari {top}", "{dimension} lowest: {score} of {top}"),
    "sentence:score_against_median": (
        "{dimension}: {score} (median kohort {median})", "{dimension}: {score} (cohort median {median})"),
    "sentence:strongest_weakest": (
        "Terkuat: {strongest} ({strong_score}, {strong_level}); terlemah: {weakest} ({weak_score}, {weak_level})",
        "Strongest: {strongest} ({strong_score}, {strong_level}); weakest: {weakest} ({weak_score}, {weak_level})",
    ),
    "sentence:score_level": ("{dimension}: {score} - {level}", "{dimension}: {score} - {level}"),
    "sentence:profiles": (
        "{n} daerah, siklus {cycle}: tiap profil dibanding median kohort",
        "{n} regions, cycle {cycle}: each profile against the cohort median",
    ),
    "sentence:best_in_dimension": ("{dimension}: terbaik {region}", "{dimension}: best {region}"),
    "sentence:weakest_aspect": (
        "Aspek terlemah: {aspect} di {count} dari {n} dimensi",
        "Weakest aspect: {aspect} in {count} of {n} dimensions",
    ),
    "sentence:aspect_score": ("{dimension}: {aspect} {score}", "{dimension}: {aspect} {score}"),
    "sentence:largest_gap": (
        "Kesenjangan terbesar: {label}, {gap} poin menuju target {target}",
        "Largest gap: {label}, {gap} points to its target {target}",
    ),
    "sentence:gap_line": ("{name}: {current} → {target} (target; {rule})", "{name}: {current} → {target} (target; {rule})"),
    "sentence:pareto": (
        "Satu indikator saja menaikkan indeks hingga {gain} poin: {indicator}; tiap indikator {n} teratas: {least} atau lebih",
        "One indicator alone lifts the index by up to {gain} points: {indicator}; each of the top {n}: {least} or more",
    ),
    "sentence:pareto_line": ("{rank}. {code} {name}: {points}", "{rank}. {code} {name}: {points}"),
    "sentence:quick_wins": (
        "Quick win: {n} dari {with_gap} indikator yang masih memiliki kesenjangan",
        "Quick wins: {n} of the {with_gap} indicators with a gap",
    ),
    "sentence:quick_win_line": ("{code} {name}: {points}, upaya {effort}", "{code} {name}: {points}, effort {effort}"),
    "sentence:closing": (
        "Dampak tinggi dengan upaya rendah: {shown} dari {n} quick win, menurut tambahan poin indeks",
        "High impact for low effort: {shown} of {n} quick wins, by index points gained",
    ),
    "sentence:closing_none": (
        "Belum ada quick win: semua indikator berdampak tinggi membutuhkan upaya besar.",
        "No quick wins yet: every high-impact indicator needs a large effort.",
    ),
    "sentence:trend": (
        "Indeks {change} poin sejak {previous}; naik di {ups} dari {n} dimensi",
        "Index {change} points since {previous}; up in {ups} of {n} dimensions",
    ),
    "sentence:trend_line": ("{name}: {before} → {after}", "{name}: {before} → {after}"),
    "sentence:rank_same": ("Peringkat tetap {rank} sejak {previous}", "Rank unchanged at {rank} since {previous}"),
    "sentence:rank_moved": ("Peringkat {before} → {after} sejak {previous}", "Rank {before} → {after} since {previous}"),
    "sentence:rank_move_line": ("{region}: {before} → {after}", "{region}: {before} → {after}"),
    # --- caveats and charts left out ------------------------------------------------------------
    "sentence:small_cohort": (
        "Perbandingan dengan kurang dari lima daerah: peringkat dan kuartil kurang bermakna",
        "Comparison with fewer than five regions: ranks and quartiles mean little",
    ),
    "sentence:left_out": ("{chart}: {reason}", "{chart}: {reason}"),
    "sentence:reason_one_region": (
        "hanya satu daerah dalam kohort, tidak ada yang dibandingkan",
        "only one region in the cohort, nothing to compare it with",
    ),
    "sentence:reason_no_previous": (
        "belum ada siklus sebelum {cycle} untuk dibandingkan; tampil mulai siklus berikutnya",
        "no cycle before {cycle} to compare with; shown from the next cycle",
    ),
    "sentence:reason_no_gap": (
        "tidak ada kesenjangan terhadap target", "no gap to the targets"),
    "sentence:reason_not_drawn": (
        "data siklus ini tidak cukup untuk grafik ini", "this cycle's data do not allow this chart"),
    # --- one-line summaries ---------------------------------------------------------------------
    "sentence:summary": ("{region}: indeks {score}, peringkat {rank} dari {n}", "{region}: index {score}, rank {rank} of {n}"),
    "sentence:summary_change": (
        "{region}: indeks {score}, peringkat {rank} dari {n}, {change} poin sejak {previous}",
        "{region}: index {score}, rank {rank} of {n}, {change} points since {previous}",
    ),
    # the gap summary (narrative.gap_summary)
    "sentence:gap_title": ("Analisis kesenjangan: {region}, {cycle}", "Gap analysis: {region}, {cycle}"),
    "sentence:gap_index": ("Indeks {current}, target {target} ({rule}), kesenjangan {gap}",
                           "Index {current}, target {target} ({rule}), gap {gap}"),
    "sentence:gap_top": ("{n} indikator yang paling menaikkan indeks:", "Top {n} indicators by index points:"),
    "sentence:gap_weakest": ("Aspek terlemah per dimensi:", "Weakest aspect per dimension:"),
    "sentence:gap_no_previous": ("Belum ada siklus sebelumnya: kemajuan belum dapat dinilai.",
                                 "No earlier cycle: progress cannot be judged yet."),
    "sentence:on_track": ("sesuai jalur", "on track"),
    "sentence:behind": ("tertinggal", "behind"),
    "sentence:gap_index_progress": (
        "indeks {status} ({current} vs harapan {expected}, tahun target {year}), kesenjangan tertutup {closed}",
        "index {status} ({current} vs expected {expected}, target year {year}), gap closed {closed}"),
    "sentence:gap_index_unknown": ("indeks -", "index -"),
    "sentence:gap_since": ("Sejak {previous}: {index}; {on_track} dari {n} indikator sesuai jalur",
                           "Since {previous}: {index}; {on_track} of {n} indicators on track"),
}
