"""Words and sentence templates of the Word documents (masterplan books).

key -> (Indonesian, English); templates use ``str.format`` fields, filled by
:func:`smartcity_analysis.i18n.sentence` (numbers written the reader's way). Years are passed
as text (a year is not a quantity: ``2024``, never ``2.024``).
"""

from __future__ import annotations

TERMS: dict[str, tuple[str, str]] = {
    # --- the documents, their files and covers -----------------------------------------------
    "doc:title:analysis": ("Analisis Kesiapan Smart City", "Smart City Readiness Analysis"),
    "doc:title:quick_wins": ("Profil Quick Win", "Quick-Win Profile"),
    "doc:title:summary": ("Ringkasan Eksekutif", "Executive Summary"),
    "doc:title:roadmap": ("Peta Jalan Smart City", "Smart City Roadmap"),
    "doc:file:analysis": ("analisis_kesiapan", "readiness_analysis"),
    "doc:file:quick_wins": ("profil_quick_win", "quick_win_profile"),
    "doc:file:summary": ("ringkasan_eksekutif", "executive_summary"),
    "doc:file:roadmap": ("peta_jalan", "roadmap"),
    "doc:programme": ("Gerakan Menuju 100 Smart City", "Towards 100 Smart Cities (Gerakan Menuju 100 Smart City)"),
    "doc:cycle": ("Siklus asesmen {cycle}", "Assessment cycle {cycle}"),
    "doc:province": ("Provinsi {province}", "Province of {province}"),
    "doc:region_code": ("kode wilayah Kemendagri {code}", "Kemendagri region code {code}"),
    "doc:synthetic_note": (
        "DATA SINTETIS: angka dalam dokumen ini dibuat untuk mencoba analisis, bukan hasil penilaian "
        "daerah yang sebenarnya.",
        "SYNTHETIC DATA: the numbers in this document were made up to try the analysis; they are not "
        "a real region's assessment.",
    ),
    "doc:footer": ("{title} · {region}", "{title} · {region}"),
    "doc:footer_synthetic": ("{title} · {region} · data sintetis", "{title} · {region} · synthetic data"),
    "doc:toc": ("Daftar Isi", "Contents"),
    "doc:figure": ("Gambar", "Figure"),
    "doc:table": ("Tabel", "Table"),
    "doc:subject": ("Masterplan Smart City {region}, siklus {cycle}", "Smart City Masterplan of {region}, cycle {cycle}"),
    "doc:date": ("{day} {month} {year}", "{day} {month} {year}"),
    "doc:month:1": ("Januari", "January"),
    "doc:month:2": ("Februari", "February"),
    "doc:month:3": ("Maret", "March"),
    "doc:month:4": ("April", "April"),
    "doc:month:5": ("Mei", "May"),
    "doc:month:6": ("Juni", "June"),
    "doc:month:7": ("Juli", "July"),
    "doc:month:8": ("Agustus", "August"),
    "doc:month:9": ("September", "September"),
    "doc:month:10": ("Oktober", "October"),
    "doc:month:11": ("November", "November"),
    "doc:month:12": ("Desember", "December"),
    "doc:region_type:kabupaten": ("Kabupaten", "Regency (kabupaten)"),
    "doc:region_type:kota": ("Kota", "City (kota)"),
    # --- column headers ---------------------------------------------------------------------------
    "doc:col:item": ("Keterangan", "Item"),
    "doc:col:value": ("Isi", "Value"),
    "doc:col:respondent": ("Perangkat daerah (OPD)", "Regional office (OPD)"),
    "doc:col:answered": ("Indikator dijawab", "Indicators answered"),
    "doc:col:with_evidence": ("Dengan bukti dukung", "With evidence"),
    "doc:col:no": ("No.", "No."),
    "doc:col:level_no": ("Tingkat", "Level"),
    "doc:col:native_band": ("Skala {lo}-{hi}", "Scale {lo}-{hi}"),
    "doc:col:score_band": ("Skor {lo}-{hi}", "Score {lo}-{hi}"),
    "doc:col:weakest_aspect": ("Aspek terlemah", "Weakest aspect"),
    "doc:col:group": ("Kelompok", "Group"),
    "doc:col:members": ("Jumlah daerah", "Regions"),
    "doc:col:group_median": ("Median indeks", "Index median"),
    "doc:col:group_best": ("Indeks terbaik", "Best index"),
    "doc:col:group_rank": ("Peringkat dalam kelompok", "Rank in group"),
    "doc:col:score_in": ("Skor {cycle}", "Score {cycle}"),
    "doc:col:rank_move": ("Peringkat {previous} → {cycle}", "Rank {previous} → {cycle}"),
    "doc:col:change": ("Perubahan", "Change"),
    "doc:col:on_track": ("Sesuai jalur", "On track"),
    "doc:col:position": ("Posisi", "Position"),
    "doc:col:to_target": ("Skor → target", "Score → target"),
    "doc:col:points": ("Tambahan poin indeks", "Index points gained"),
    "doc:col:answers": ("Jawaban OPD", "Answers by office"),
    "doc:col:respondents_short": ("OPD penjawab", "Answered by"),
    "doc:col:year": ("Tahun", "Year"),
    "doc:col:start_year": ("Tahun mulai", "Start year"),
    "doc:col:end_year": ("Tahun selesai", "End year"),
    "doc:col:programme": ("Program/kegiatan (diisi tim)", "Programme/activity (team fills in)"),
    "doc:col:owner": ("OPD penanggung jawab (diisi tim)", "Responsible office (team fills in)"),
    "doc:col:notes": ("Catatan", "Notes"),
    "doc:col:answer_mean": ("Rata-rata jawaban", "Mean answer"),
    "doc:sheet:paths": ("Jalur Target", "Target paths"),
    "doc:sheet:schedule": ("Jadwal Indikator", "Indicator schedule"),
    # --- words ------------------------------------------------------------------------------------
    "doc:strongest": ("terkuat", "strongest"),
    "doc:weakest": ("terlemah", "weakest"),
    "doc:yes": ("ya", "yes"),
    "doc:no": ("tidak", "no"),
    "doc:not_answered": ("tidak dijawab", "not answered"),
    "doc:baseline": ("dasar", "baseline"),
    "doc:lower_better": ("makin rendah makin baik", "lower is better"),
    "doc:strengths": ("Kekuatan (S)", "Strengths (S)"),
    "doc:weaknesses": ("Kelemahan (W)", "Weaknesses (W)"),
    "doc:opportunities": ("Peluang (O)", "Opportunities (O)"),
    "doc:threats": ("Ancaman (T)", "Threats (T)"),
    "doc:label:question": ("Pertanyaan instrumen:", "Question of the instrument:"),
    "doc:label:answered_by": ("Dijawab oleh:", "Answered by:"),
    "doc:label:evidence": ("Bukti dukung yang sudah ada:", "Evidence already given:"),
    "doc:label:horizon": ("Jangka waktu:", "Horizon:"),
    # --- the profile ------------------------------------------------------------------------------
    "doc:h:profile": ("Profil Daerah", "Regional Profile"),
    "doc:profile_intro": (
        "Dokumen ini menyajikan hasil asesmen kesiapan smart city {region} pada siklus {cycle} sebagai bahan "
        "Bimbingan Teknis penyusunan Masterplan Smart City. Semua angka sama dengan buku kerja hasil analisis.",
        "This document presents the smart city readiness assessment of {region} in cycle {cycle}, as input to "
        "the technical guidance (Bimtek) that writes the Smart City Masterplan. Every number is the one in the "
        "analysis workbook.",
    ),
    "doc:profile_table": ("Profil daerah", "Regional profile"),
    "doc:row:region": ("Daerah", "Region"),
    "doc:row:region_type": ("Jenis daerah", "Type"),
    "doc:row:province": ("Provinsi", "Province"),
    "doc:row:region_code": ("Kode wilayah (Kemendagri)", "Region code (Kemendagri)"),
    "doc:row:cycle": ("Siklus asesmen", "Assessment cycle"),
    "doc:row:instrument": ("Instrumen", "Instrument"),
    "doc:row:indicators": ("Indikator", "Indicators"),
    "doc:row:respondents": ("OPD responden", "Responding offices (OPD)"),
    "doc:indicator_count": ("{n} indikator dalam {dims} dimensi dan {subs} sub-dimensi",
                            "{n} indicators in {dims} dimensions and {subs} sub-dimensions"),
    "doc:respondents_intro": (
        "Asesmen diisi oleh {n} perangkat daerah (OPD). Tabel berikut menunjukkan jumlah indikator yang dijawab "
        "tiap OPD dan jumlah jawaban yang disertai bukti dukung.",
        "{n} regional offices (OPD) answered the assessment. The table shows how many indicators each office "
        "answered and how many answers came with evidence.",
    ),
    "doc:respondents_none": (
        "Jawaban per OPD tidak tersimpan bersama asesmen ini; yang tersedia hanya skor.",
        "The answers by office were not kept with this assessment; only the scores are available.",
    ),
    "doc:respondents_table": ("OPD yang menjawab asesmen", "Offices that answered the assessment"),
    # --- the method -------------------------------------------------------------------------------
    "doc:h:method": ("Metode", "Method"),
    "doc:method_instrument": (
        "Instrumen {version} memuat {n} indikator dalam {dims} dimensi dan {subs} sub-dimensi. Tiap indikator "
        "termasuk satu dari tiga aspek kesiapan: Struktur (SDM, anggaran, tata kelola), Infrastruktur (fisik, "
        "digital dan sosial) dan Suprastruktur (kebijakan, regulasi daerah, kelembagaan dan prosedur).",
        "The instrument {version} holds {n} indicators in {dims} dimensions and {subs} sub-dimensions. Each "
        "indicator belongs to one of three readiness aspects: Structure (people, budget, governance), "
        "Infrastructure (physical, digital and social) and Superstructure (policies, local regulations, "
        "institutions and procedures).",
    ),
    "doc:method_respondents:mean": (
        "Jawaban beberapa OPD atas indikator yang sama digabung dengan rata-rata.",
        "The answers of several offices to the same indicator are combined by their mean.",
    ),
    "doc:method_respondents:median": (
        "Jawaban beberapa OPD atas indikator yang sama digabung dengan median.",
        "The answers of several offices to the same indicator are combined by their median.",
    ),
    "doc:method_normalise:scale": (
        "Tiap jawaban diubah ke skor 0-100 menurut rentang skala instrumen: nilai terendah menjadi 0 dan "
        "tertinggi 100; untuk indikator yang makin rendah makin baik, arahnya dibalik.",
        "Each answer becomes a 0-100 score over the range of the instrument's scale: the lowest value is 0 and "
        "the highest 100; for indicators where lower is better, the direction is reversed.",
    ),
    "doc:method_normalise:minmax": (
        "Tiap indikator dinormalisasi min-maks atas daerah dalam kohort: daerah terendah 0, tertinggi 100; "
        "untuk indikator yang makin rendah makin baik, arahnya dibalik.",
        "Each indicator is min-max normalised over the regions of the cohort: the lowest region 0, the highest "
        "100; for indicators where lower is better, the direction is reversed.",
    ),
    "doc:method_normalise:zscore": (
        "Tiap indikator dibakukan menjadi skor-z atas daerah dalam kohort.",
        "Each indicator is standardised to z-scores over the regions of the cohort.",
    ),
    "doc:method_normalise:rank": (
        "Tiap indikator diubah menjadi peringkat persentil (0-100) atas daerah dalam kohort.",
        "Each indicator becomes a percentile rank (0-100) over the regions of the cohort.",
    ),
    "doc:method_normalise:none": (
        "Skor dipakai pada skala asli instrumen, tanpa normalisasi.",
        "Scores stay on the instrument's own scale, without normalisation.",
    ),
    "doc:method_aggregate:arithmetic": (
        "Skor sub-dimensi, dimensi dan indeks adalah rata-rata berbobot dari skor di bawahnya (indikator, "
        "sub-dimensi, dimensi, indeks).",
        "Sub-dimension, dimension and index scores are weighted means of the scores below them (indicator, "
        "sub-dimension, dimension, index).",
    ),
    "doc:method_aggregate:geometric": (
        "Skor sub-dimensi, dimensi dan indeks adalah rata-rata geometrik berbobot dari skor di bawahnya.",
        "Sub-dimension, dimension and index scores are weighted geometric means of the scores below them.",
    ),
    "doc:method_weights:equal": ("Semua bobot sama besar.", "Every weight is equal."),
    "doc:method_weights:instrument": (
        "Bobot mengikuti tabel instrumen; bobot dimensi: {weights}.",
        "Weights follow the instrument table; dimension weights: {weights}.",
    ),
    "doc:method_missing:available": (
        "Indikator yang tidak dijawab dilewati dan bobotnya dibagi ulang di antara yang dijawab; skor dihitung "
        "bila paling sedikit {coverage}% bobot terisi.",
        "Unanswered indicators are left out and the weights shared among the answered ones; a score is computed "
        "when at least {coverage}% of the weight is present.",
    ),
    "doc:method_missing:strict": (
        "Bila satu indikator tidak dijawab, skor di atasnya tidak dihitung.",
        "When one indicator is unanswered, the scores above it are not computed.",
    ),
    "doc:method_maturity": (
        "Tingkat kematangan memakai pita berikut (bawaan: pita indeks SPBE, PermenPAN-RB 59/2020), dari skala "
        "{lo}-{hi} dipetakan ke skor {score_lo}-{score_hi}.",
        "Maturity levels use the following bands (by default the SPBE index bands, PermenPAN-RB 59/2020), mapped "
        "from the {lo}-{hi} scale onto {score_lo}-{score_hi} scores.",
    ),
    "doc:maturity_table": ("Pita tingkat kematangan", "Maturity bands"),
    "doc:method_target:next-level": (
        "Target tiap skor adalah batas bawah tingkat kematangan berikutnya; skor yang sudah di tingkat tertinggi "
        "cukup dipertahankan.",
        "The target of each score is the lower bound of the next maturity level; a score already in the top "
        "level only has to stay there.",
    ),
    "doc:method_target:cohort-best": (
        "Target tiap skor adalah skor terbaik dalam kohort.",
        "The target of each score is the best score in the cohort.",
    ),
    "doc:method_target:cohort": (
        "Target tiap skor adalah persentil ke-{p} kohort.",
        "The target of each score is the cohort's {p}th percentile.",
    ),
    "doc:method_target:fixed": ("Target tiap skor adalah {value}.", "The target of each score is {value}."),
    "doc:method_target_rules": ("Aturan target lain: {rules}.", "Other target rules: {rules}."),
    "doc:method_target_tables": (
        "Target dari tabel {tables} menggantikan aturan tersebut.",
        "Targets from the table {tables} replace those rules.",
    ),
    "doc:method_target_year": (
        "Target tanpa tahun jatuh tempo pada {year}, lima tahun setelah siklus asesmen (satu periode RPJMD).",
        "Targets without a year are due in {year}, five years after the assessment cycle (one RPJMD term).",
    ),
    "doc:method_points": (
        "Tambahan poin indeks sebuah indikator adalah kenaikan indeks bila indikator itu saja mencapai targetnya, "
        "dihitung dengan agregasi yang sama; tambahan poin beberapa indikator tidak dapat dijumlahkan begitu saja.",
        "The index points of an indicator are the rise of the index if that indicator alone reaches its target, "
        "computed through the same aggregation; the points of several indicators do not simply add up.",
    ),
    "doc:method_priority": (
        "Matriks prioritas membandingkan dampak (tambahan poin indeks) dengan upaya (1 rendah sampai 3 tinggi; "
        "bila instrumen tidak menetapkannya: Suprastruktur 1, Struktur 2, Infrastruktur 3). Dampak tinggi berarti "
        "paling sedikit median tambahan poin daerah ini; quick win berdampak tinggi dengan upaya rendah. Jangka "
        "waktu usulan: pendek untuk quick win, menengah untuk pelengkap dan proyek besar, panjang untuk proyek "
        "besar berupaya tinggi dan prioritas rendah.",
        "The priority matrix sets impact (index points gained) against effort (1 low to 3 high; where the "
        "instrument sets none: Superstructure 1, Structure 2, Infrastructure 3). High impact means at least this "
        "region's median index points; a quick win has high impact and low effort. Proposed horizons: short for "
        "quick wins, medium for fill-ins and major projects, long for high-effort major projects and low "
        "priorities.",
    ),
    # --- index and dimensions ---------------------------------------------------------------------
    "doc:h:scores": ("Indeks dan Skor Dimensi", "Index and Dimension Scores"),
    "doc:index_sentence": (
        "Indeks kesiapan smart city {region} pada siklus {cycle} adalah {score} dari {top} (tingkat {maturity}), "
        "peringkat {rank} dari {n} daerah; median kohort {median}.",
        "The smart city readiness index of {region} in cycle {cycle} is {score} of {top} ({maturity}), rank "
        "{rank} of {n} regions; the cohort median is {median}.",
    ),
    "doc:strong_weak_sentence": (
        "Dimensi terkuat adalah {strong} ({strong_score}, {strong_maturity}); dimensi terlemah adalah {weak} "
        "({weak_score}, {weak_maturity}).",
        "The strongest dimension is {strong} ({strong_score}, {strong_maturity}); the weakest is {weak} "
        "({weak_score}, {weak_maturity}).",
    ),
    "doc:scores_table": ("Indeks dan skor dimensi, siklus {cycle}", "Index and dimension scores, cycle {cycle}"),
    "doc:fig:radar": ("Skor per dimensi dibanding median kohort dan target", "Dimension scores against the cohort median and the target"),
    "doc:alt:radar": (
        "Diagram radar skor enam dimensi {region} dibanding median kohort dan target. {values}",
        "Radar chart of the six dimension scores of {region} against the cohort median and the target. {values}",
    ),
    "doc:alt:radar_value": ("{name} {score} (median {median}, target {target})",
                            "{name} {score} (median {median}, target {target})"),
    # --- readiness matrix -------------------------------------------------------------------------
    "doc:h:readiness": ("Matriks Kesiapan", "Readiness Matrix"),
    "doc:readiness_intro": (
        "Matriks kesiapan menunjukkan skor tiap dimensi menurut aspek kesiapan. Aspek terlemah yang paling sering "
        "adalah {aspect}, di {count} dari {n} dimensi.",
        "The readiness matrix shows each dimension's score by readiness aspect. The most frequent weakest aspect is "
        "{aspect}, in {count} of {n} dimensions.",
    ),
    "doc:readiness_table": ("Matriks kesiapan dimensi x aspek", "Readiness matrix, dimension x aspect"),
    "doc:fig:readiness": ("Matriks kesiapan; kotak tebal menandai aspek terlemah tiap dimensi",
                          "Readiness matrix; a heavy box marks each dimension's weakest aspect"),
    "doc:alt:readiness": (
        "Peta warna dimensi x aspek kesiapan {region}. Aspek terlemah: {values}",
        "Heat map of dimension x readiness aspect of {region}. Weakest aspects: {values}",
    ),
    # --- cohort and peers -------------------------------------------------------------------------
    "doc:h:cohort": ("Perbandingan dengan Kohort dan Kelompok Sebaya", "Comparison with the Cohort and Peer Groups"),
    "doc:cohort_sentence": (
        "Dalam kohort {n} daerah siklus {cycle}, median indeks {median} (kuartil 1 {q1}, kuartil 3 {q3}) dan "
        "indeks terbaik {best} ({best_region}).",
        "In the cohort of {n} regions in cycle {cycle}, the index median is {median} (quartile 1 {q1}, quartile 3 "
        "{q3}) and the best index {best} ({best_region}).",
    ),
    "doc:cohort_above": ("Indeks {region} {distance} poin di atas median.", "The index of {region} is {distance} points above the median."),
    "doc:cohort_below": ("Indeks {region} {distance} poin di bawah median.", "The index of {region} is {distance} points below the median."),
    "doc:cohort_at": ("Indeks {region} sama dengan median.", "The index of {region} equals the median."),
    "doc:peers_intro": (
        "Kelompok sebaya adalah daerah dengan ciri yang sama (provinsi, jenis daerah).",
        "Peer groups are regions that share a trait (province, type of region).",
    ),
    "doc:peers_table": ("Indeks dalam kelompok sebaya", "The index within peer groups"),
    "doc:peer_caveat": (
        "Kelompok {group} hanya berisi {n} daerah: perbandingan di dalamnya bersifat indikatif.",
        "The group {group} holds only {n} regions: comparisons within it are indicative.",
    ),
    "doc:peers_none": (
        "Data tidak memuat pengelompokan daerah untuk perbandingan sebaya.",
        "The data carry no grouping of regions for a peer comparison.",
    ),
    "doc:fig:ranking": ("Peringkat indeks kesiapan dalam kohort", "Readiness index ranking in the cohort"),
    "doc:alt:ranking": (
        "Diagram batang indeks {n} daerah, {region} disorot di peringkat {rank} dengan indeks {score}. "
        "Tertinggi {best_region} ({best}).",
        "Bar chart of the index of {n} regions, {region} highlighted at rank {rank} with index {score}. "
        "Highest {best_region} ({best}).",
    ),
    # --- change -----------------------------------------------------------------------------------
    "doc:h:change": ("Perubahan sejak Siklus Sebelumnya", "Change since the Previous Cycle"),
    "doc:change_sentence": (
        "Sejak siklus {previous}, indeks berubah {change} poin (dari {before} menjadi {after}); peringkat "
        "{rank_text}. Skor naik di {ups} dari {n} dimensi.",
        "Since cycle {previous} the index changed by {change} points (from {before} to {after}); the rank "
        "{rank_text}. Scores rose in {ups} of {n} dimensions.",
    ),
    "doc:rank_same": ("tetap {rank}", "stayed at {rank}"),
    "doc:rank_moved": ("dari {before} menjadi {after}", "went from {before} to {after}"),
    "doc:on_track_sentence": (
        "Pada jalur lurus dari skor {baseline} menuju target tahun {target_year}, indeks {status}: {current} "
        "dibanding harapan {expected}.",
        "On a straight path from the {baseline} score to the {target_year} target, the index is {status}: "
        "{current} against an expected {expected}.",
    ),
    "doc:status:on_track": ("sesuai jalur", "on track"),
    "doc:status:behind": ("tertinggal", "behind"),
    "doc:no_previous": (
        "Belum ada siklus sebelumnya untuk daerah ini: perubahan belum dapat dinilai.",
        "There is no earlier cycle for this region: change cannot be judged yet.",
    ),
    "doc:change_table": ("Perubahan skor sejak {previous}", "Score changes since {previous}"),
    "doc:fig:trend": ("Perkembangan skor dimensi", "Dimension scores over time"),
    "doc:alt:trend": (
        "Diagram garis skor dimensi {region} dari {previous} ke {cycle}. {values}",
        "Slope chart of the dimension scores of {region} from {previous} to {cycle}. {values}",
    ),
    "doc:alt:change_value": ("{name} {before} menjadi {after}", "{name} {before} to {after}"),
    # --- per dimension ----------------------------------------------------------------------------
    "doc:h:dimensions": ("Analisis per Dimensi", "Analysis by Dimension"),
    "doc:dimensions_intro": (
        "Untuk tiap dimensi: skor sub-dimensi, indikator terkuat dan terlemah, dan tabel SWOT. Kekuatan dan "
        "kelemahan diisi dari angka: indikator di atas dan di bawah median kohort, diurutkan menurut selisihnya. "
        "Peluang dan ancaman diisi bersama dalam lokakarya.",
        "For each dimension: the sub-dimension scores, the strongest and weakest indicators, and a SWOT table. "
        "Strengths and weaknesses come from the numbers: indicators above and below the cohort median, ordered "
        "by the distance. Opportunities and threats are filled in together in the workshop.",
    ),
    "doc:dimension_sentence": (
        "Skor {score} ({maturity}), peringkat {rank} dari {n}; median kohort {median}. Aspek terlemah: {aspect} "
        "({aspect_score}).",
        "Score {score} ({maturity}), rank {rank} of {n}; cohort median {median}. Weakest aspect: {aspect} "
        "({aspect_score}).",
    ),
    "doc:sub_table": ("Sub-dimensi {dimension}", "Sub-dimensions of {dimension}"),
    "doc:h:extremes": ("Indikator terkuat dan terlemah", "Strongest and weakest indicators"),
    "doc:extremes_table": ("Indikator terkuat dan terlemah, {dimension}", "Strongest and weakest indicators, {dimension}"),
    "doc:h:swot": ("Analisis SWOT", "SWOT analysis"),
    "doc:swot_table": ("SWOT {dimension} per aspek kesiapan", "SWOT of {dimension} by readiness aspect"),
    "doc:swot_item": ("{aspect} · {name}: {score} (median {median})", "{aspect} · {name}: {score} (median {median})"),
    "doc:swot_weakest_aspect": ("Aspek terlemah: {aspect} ({score})", "Weakest aspect: {aspect} ({score})"),
    "doc:swot_no_strength": ("Belum ada indikator di atas median kohort.", "No indicator is above the cohort median yet."),
    "doc:swot_no_weakness": ("Tidak ada indikator di bawah median kohort.", "No indicator is below the cohort median."),
    "doc:prompt_opportunity": (
        "[Diisi dalam lokakarya] {aspect}: program pusat atau provinsi, mitra dan pendanaan apa yang dapat "
        "dimanfaatkan?",
        "[To fill in at the workshop] {aspect}: which national or provincial programmes, partners and funding "
        "can be used?",
    ),
    "doc:prompt_threat": (
        "[Diisi dalam lokakarya] {aspect}: risiko anggaran, regulasi, SDM atau lingkungan apa yang dapat "
        "menghambat?",
        "[To fill in at the workshop] {aspect}: which budget, regulatory, staffing or environmental risks could "
        "hold it back?",
    ),
    # --- gaps -------------------------------------------------------------------------------------
    "doc:h:gaps": ("Analisis Kesenjangan", "Gap Analysis"),
    "doc:gap_index": (
        "Target indeks {target} ({target_maturity}) pada {year}; kesenjangan {gap} poin. Bila setiap indikator "
        "mencapai targetnya, indeks naik {points} poin.",
        "The index target is {target} ({target_maturity}) by {year}; the gap is {gap} points. If every indicator "
        "reaches its target, the index rises by {points} points.",
    ),
    "doc:gap_table": ("Kesenjangan per dimensi", "Gaps by dimension"),
    "doc:fig:gap_dimension": ("Kesenjangan per dimensi: skor saat ini dan target", "Gaps by dimension: current score and target"),
    "doc:alt:gap_dimension": (
        "Diagram skor saat ini dan target tiap dimensi {region}. {values}",
        "Chart of the current score and the target of each dimension of {region}. {values}",
    ),
    "doc:alt:gap_value": ("{name} {score} menuju {target}", "{name} {score} to {target}"),
    "doc:h:top": ("Indikator yang Paling Menaikkan Indeks", "Indicators that Lift the Index Most"),
    "doc:top_intro": (
        "Indikator berikut menaikkan indeks paling banyak bila masing-masing mencapai targetnya.",
        "These indicators lift the index most if each reaches its target.",
    ),
    "doc:top_table": ("{n} indikator yang paling menaikkan indeks", "The {n} indicators that lift the index most"),
    "doc:fig:pareto": ("Tambahan poin indeks bila indikator itu saja mencapai target", "Index points gained if that indicator alone reaches its target"),
    "doc:alt:pareto": (
        "Diagram batang {n} indikator yang paling menaikkan indeks {region}. {values}",
        "Bar chart of the {n} indicators that lift the index of {region} most. {values}",
    ),
    "doc:alt:points_value": ("{name} {points}", "{name} {points}"),
    "doc:h:priority": ("Matriks Prioritas", "Priority Matrix"),
    "doc:priority_counts": (
        "Dari {with_gap} indikator yang masih memiliki kesenjangan: {quick} quick win, {major} proyek besar, "
        "{fill} pelengkap dan {low} prioritas rendah.",
        "Of the {with_gap} indicators with a gap: {quick} quick wins, {major} major projects, {fill} fill-ins "
        "and {low} low priorities.",
    ),
    "doc:fig:priority": ("Matriks prioritas: dampak dan upaya", "Priority matrix: impact and effort"),
    "doc:alt:priority": (
        "Diagram sebar indikator {region} menurut upaya dan tambahan poin indeks, dibagi empat kuadran. "
        "{quick} quick win di kuadran kiri atas.",
        "Scatter chart of the indicators of {region} by effort and index points gained, in four quadrants. "
        "{quick} quick wins in the upper left quadrant.",
    ),
    # --- roadmap ----------------------------------------------------------------------------------
    "doc:h:roadmap": ("Peta Jalan", "Roadmap"),
    "doc:roadmap_intro": (
        "Peta jalan sepuluh tahun dibagi menjadi jangka pendek ({short}, dalam 1 tahun), jangka menengah "
        "({medium}, tahun ke-2 sampai ke-5) dan jangka panjang ({long}, tahun ke-6 sampai ke-10). Jalur target "
        "tiap dimensi ditarik lurus dari skor {cycle} ke targetnya pada tahun target, lalu dipertahankan sampai "
        "target lanjutan ditetapkan.",
        "The ten-year roadmap has a short term ({short}, within 1 year), a medium term ({medium}, years 2 to 5) "
        "and a long term ({long}, years 6 to 10). Each dimension's target path runs straight from its {cycle} "
        "score to its target in the target year, then holds until a further target is set.",
    ),
    "doc:paths_table": ("Jalur target indeks dan dimensi per tahun", "Target path of the index and dimensions by year"),
    "doc:paths_legend": ("Kode dimensi: {legend}.", "Dimension codes: {legend}."),
    "doc:horizon_counts_table": ("Jumlah indikator per jangka waktu", "Indicators by horizon"),
    "doc:aspect_counts_table": ("Jumlah indikator per aspek dan jangka waktu", "Indicators by aspect and horizon"),
    "doc:roadmap_in_analysis": (
        "Daftar lengkap indikator per jangka waktu ada dalam dokumen Peta Jalan dan berkas {file} yang dapat "
        "disunting tim.",
        "The full list of indicators by horizon is in the Roadmap document and in the file {file}, which the team "
        "can edit.",
    ),
    "doc:h:paths": ("Jalur Target per Dimensi", "Target Paths by Dimension"),
    "doc:h:schedule": ("Indikator per Jangka Waktu", "Indicators by Horizon"),
    "doc:h:horizon": ("{horizon} ({years})", "{horizon} ({years})"),
    "doc:horizon_sentence": (
        "{n} indikator; aspek Struktur {structure}, Infrastruktur {infrastructure}, Suprastruktur "
        "{superstructure}.",
        "{n} indicators; Structure {structure}, Infrastructure {infrastructure}, Superstructure "
        "{superstructure}.",
    ),
    "doc:horizon_none": ("Tidak ada indikator pada jangka waktu ini.", "No indicator falls in this horizon."),
    "doc:schedule_table": ("Indikator {horizon}", "Indicators, {horizon}"),
    "doc:no_gap_note": (
        "{n} indikator sudah mencapai targetnya dan cukup dipertahankan.",
        "{n} indicators have reached their targets and only need to stay there.",
    ),
    "doc:roadmap_xlsx_note": (
        "Berkas {file} memuat jalur target dan jadwal indikator yang sama dalam bentuk tabel yang dapat disunting "
        "tim: kolom program, OPD penanggung jawab dan catatan diisi dalam lokakarya.",
        "The file {file} holds the same target paths and indicator schedule as tables the team edits: the "
        "programme, responsible office and notes columns are filled in at the workshop.",
    ),
    "doc:h:roadmap_intro": ("Pengantar", "Introduction"),
    # --- appendix ---------------------------------------------------------------------------------
    "doc:h:appendix": ("Lampiran: Jawaban, Bukti Dukung dan Kesenjangan per Indikator",
                       "Appendix: Answers, Evidence and Gaps by Indicator"),
    "doc:appendix_intro": (
        "Jawaban tiap OPD pada skala instrumen ({lo}-{hi}), skor (rata-rata jawaban pada skala {score_lo}-"
        "{score_hi}), target, kesenjangan dan bukti dukung yang disampaikan.",
        "Each office's answer on the instrument's scale ({lo}-{hi}), the score (the mean answer on the "
        "{score_lo}-{score_hi} scale), target, gap and the evidence given.",
    ),
    "doc:appendix_table": ("Indikator {dimension}", "Indicators of {dimension}"),
    # --- quick wins -------------------------------------------------------------------------------
    "doc:h:qw_intro": ("Pengantar", "Introduction"),
    "doc:qw_intro": (
        "Quick win adalah indikator yang dampaknya terhadap indeks tinggi dan upayanya rendah, sehingga hasilnya "
        "dapat terlihat dalam satu tahun. Dari {with_gap} indikator {region} yang masih memiliki kesenjangan, "
        "{n} termasuk quick win.",
        "A quick win is an indicator with a high impact on the index and a low effort, so that results show "
        "within a year. Of the {with_gap} indicators of {region} with a gap, {n} are quick wins.",
    ),
    "doc:qw_rule": (
        "Dampak tinggi: tambahan poin indeks paling sedikit {threshold}, median daerah ini. Upaya rendah: upaya 1, "
        "umumnya regulasi, kebijakan atau prosedur (aspek Suprastruktur).",
        "High impact: at least {threshold} index points, this region's median. Low effort: effort 1, mostly a "
        "regulation, policy or procedure (the Superstructure aspect).",
    ),
    "doc:h:qw_list": ("Daftar Quick Win", "Quick Wins at a Glance"),
    "doc:qw_table": ("Quick win {region}", "Quick wins of {region}"),
    "doc:h:qw_each": ("Profil Tiap Quick Win", "Each Quick Win"),
    "doc:qw_position": (
        "Dimensi {dimension}, sub-dimensi {sub}, aspek {aspect}. Skor saat ini {score} ({maturity}) menuju target "
        "{target} ({target_maturity}) pada {year}; bila tercapai, indeks naik {points} poin (urutan dampak {rank} "
        "dari {n} indikator).",
        "Dimension {dimension}, sub-dimension {sub}, aspect {aspect}. Current score {score} ({maturity}) towards "
        "the target {target} ({target_maturity}) by {year}; once reached, the index rises by {points} points "
        "(impact rank {rank} of {n} indicators).",
    ),
    "doc:qw_horizon": ("{horizon}, {years} ({year})", "{horizon}, {years} ({year})"),
    "doc:qw_none": (
        "Belum ada quick win: setiap indikator berdampak tinggi membutuhkan upaya besar. Lihat proyek besar dalam "
        "Peta Jalan.",
        "No quick win yet: every high-impact indicator needs a large effort. See the major projects in the "
        "Roadmap.",
    ),
    "doc:no_evidence": ("belum ada bukti dukung", "no evidence yet"),
    "doc:evidence_count": ("{n} dari {of} OPD", "{n} of {of} offices"),
    # --- executive summary ------------------------------------------------------------------------
    "doc:h:position": ("Posisi Kesiapan", "Readiness at a Glance"),
    "doc:summary_table": ("Skor dimensi", "Dimension scores"),
    "doc:h:actions": ("Lima Langkah yang Paling Menaikkan Indeks", "Five Actions that Lift the Index Most"),
    "doc:actions_table": ("Langkah yang paling menaikkan indeks", "Actions that lift the index most"),
    "doc:actions_note": (
        "Tambahan poin dihitung per indikator, bila indikator itu saja mencapai targetnya.",
        "Index points are per indicator, if that indicator alone reaches its target.",
    ),
    "doc:h:progress": ("Kemajuan sejak {previous}", "Progress since {previous}"),
    "doc:h:progress_none": ("Kemajuan", "Progress"),
    "doc:quick_win_count": (
        "{n} quick win dapat dimulai dalam satu tahun; rinciannya dalam dokumen Profil Quick Win.",
        "{n} quick wins can start within a year; they are detailed in the Quick-Win Profile.",
    ),
}
