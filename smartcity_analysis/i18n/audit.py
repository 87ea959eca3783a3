"""Words and explanations of the statistical audit.

key -> (Indonesian, English); templates use ``str.format`` fields. Every flag has an
explanation written for the analyst who maintains the instrument: what the finding means for
the instrument, then what to do about it (``audit:explain:<finding>``).
"""

from __future__ import annotations

TERMS: dict[str, tuple[str, str]] = {
    # --- columns of the audit tables -----------------------------------------------------------
    "audit:n_available": ("Daerah yang mengisi", "Units with a value"),
    "audit:availability": ("Ketersediaan data", "Data availability"),
    "audit:min": ("Terendah", "Minimum"),
    "audit:max": ("Tertinggi", "Maximum"),
    "audit:mean": ("Rata-rata", "Mean"),
    "audit:median": ("Median", "Median"),
    "audit:sd": ("Simpangan baku", "Standard deviation"),
    "audit:skew": ("Kemencengan", "Skewness"),
    "audit:kurtosis": ("Keruncingan", "Kurtosis"),
    "audit:share_nonzero": ("Porsi bukan nol", "Share non-zero"),
    "audit:share_unique": ("Porsi nilai berbeda", "Share of distinct values"),
    "audit:flag_availability": ("Data kurang", "Low availability"),
    "audit:flag_nonzero": ("Banyak nol", "Mostly zeros"),
    "audit:flag_unique": ("Sedikit variasi", "Few distinct values"),
    "audit:flag_outlier": ("Pencilan", "Outliers"),
    "audit:parent": ("Induk", "Parent"),
    "audit:parent_name": ("Nama induk", "Parent name"),
    "audit:pearson": ("Korelasi Pearson", "Pearson correlation"),
    "audit:spearman": ("Korelasi Spearman (peringkat)", "Spearman (rank) correlation"),
    "audit:group": ("Dimensi", "Dimension"),
    "audit:code_a": ("Indikator A", "Indicator A"),
    "audit:code_b": ("Indikator B", "Indicator B"),
    "audit:name_a": ("Nama indikator A", "Indicator A name"),
    "audit:name_b": ("Nama indikator B", "Indicator B name"),
    "audit:flag": ("Tanda", "Flag"),
    "audit:alpha_indicators": ("Alpha Cronbach, semua indikator di bawahnya",
                               "Cronbach's alpha, all indicators beneath"),
    "audit:alpha_children": ("Alpha Cronbach, komponen langsung", "Cronbach's alpha, direct components"),
    "audit:pc1_variance_share": ("Porsi varians komponen utama 1", "First component's share of variance"),
    "audit:n_complete": ("Daerah berdata lengkap", "Units with complete data"),
    "audit:n_missing": ("Indikator kosong", "Indicators missing"),
    "audit:n_zero": ("Indikator bernilai nol", "Indicators at zero"),
    "audit:low_data": ("Data terlalu sedikit", "Too little data"),
    "audit:kept": ("Lolos penyaringan", "Passes screening"),
    "audit:output": ("Keluaran", "Output"),
    "audit:si": ("Indeks orde pertama (Si)", "First-order index (Si)"),
    "audit:sti": ("Indeks total (STi)", "Total index (STi)"),
    "audit:si_low": ("Si batas bawah", "Si lower bound"),
    "audit:si_high": ("Si batas atas", "Si upper bound"),
    "audit:sti_low": ("STi batas bawah", "STi lower bound"),
    "audit:sti_high": ("STi batas atas", "STi upper bound"),
    "audit:mean_rank": ("Peringkat rata-rata", "Mean rank"),
    "audit:rank_moves": ("Peringkat bergeser", "Rank moves"),
    "audit:target": ("Rata-rata perubahan peringkat (semua daerah)", "Mean absolute rank change (all regions)"),
    "audit:finding": ("Temuan", "Finding"),
    "audit:where": ("Di mana", "Where"),
    "audit:where_name": ("Nama", "Name"),
    "audit:value": ("Nilai", "Value"),
    "audit:explanation": ("Artinya dan yang perlu dilakukan", "What it means and what to do"),
    # --- workbook sheets (Excel: at most 31 characters, no colon) ------------------------------
    "audit:sheet:findings": ("Audit Temuan", "Audit findings"),
    "audit:sheet:indicators": ("Audit Indikator", "Audit indicators"),
    "audit:sheet:correlations": ("Audit Korelasi", "Audit correlations"),
    "audit:sheet:pairs": ("Audit Pasangan Indikator", "Audit indicator pairs"),
    "audit:sheet:reliability": ("Audit Reliabilitas", "Audit reliability"),
    "audit:sheet:units": ("Audit Kelengkapan Daerah", "Audit unit data"),
    "audit:sheet:sobol": ("Audit Sensitivitas", "Audit sensitivity"),
    # --- the uncertain inputs of the Sobol analysis and their alternatives --------------------
    "audit:input:weights": ("bobot", "weights"),
    "audit:input:normalisation": ("normalisasi", "normalisation"),
    "audit:input:aggregation": ("agregasi", "aggregation"),
    "audit:input:imputation": ("pengisian data kosong", "imputation"),
    "audit:input:outliers": ("penanganan pencilan", "outlier treatment"),
    "audit:choices:weights": ("bobot diacak +/-{noise}%, {n} set", "weights perturbed +/-{noise}%, {n} sets"),
    "audit:choice:scale": ("skala instrumen", "instrument scale"),
    "audit:choice:minmax": ("min-maks kohort", "cohort min-max"),
    "audit:choice:rank": ("peringkat persentil", "percentile rank"),
    "audit:choice:zscore": ("skor-z", "z-score"),
    "audit:choice:none": ("tanpa", "none"),
    "audit:choice:arithmetic": ("rata-rata hitung", "arithmetic mean"),
    "audit:choice:geometric": ("rata-rata geometrik", "geometric mean"),
    "audit:choice:mean": ("rata-rata indikator", "indicator mean"),
    "audit:choice:median": ("median indikator", "indicator median"),
    "audit:choice:group_mean": ("rata-rata daerah sejenis", "peer-group mean"),
    "audit:choice:on": ("aktif", "on"),
    "audit:choice:off": ("tidak aktif", "off"),
    # --- findings: short names ----------------------------------------------------------------
    "audit:finding:flag_availability": ("Indikator jarang diisi", "Indicator rarely answered"),
    "audit:finding:flag_nonzero": ("Indikator kebanyakan nol", "Indicator mostly zero"),
    "audit:finding:flag_unique": ("Indikator sedikit variasi", "Indicator with few distinct values"),
    "audit:finding:flag_outlier": ("Indikator dengan pencilan", "Indicator with outliers"),
    "audit:finding:collinear": ("Pasangan kolinear", "Collinear pair"),
    "audit:finding:negative": ("Pasangan berkorelasi negatif", "Negatively correlated pair"),
    "audit:finding:weak_parent": ("Lemah terhadap induknya", "Weak with its parent"),
    "audit:finding:low_alpha": ("Konsistensi internal rendah", "Low internal consistency"),
    "audit:finding:low_pc1": ("Lebih dari satu faktor", "More than one factor"),
    "audit:finding:low_data": ("Daerah dengan data terlalu sedikit", "Region with too little data"),
    "audit:finding:none": ("Tidak ada temuan", "No findings"),
    # --- findings: what they mean for the instrument, and what to do --------------------------
    "audit:explain:flag_availability": (
        "Kurang dari {threshold}% daerah mengisi indikator ini. Skor dimensinya lalu bertumpu pada "
        "indikator lain, dan daerah yang mengisi dibandingkan dengan daerah yang tidak. Tanyakan ke "
        "OPD mengapa indikator ini kosong (petunjuk tidak jelas, data tidak tersedia, atau tidak "
        "relevan), perbaiki petunjuk pengisiannya, dan bila kekosongan tetap ada pertimbangkan "
        "pengisian data kosong (--impute) atau menghapus indikator ini pada siklus berikutnya.",
        "Fewer than {threshold}% of regions answered this indicator. Its dimension's score then rests "
        "on the other indicators, and regions that answered are compared with regions that did not. "
        "Ask the offices why it is left blank (unclear guidance, no data, not relevant), improve the "
        "guidance, and if gaps remain consider imputation (--impute) or dropping the indicator next "
        "cycle.",
    ),
    "audit:explain:flag_nonzero": (
        "Lebih dari separuh daerah bernilai nol (atau kosong) pada indikator ini, sehingga indikator "
        "ini hampir tidak membedakan daerah. Periksa apakah nol berarti \"belum ada\" atau \"tidak "
        "diisi\". Bila hampir semua daerah memang belum memulai, jadikan indikator ini target jangka "
        "panjang dan jangan andalkan untuk peringkat.",
        "More than half of the regions score zero (or nothing) on this indicator, so it hardly tells "
        "regions apart. Check whether zero means \"not yet\" or \"not answered\". If almost every "
        "region has indeed not started, treat it as a long-term target rather than a ranking "
        "criterion.",
    ),
    "audit:explain:flag_unique": (
        "Indikator ini hanya punya sedikit nilai berbeda (kurang dari separuh jumlah daerah), jadi "
        "banyak daerah bernilai sama. Untuk jawaban rubrik 1-5 yang dirata-rata dari beberapa OPD "
        "hal ini wajar. Perhatikan bila nilainya menumpuk di satu atau dua tingkat: rubriknya "
        "mungkin terlalu mudah atau terlalu sulit, dan deskripsi tingkatnya perlu dipertajam.",
        "This indicator takes few distinct values (fewer than half the number of regions), so many "
        "regions tie. For 1-5 rubric answers averaged over a few offices this is expected. Watch for "
        "values piling up on one or two levels: the rubric may be too easy or too hard, and its level "
        "descriptions need sharpening.",
    ),
    "audit:explain:flag_outlier": (
        "Sebaran indikator ini sangat menceng (kemencengan lebih dari 2) dan berekor panjang "
        "(keruncingan lebih dari 3,5): beberapa daerah jauh dari yang lain dan dapat mendominasi "
        "skor dimensinya. Periksa dulu apakah nilai ekstrem itu benar (salah ketik, satuan berbeda). "
        "Bila benar, pertimbangkan penanganan pencilan COINr (--treat-outliers: winsorisasi sampai "
        "5 titik, atau transformasi log).",
        "This indicator's distribution is strongly skewed (skewness above 2) with heavy tails "
        "(kurtosis above 3.5): a few regions lie far from the rest and can dominate their dimension's "
        "score. First check that the extreme values are right (typos, different units). If they are, "
        "consider COINr's outlier treatment (--treat-outliers: Winsorise up to 5 points, else log).",
    ),
    "audit:explain:collinear": (
        "Dua indikator dalam satu dimensi berkorelasi sangat tinggi (di atas {threshold}): keduanya "
        "mengukur hal yang hampir sama, sehingga hal itu terhitung dua kali dalam skor dimensi. "
        "Pertimbangkan menggabungkan keduanya menjadi satu indikator, menghapus salah satunya, atau "
        "mengurangi bobotnya.",
        "Two indicators of one dimension are very highly correlated (above {threshold}): they measure "
        "almost the same thing, which is then counted twice in the dimension's score. Consider "
        "merging them into one indicator, dropping one of them, or lowering their weights.",
    ),
    "audit:explain:negative": (
        "Dua indikator dalam satu dimensi berkorelasi negatif (di bawah {threshold}): daerah yang "
        "baik pada yang satu cenderung lemah pada yang lain, sehingga keduanya saling meniadakan "
        "dalam rata-rata dimensi. Periksa arah indikator (apakah \"lebih rendah lebih baik\" sudah "
        "ditandai). Bila arahnya benar, ini pertukaran (trade-off) yang perlu dijelaskan dalam "
        "laporan, bukan disembunyikan dalam satu skor.",
        "Two indicators of one dimension are negatively correlated (below {threshold}): regions good "
        "at one tend to be weak at the other, so they cancel out in the dimension's average. Check "
        "the indicators' direction (is \"lower is better\" marked?). If the direction is right, this "
        "is a trade-off to explain in the report, not to hide in one score.",
    ),
    "audit:explain:weak_parent": (
        "Komponen ini hampir tidak berkorelasi dengan induknya (korelasi di bawah {threshold}): "
        "naik turunnya tidak ikut menentukan skor induk, atau malah berlawanan. Komponen seperti ini "
        "sering salah tempat atau salah arah. Periksa arah dan isinya, dan pertimbangkan "
        "memindahkannya ke bagian instrumen yang lebih cocok.",
        "This component hardly correlates with its parent (correlation below {threshold}): its ups "
        "and downs do not carry the parent's score, or run against it. Such components are often in "
        "the wrong place or point the wrong way. Check their direction and content, and consider "
        "moving them to a better-fitting part of the instrument.",
    ),
    "audit:explain:low_alpha": (
        "Alpha Cronbach di bawah {threshold}: komponen-komponen aspek ini tidak bergerak searah, "
        "sehingga skor gabungannya merangkum hal-hal yang berbeda. Ini tidak selalu salah (sebuah "
        "dimensi boleh mencakup beberapa hal), tetapi periksa komponen yang korelasinya dengan "
        "induknya paling rendah, dan jelaskan isi aspek itu ketika skornya dilaporkan.",
        "Cronbach's alpha below {threshold}: the components of this aggregate do not move together, "
        "so its score summarises different things. That is not always wrong (a dimension may cover "
        "several things), but check the components least correlated with it, and explain what it "
        "covers whenever its score is reported.",
    ),
    "audit:explain:low_pc1": (
        "Komponen utama pertama menjelaskan kurang dari {threshold}% variasi indikator sub-dimensi "
        "ini: indikator-indikatornya tidak mengukur satu hal yang sama. Pertimbangkan memecah "
        "sub-dimensi ini, atau memindahkan indikator yang korelasinya paling lemah ke sub-dimensi "
        "yang lebih cocok.",
        "The first principal component explains less than {threshold}% of the variation of this "
        "sub-dimension's indicators: they do not measure one common thing. Consider splitting the "
        "sub-dimension, or moving the least correlated indicators to a better-fitting one.",
    ),
    "audit:explain:low_data": (
        "Daerah ini mengisi kurang dari {threshold}% indikator: skornya bertumpu pada sedikit "
        "jawaban dan kurang sebanding dengan daerah lain. Hubungi OPD daerah ini untuk melengkapi "
        "jawaban. Bila tidak mungkin, laporkan skornya dengan catatan, atau keluarkan dari "
        "peringkat (--screen).",
        "This region answered fewer than {threshold}% of the indicators: its score rests on few "
        "answers and compares poorly with the others. Ask its offices to complete the answers. If "
        "that is not possible, report its score with a caveat, or leave it out of the ranking "
        "(--screen).",
    ),
    "audit:explain:none": (
        "Tidak ada indikator, pasangan, aspek, atau daerah yang melewati ambang audit.",
        "No indicator, pair, aggregate or region crosses an audit threshold.",
    ),
    # --- Sobol sensitivity --------------------------------------------------------------------
    "audit:sobol_no_moves": (
        "Tidak ada peringkat yang bergeser di varian mana pun: porsi sensitivitas tidak bermakna "
        "(0 dibagi 0) dan dibiarkan kosong. Peringkat kohort ini kokoh terhadap semua pilihan yang "
        "diuji.",
        "No rank moves in any variant: the sensitivity shares are not meaningful (0 divided by 0) "
        "and left blank. This cohort's ranks are robust to every choice tested.",
    ),
    "audit:sobol_no_variance": (
        "Peringkat bergeser, tetapi rata-rata perubahan peringkat sama di setiap varian: porsi "
        "sensitivitas tidak bermakna dan dibiarkan kosong. Lihat indeks per daerah.",
        "Ranks move, but the mean rank change is the same in every variant: the sensitivity shares "
        "are not meaningful and left blank. See the indices per region.",
    ),
    "audit:sobol_region_fixed": (
        "Peringkat {region} sama di setiap varian: porsi sensitivitas tidak bermakna (0 dibagi 0). "
        "Peringkat daerah ini kokoh terhadap semua pilihan yang diuji.",
        "{region}'s rank is the same in every variant: the sensitivity shares are not meaningful "
        "(0 divided by 0). This region's rank is robust to every choice tested.",
    ),
    "audit:sobol_summary": (
        "Pilihan yang paling menentukan peringkat adalah {input}: sendirian menjelaskan {si}% "
        "variasi rata-rata perubahan peringkat, dan {sti}% bersama interaksinya dengan pilihan lain.",
        "The choice that drives the ranks most is {input}: alone it explains {si}% of the variation "
        "of the mean rank change, and {sti}% with its interactions with the other choices.",
    ),
    "audit:sobol_inert": (
        "Pilihan yang tidak mengubah peringkat sama sekali (indeks total 0): {inputs}. Untuk data "
        "ini pilihan tersebut tidak perlu diperdebatkan.",
        "Choices that do not change any rank (total index 0): {inputs}. For these data they need no "
        "debate.",
    ),
    # --- charts -------------------------------------------------------------------------------
    "audit:chart:correlation": ("{dimension}: korelasi antarindikator", "{dimension}: correlations between indicators"),
    "audit:chart:correlation_sub": (
        "Korelasi Pearson skor ternormalisasi; bingkai tebal: kolinear (> {collinear}) atau negatif (< {negative})",
        "Pearson correlation of normalised scores; bold frame: collinear (> {collinear}) or negative (< {negative})",
    ),
    "audit:chart:collinear": ("kolinear", "collinear"),
    "audit:chart:negative": ("negatif", "negative"),
    "audit:chart:reliability": ("Konsistensi internal dan struktur per aspek", "Internal consistency and structure"),
    "audit:chart:reliability_sub": (
        "Alpha Cronbach komponen langsung (garis: {alpha}) dan porsi varians komponen utama pertama (garis: {pc1})",
        "Cronbach's alpha of the direct components (line: {alpha}) and first component's share of variance (line: {pc1})",
    ),
    "audit:chart:alpha": ("Alpha Cronbach", "Cronbach's alpha"),
    "audit:chart:pc1": ("Porsi varians komponen utama 1", "First component's share of variance"),
    "audit:chart:sobol": ("Pilihan metode yang menggerakkan peringkat", "Which choices move the ranks"),
    "audit:chart:sobol_region": ("{region}: pilihan yang menggerakkan peringkatnya", "{region}: which choices move its rank"),
    "audit:chart:sobol_sub": (
        "Indeks Sobol pada {target}; garis: interval bootstrap {coverage}%; {n} varian indeks",
        "Sobol indices on {target}; whiskers: {coverage}% bootstrap interval; {n} variants of the index",
    ),
    "audit:chart:rank_of": ("peringkat daerah ini", "this region's rank"),
    "audit:chart:share": ("Porsi varians peringkat", "Share of rank variance"),
    "audit:chart:si": ("Orde pertama (Si): pilihan itu sendiri", "First order (Si): the choice alone"),
    "audit:chart:sti": ("Total (STi): termasuk interaksi", "Total (STi): with interactions"),
    "audit:chart:no_flags": ("tidak ada pasangan yang ditandai", "no pair flagged"),
    # --- notebook 07 and the report's audit section --------------------------------------------
    "audit:nb:intro": (
        "Audit statistik memeriksa apakah instrumen ini bekerja sebagai satu indeks, seperti audit "
        "JRC (Komisi Eropa) atas setiap indeks komposit yang diterbitkan dan seperti COINr: sebaran "
        "tiap indikator, indikator yang mengukur hal yang sama dua kali, konsistensi internal setiap "
        "aspek (alpha Cronbach), struktur sub-dimensi (analisis komponen utama), dan pilihan metode "
        "mana yang paling menggerakkan peringkat (indeks Sobol). Siklus {cycle}, {n} daerah, "
        "{k} indikator.",
        "The statistical audit checks whether this instrument works as one index, as the JRC "
        "(European Commission) audits every published composite index and as COINr does: each "
        "indicator's distribution, indicators that measure the same thing twice, each aggregate's "
        "internal consistency (Cronbach's alpha), the sub-dimensions' structure (principal "
        "components), and which methodological choices move the ranks most (Sobol indices). Cycle "
        "{cycle}, {n} regions, {k} indicators.",
    ),
    "audit:nb:findings": (
        "## Temuan\n\nSetiap temuan audit dalam satu baris: apa, di mana, nilainya, artinya bagi "
        "instrumen, dan yang perlu dilakukan. Temuan bukan vonis: ia menunjuk bagian instrumen yang "
        "perlu diperiksa sebelum siklus berikutnya.",
        "## Findings\n\nEvery audit finding in one row: what, where, its value, what it means for the "
        "instrument and what to do. A finding is not a verdict: it points at a part of the instrument "
        "to look at before the next cycle.",
    ),
    "audit:nb:indicators": (
        "## Sebaran indikator\n\nStatistik setiap indikator pada nilai asli (rata-rata jawaban OPD, "
        "skala instrumen), seperti `get_stats` COINr. Ditandai: ketersediaan di bawah {availability}%, "
        "porsi bukan nol atau porsi nilai berbeda di bawah 50%, dan pencilan (kemencengan di atas 2 "
        "dan keruncingan di atas 3,5).",
        "## Indicator distributions\n\nStatistics of every indicator on its raw values (mean of the "
        "offices' answers, instrument scale), as COINr's `get_stats`. Flagged: availability below "
        "{availability}%, share non-zero or share of distinct values below 50%, and outliers "
        "(skewness above 2 and kurtosis above 3.5).",
    ),
    "audit:nb:correlations": (
        "## Korelasi\n\nKorelasi setiap indikator dan aspek dengan induknya (skor ternormalisasi dan "
        "skor agregat): komponen yang lemah atau negatif terhadap induknya tidak ikut membentuk skor "
        "induk. Peta panas di bawahnya menunjukkan korelasi antarindikator dalam setiap dimensi; "
        "pasangan yang ditandai diberi bingkai tebal.",
        "## Correlations\n\nEach indicator's and aggregate's correlation with its parent (normalised "
        "and aggregated scores): a component weak or negative against its parent does not shape the "
        "parent's score. The heatmaps below show the correlations between the indicators of each "
        "dimension; flagged pairs have a bold frame.",
    ),
    "audit:nb:reliability": (
        "## Konsistensi internal dan struktur\n\nAlpha Cronbach mengukur seberapa searah komponen "
        "sebuah aspek bergerak (0,7 ke atas lazim dianggap memadai). Porsi varians komponen utama "
        "pertama menunjukkan apakah indikator sebuah sub-dimensi mengukur satu hal yang sama "
        "(semakin dekat ke 100%, semakin satu hal).",
        "## Internal consistency and structure\n\nCronbach's alpha measures how far the components "
        "of an aggregate move together (0.7 or more is usually taken as adequate). The first "
        "principal component's share of variance shows whether a sub-dimension's indicators measure "
        "one common thing (the closer to 100%, the more so).",
    ),
    "audit:nb:units": (
        "## Kelengkapan data per daerah\n\nPorsi indikator yang diisi setiap daerah. Daerah di bawah "
        "{threshold}% ditandai; opsi `--screen` mengeluarkannya dari skor.",
        "## Data availability per region\n\nShare of the indicators each region answered. Regions "
        "below {threshold}% are flagged; the `--screen` option leaves them out of the scores.",
    ),
    "audit:nb:sobol": (
        "## Pilihan metode yang menggerakkan peringkat\n\nIndeks dihitung ulang {n} kali dengan "
        "pilihan yang diacak secara bersamaan: bobot, normalisasi, agregasi, pengisian data kosong, "
        "dan penanganan pencilan (desain Saltelli, seperti `get_sensitivity` COINr). Indeks orde "
        "pertama (Si) adalah porsi variasi rata-rata perubahan peringkat yang dijelaskan oleh satu "
        "pilihan sendirian; indeks total (STi) menambahkan interaksinya dengan pilihan lain. Pilihan "
        "dengan STi terbesar paling perlu dijelaskan ketika peringkat dikutip.",
        "## Which choices move the ranks\n\nThe index is computed again {n} times with the choices "
        "varied together: weights, normalisation, aggregation, imputation and outlier treatment (a "
        "Saltelli design, as COINr's `get_sensitivity`). The first-order index (Si) is the share of "
        "the variation of the mean rank change one choice explains alone; the total index (STi) adds "
        "its interactions with the other choices. The choice with the largest STi most needs "
        "explaining whenever ranks are quoted.",
    ),
    "audit:nb:region": (
        "Untuk {region}: peringkat nominal {rank}, dalam 90% varian antara peringkat {lo} dan {hi}.",
        "For {region}: nominal rank {rank}, in 90% of the variants between rank {lo} and {hi}.",
    ),
}
