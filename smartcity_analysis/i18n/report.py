"""Prose of the notebooks and the HTML report.

key -> (Indonesian, English); templates use ``str.format`` fields, filled by
:func:`smartcity_analysis.i18n.sentence` (years passed as text: ``2024``, never ``2.024``).

A notebook's texts are keyed ``nb01:`` to ``nb06:`` and shown as Markdown by
:func:`smartcity_analysis.presentation.display.prose`, in the order of the notebook. Each
``nbNN:title`` opens with the notebook's ``#`` heading and its question; a section opens with its
``##`` heading, so that JupyterLab's table of contents and the report's find them. ``report:``
keys are the merged HTML report's own words.
"""

from __future__ import annotations

TERMS: dict[str, tuple[str, str]] = {
    # --- the HTML report (smartcity_analysis.pipeline.runner.write_report) ---------------------
    "report:title": ("Kesiapan smart city, siklus {cycle}: {region}",
                     "Smart city readiness, cycle {cycle}: {region}"),
    "report:contents": ("Daftar isi", "Contents"),
    "report:first_rows": ("{shown} baris pertama dari {total}{also}; tabel lengkap ada di buku kerja Excel "
                          "dan folder tables/ hasil proses",
                          "the first {shown} rows of {total}{also}; the whole table is in the run's Excel "
                          "workbook and tables/ folder"),
    "report:first_rows_also": (" dan baris {value}", " and the rows of {value}"),
    # --- 01 load and validate ----------------------------------------------------------------
    "nb01:title": (
        "# 01 Memuat dan memvalidasi jawaban\n\n"
        "**Pertanyaan:** apakah jawaban asesmen kesiapan sudah cukup lengkap dan sah untuk diberi "
        "skor? OPD mana saja yang menjawab untuk setiap daerah, berapa banyak jawaban yang masih "
        "kosong, dan seperti apa wujud sebuah masalah di dalam berkas?\n\n"
        "Semua notebook berikutnya berangkat dari jawaban yang sama, jadi inilah pemeriksaan "
        "pertama setelah formulir kembali dari daerah. Pemuat membaca setiap formulir dan tabel di "
        "folder data mentah, mencocokkan setiap jawaban dengan instrumen (kode indikator, skala, "
        "daerah, siklus), lalu menampilkan *semua* masalah sekaligus, lengkap dengan nama berkas, "
        "lembar, dan selnya.",
        "# 01 Load and validate the answers\n\n"
        "**Question:** are the readiness assessment answers complete and valid enough to score? "
        "Which offices (OPD) answered for each region, how many answers are blank, and what does a "
        "problem in a file look like?\n\n"
        "Every later notebook starts from the same answers, so this is the first thing to check "
        "after the forms come back from the regions. The loader reads every form and table under "
        "the raw folder, checks each answer against the instrument (indicator codes, scales, "
        "regions, cycles) and lists *every* problem at once, naming the file, the sheet and the "
        "cell.",
    ),
    "nb01:loaded": (
        "## Data yang dimuat\n\n"
        "Satu baris menyebutkan berapa daerah, siklus asesmen, indikator, responden (satu OPD yang "
        "mengisi satu formulir), dan jawaban yang terbaca, serta berapa persen jawaban yang "
        "seharusnya ada ternyata kosong. Jawaban kosong bukan kesalahan: penghitungan skor tidak "
        "memakainya dan membagi bobotnya kepada indikator lain dalam sub-dimensi yang sama. "
        "Catatan (misalnya berkas kunci `~$...xlsx` yang dilewati) tercantum di bawahnya; catatan "
        "tidak menghentikan proses.",
        "## What was loaded\n\n"
        "One line says how many regions, assessment cycles, indicators, respondents (one OPD "
        "filling in one form) and answers were read, and which share of the expected answers is "
        "blank. A blank answer is not an error: the scoring leaves it out and reweights the other "
        "indicators of the same sub-dimension. Notes (for instance a lock file `~$...xlsx` that "
        "was skipped) are listed under it; they do not stop anything.",
    ),
    "nb01:respondents": (
        "## Responden per daerah\n\n"
        "Berapa OPD yang menjawab untuk setiap daerah di setiap siklus. Daerah yang dinilai oleh "
        "satu OPD saja tidak punya pendapat pembanding untuk indikator mana pun, sehingga skornya "
        "kurang kokoh (notebook 06 mengukur seberapa besar pengaruhnya). Daerah yang dibahas dalam "
        "laporan ini dicetak tebal.",
        "## Respondents per region\n\n"
        "How many OPD answered for each region in each cycle. A region assessed by a single office "
        "has no second opinion on any indicator: its scores are less firm (notebook 06 puts a "
        "number on that). The region this report is about is in bold.",
    ),
    "nb01:blanks": (
        "## Jawaban kosong per dimensi\n\n"
        "Persentase jawaban yang seharusnya ada tetapi dibiarkan kosong, per daerah dan dimensi, "
        "pada siklus yang dianalisis (jumlah yang seharusnya = jumlah responden daerah itu dikali "
        "jumlah indikator dimensi). Kolom pertama menggabungkan semua dimensi. Baca mendatar untuk "
        "melihat bagian mana yang dibiarkan terbuka oleh OPD suatu daerah, dan baca menurun untuk "
        "menemukan kelompok pertanyaan yang sulit dijawab oleh banyak daerah. Bila lebih dari "
        "kira-kira sepertiga jawaban kosong, skor dimensi itu hanya bertumpu pada sedikit jawaban: "
        "mintalah OPD melengkapi formulirnya sebelum skor dihitung.",
        "## Blank answers per dimension\n\n"
        "The share of expected answers left blank, per region and dimension, in the analysed "
        "cycle (expected = every respondent of the region times the dimension's indicators). The "
        "first column is all dimensions together. Read across a row to see where a region's OPD "
        "left questions open, and down a column to see a question block that many regions found "
        "hard to answer. Above about a third, a dimension's score rests on few answers: ask the "
        "OPD to complete the form before scoring.",
    ),
    "nb01:problem": (
        "## Seperti apa sebuah masalah\n\n"
        "Bila sebuah berkas tidak sesuai dengan instrumen, tidak ada yang diberi skor: pemuat "
        "berhenti dengan satu pesan galat yang memuat semua masalah yang ditemukan, dan tabel di "
        "bawah ini adalah tampilannya di notebook (perintah `smartcity validate FOLDER` mencetak "
        "daftar yang sama, satu baris per masalah). Sebagai contoh, kami menulis lembar jawaban "
        "kecil yang sengaja dibuat salah ke sebuah folder sementara: kode indikator yang tidak "
        "ada, nilai yang diketik `3,5x`, nilai di luar skala 1-5, baris tanpa nama daerah, dan "
        "jawaban yang diisi dua kali. Setiap baris menyebutkan berkas, lembar, dan sel yang harus "
        "diperbaiki beserta apa yang perlu dilakukan; arti kodenya (SC302, SC303, ...) dijelaskan "
        "di `docs/common-problems.md`.",
        "## What a problem looks like\n\n"
        "When a file does not fit the instrument, nothing is scored: the loader raises one error "
        "that holds every problem found, and the table below is how it shows in a notebook (the "
        "command `smartcity validate FOLDER` prints the same list, one line per problem). To show "
        "it, we write a small, deliberately broken answer sheet to a temporary folder: an "
        "indicator code that does not exist, a value typed as `3,5x`, a value outside the 1-5 "
        "scale, a row without a region name and an answer given twice. Each row names the file, "
        "sheet and cell to fix and says what to do; the codes (SC302, SC303, ...) are explained in "
        "`docs/common-problems.md`.",
    ),
    "nb01:closing": (
        "Data contoh di atas termuat tanpa satu masalah pun; folder formulir yang sebenarnya jarang "
        "demikian. Perbaiki sel yang disebutkan, simpan, lalu jalankan notebook ini lagi: berkas "
        "masukan hanya dibaca, tidak pernah diubah.",
        "The sample data above loaded without a single problem; a real folder of returned forms "
        "rarely does. Fix the cells named, save, and run this notebook again: the input files "
        "themselves are only ever read, never changed.",
    ),
    # --- 02 dimension scores -----------------------------------------------------------------
    "nb02:title": (
        "# 02 Skor dimensi dan tingkat kematangan\n\n"
        "**Pertanyaan:** seberapa siap setiap daerah menjalankan program smart city, secara "
        "keseluruhan (indeks) maupun di setiap dimensi, dan pada tingkat kematangan mana "
        "posisinya?\n\n"
        "Singkatnya, skor dihitung sebagai berikut: jawaban para OPD suatu daerah dirata-ratakan "
        "per indikator, setiap indikator dipetakan dari skalanya sendiri (umumnya 1-5) ke 0-100, "
        "lalu rata-rata tertimbang dari indikator yang terisi menghasilkan skor sub-dimensi "
        "(elemen), dimensi, dan indeks, tingkat demi tingkat (metode COINr / JRC). Skor 0 berarti "
        "jawaban terendah di semua indikator, skor 100 jawaban tertinggi.",
        "# 02 Dimension scores and maturity levels\n\n"
        "**Question:** how ready is each region for smart city programmes, overall (the index) "
        "and in each dimension, and at which maturity level (*tingkat kematangan*) does that put "
        "it?\n\n"
        "How scores are made, in short: each region's OPD answers are averaged per indicator, each "
        "indicator is mapped from its own scale (mostly 1-5) to 0-100, and the weighted means of "
        "the indicators present give the sub-dimension (*elemen*), dimension and index scores, "
        "level by level (the COINr / JRC method). A score of 0 means the lowest answer "
        "everywhere, 100 the highest.",
    ),
    "nb02:maturity": (
        "## Tangga kematangan\n\n"
        "Skor diberi nama menurut pita indeks SPBE nasional (PermenPAN-RB 59/2020) yang sudah "
        "biasa dipakai para analis: Kurang, Cukup, Baik, Sangat Baik, dan Memuaskan. Batas-batas "
        "pitanya ditetapkan pada skala 1-5 instrumen (1,8; 2,6; 3,5; 4,2) dan dipetakan ke 0-100 "
        "dengan cara yang sama seperti jawaban. Semua tabel dan grafik di notebook ini memakai "
        "warna-warna berikut: terang untuk tingkat terendah, gelap untuk tingkat tertinggi.",
        "## The maturity ladder\n\n"
        "Scores are named with the bands of the national e-government index (SPBE, PermenPAN-RB "
        "59/2020), which analysts already use: Poor (*Kurang*), Fair (*Cukup*), Good (*Baik*), "
        "Very good (*Sangat Baik*) and Excellent (*Memuaskan*). The bands are set on the "
        "instrument's 1-5 scale (1.8, 2.6, 3.5, 4.2) and mapped to 0-100 the same way the answers "
        "are. Every table and chart in these notebooks uses these colours, light for the lowest "
        "level and dark for the highest.",
    ),
    "nb02:cohort": (
        "## Skor indeks dan dimensi seluruh kohort\n\n"
        "Satu baris per daerah, dimulai dari indeks tertinggi: peringkatnya, tingkat kematangan "
        "indeksnya, lalu skor indeks dan skor {n} dimensinya pada skala 0-100, setiap sel "
        "diwarnai menurut tingkat kematangannya sendiri. Dimensinya: {dimensions}. Baca satu "
        "baris untuk melihat profil sebuah daerah; baca satu kolom untuk melihat daerah mana yang "
        "unggul di suatu dimensi. Daerah yang dibahas dalam laporan ini dicetak tebal.",
        "## Index and dimension scores of the cohort\n\n"
        "One row per region, best index first: its rank, the maturity level of its index, then "
        "the index and the {n} dimension scores on 0-100, each cell coloured by its own maturity "
        "level. The dimensions: {dimensions}. Read a row to see a region's profile; read a column "
        "to see which regions lead in a dimension. The region this report is about is in bold.",
    ),
    "nb02:glance": (
        "## Sekilas pandang\n\n"
        "Peta panas di bawah ini adalah tabel di atas dalam bentuk slide: warna menunjukkan "
        "tingkat kematangan, angka menunjukkan skor. Baris diurutkan menurut indeks; baris yang "
        "berbingkai adalah daerah yang dibahas dalam laporan ini.",
        "## The same at a glance\n\n"
        "The heatmap below is the table above as a slide: colour is the maturity level, the number "
        "the score. Rows are ordered by index; the framed row is the region of this report.",
    ),
    "nb02:profile": (
        "## Profil daerah\n\n"
        "Grafik radar menunjukkan skor {n} dimensi daerah ini (garis utuh, dengan skor tertulis di "
        "setiap jari-jari) dibandingkan dengan median kohort (garis putus-putus). Bila garis utuh "
        "berada di dalam garis putus-putus, daerah ini tertinggal dari separuh kohort pada "
        "dimensi tersebut.",
        "## The region's profile\n\n"
        "The radar shows the region's {n} dimension scores (solid line, with the score printed at "
        "each spoke) against the cohort median (dashed). Where the solid line is inside the dashed "
        "one, the region is behind half of the cohort in that dimension.",
    ),
    "nb02:elements": (
        "## Sub-dimensi (elemen) daerah\n\n"
        "Sebanyak {n} sub-dimensi di bawah {n_dimensions} dimensi, masing-masing dengan skor dan "
        "tingkat kematangannya: pada tingkat inilah program-program Masterplan Smart City "
        "disusun.",
        "## Sub-dimensions (elements) of the region\n\n"
        "The {n} sub-dimensions under the {n_dimensions} dimensions, with score and maturity "
        "level: this is the level at which the Smart City Masterplan's programmes are written.",
    ),
    "nb02:readiness": (
        "## Matriks kesiapan: dimensi x aspek\n\n"
        "Setiap indikator termasuk dalam satu aspek kesiapan: **Struktur** (SDM, anggaran, tata "
        "kelola), **Infrastruktur** (infrastruktur fisik, digital, dan sosial), atau "
        "**Suprastruktur** (kebijakan, peraturan daerah seperti Perda/Perbup, kelembagaan, dan "
        "prosedur). Matriks ini memberi skor setiap dimensi per aspek. Analisis SWOT dalam "
        "masterplan disusun per aspek, jadi di sinilah analisis itu dimulai: sel terendah dalam "
        "satu baris adalah aspek yang paling menahan dimensi tersebut (diberi bingkai pada "
        "grafik).",
        "## Readiness matrix: dimension x aspect\n\n"
        "Every indicator belongs to one readiness aspect: **Structure** (*Struktur*: people, "
        "budget, governance), **Infrastructure** (*Infrastruktur*: physical, digital and social "
        "infrastructure) or **Superstructure** (*Suprastruktur*: policies, local regulations such "
        "as Perda/Perbup, institutions and procedures). The matrix gives each dimension's score "
        "per aspect. The masterplan's SWOT is written per aspect, so this is where it starts: the "
        "lowest cell of a row is what holds that dimension back (framed in the chart).",
    ),
    "nb02:next": (
        "Notebook 03 membandingkan daerah ini dengan anggota kohort lainnya; notebook 04 mengubah "
        "skor-skor ini menjadi kesenjangan terhadap target untuk masterplan.",
        "Notebook 03 compares the region with the rest of the cohort; notebook 04 turns these "
        "scores into gaps (*kesenjangan*) against targets for the masterplan.",
    ),
    # --- 03 compare regencies ----------------------------------------------------------------
    "nb03:title": (
        "# 03 Perbandingan antardaerah\n\n"
        "**Pertanyaan:** di mana posisi daerah ini dalam kohortnya? Peringkatnya pada indeks dan "
        "di setiap dimensi, seberapa jauh jaraknya dari median kohort dan dari daerah terbaik, "
        "bagaimana posisinya di antara daerah sejenis (kabupaten dengan kabupaten, kota dengan "
        "kota), dan daerah mana yang profilnya serupa.",
        "# 03 Compare regencies\n\n"
        "**Question:** where does the region stand in its cohort? Its rank (*peringkat*) on the "
        "index and in each dimension, how far it is from the cohort median and from the best "
        "region, how it compares with peers of its own kind (kabupaten with kabupaten, kota with "
        "kota), and which regions share its profile.",
    ),
    "nb03:cohort": (
        "Kohort adalah semua daerah yang dinilai dalam siklus yang sama; di sini {n} daerah pada "
        "siklus {cycle}. Peringkat bersifat relatif: skor sebuah daerah bisa naik tetapi "
        "peringkatnya tetap turun bila daerah lain naik lebih cepat (lihat notebook 05), dan skor "
        "yang berdekatan bisa bertukar peringkat bila dipakai bobot lain yang juga masuk akal "
        "(lihat notebook 06).",
        "The cohort is every region assessed in the same cycle; here the {n} regions of cycle "
        "{cycle}. Ranks are relative: a region can rise in score and still lose a rank when others "
        "rise faster (see notebook 05), and close scores can swap ranks under other reasonable "
        "weights (see notebook 06).",
    ),
    "nb03:ranking": (
        "## Peringkat indeks\n\n"
        "Satu batang per daerah, yang terbaik di atas, dengan pita tingkat kematangan sebagai "
        "latar. Daerah yang dibahas dalam laporan ini digambar hitam.",
        "## The index ranking\n\n"
        "One bar per region, best on top, over the maturity bands (background colours). The "
        "region of this report is drawn in black.",
    ),
    "nb03:dimension_ranks": (
        "## Peringkat per dimensi\n\n"
        "Peringkat setiap daerah pada indeks dan pada setiap dimensi (1 = terbaik; skor yang sama "
        "mendapat peringkat yang sama). Keunggulan sebuah daerah terlihat di kolom-kolom yang "
        "peringkatnya lebih baik daripada peringkat indeksnya.",
        "## Ranks per dimension\n\n"
        "The rank of every region on the index and on each dimension (1 = best; equal scores "
        "share a rank). A region's strengths are the columns where its rank is better than its "
        "index rank.",
    ),
    "nb03:statistics": (
        "## Statistik kohort\n\n"
        "Untuk indeks dan setiap dimensi: jumlah daerah yang diberi skor, rata-rata dan median "
        "kohort, kuartil (separuh daerah berada di antara kuartil 1 dan kuartil 3), skor terendah "
        "dan terbaik, serta daerah pemilik skor terbaik. Sel diwarnai menurut tingkat kematangan: "
        "median yang berada di \"Baik\" berarti separuh kohort setidaknya \"Baik\" pada dimensi "
        "itu.",
        "## Cohort statistics\n\n"
        "For the index and each dimension: how many regions were scored, the cohort mean and "
        "median, the quartiles (half of the regions lie between quartile 1 and quartile 3), the "
        "lowest and the best score and which region holds the best. Cells are coloured by maturity "
        "level: a median in \"Good\" says that half of the cohort is at least \"Good\" in that "
        "dimension.",
    ),
    "nb03:distance": (
        "## Jarak ke median dan ke yang terbaik\n\n"
        "Untuk daerah yang dibahas dalam laporan ini: skornya, median dan skor terbaik kohort, "
        "serta selisih terhadap keduanya dalam poin skor (biru: di atas, merah: di bawah). Selisih "
        "negatif terhadap median menandai dimensi tempat daerah ini berada di separuh kohort yang "
        "lebih lemah; selisih terhadap yang terbaik menunjukkan ruang perbaikan yang terbukti "
        "dapat dicapai di dalam kohort sendiri.",
        "## Distance to the cohort median and to the best\n\n"
        "For the region of this report: its score, the cohort median and best, and the distance "
        "to each in score points (blue: above, red: below). A negative distance to the median "
        "marks a dimension where the region is in the weaker half of the cohort; the distance to "
        "the best is how much room the cohort itself shows is reachable.",
    ),
    "nb03:peers": (
        "## Kelompok sejenis: kabupaten dan kota\n\n"
        "Kabupaten dan kota berangkat dari titik yang berbeda: kota memiliki infrastruktur yang "
        "lebih padat, kabupaten memiliki wilayah yang lebih luas dan lebih banyak desa untuk "
        "dilayani. Membandingkan sebuah daerah dengan daerah sejenis sering kali lebih adil. Kolom "
        "pengelompokan yang ditemukan dalam data dicantumkan lebih dulu; tabel-tabelnya memakai "
        "jenis daerah. Tabel pertama memberikan median setiap kelompok per dimensi, tabel kedua "
        "selisih daerah ini terhadap median dan skor terbaik kelompoknya sendiri.",
        "## Peer groups: kabupaten and kota\n\n"
        "A regency (*kabupaten*) and a city (*kota*) start from different places: a city has "
        "denser infrastructure, a regency more land and villages to serve. Comparing a region "
        "with its own kind is often fairer. The grouping columns found in the data are listed "
        "first; the tables use the region type. The first table gives each peer group's median "
        "per dimension, the second the region's distance to its own group's median and best.",
    ),
    "nb03:profiles": (
        "## Profil seluruh kohort\n\n"
        "Satu radar kecil per daerah, diurutkan menurut indeks, masing-masing dibandingkan dengan "
        "median kohort (garis putus-putus). Daerah dengan bentuk yang mirip memiliki kekuatan dan "
        "kelemahan yang sama, sehingga dapat saling belajar dari program masing-masing; daerah "
        "yang dibahas dalam laporan ini diberi tanda.",
        "## Profiles of the whole cohort\n\n"
        "One small radar per region, ordered by index, each against the cohort median (dashed). "
        "Regions with similar shapes share strengths and weaknesses and can learn from each "
        "other's programmes; the region of this report is marked.",
    ),
    "nb03:one_dimension": (
        "## Satu dimensi saja\n\n"
        "Peringkat pada satu dimensi, di sini dimensi tempat peringkat daerah ini paling rendah. "
        "Di JupyterLab, pemilih di bawah grafik menggambar ulang grafik ini untuk daerah dan "
        "dimensi mana pun.",
        "## One dimension at a time\n\n"
        "The ranking on a single dimension, here the one where the region ranks lowest. In "
        "JupyterLab, the picker under the chart redraws it for any region and dimension.",
    ),
    # --- 04 gap analysis ---------------------------------------------------------------------
    "nb04:title": (
        "# 04 Analisis kesenjangan untuk masterplan\n\n"
        "**Pertanyaan:** kesenjangan apa yang harus ditutup daerah ini untuk mencapai targetnya, "
        "dan dari mana Masterplan Smart City sebaiknya dimulai? Secara konkret: kesenjangan per dimensi dan "
        "elemen, sepuluh indikator yang paling mengangkat indeks, mana di antaranya yang "
        "merupakan quick win, aspek kesiapan mana (Struktur, Infrastruktur, Suprastruktur) yang "
        "menahan setiap dimensi, dan apakah daerah ini sudah sesuai jalur sejak asesmen "
        "terakhir.\n\n"
        "Inilah buku pertama masterplan (analisis daerah: kesiapan, kesenjangan, dan SWOT per "
        "aspek) sekaligus masukan bagi buku kedua (program dan quick win per dimensi). Analis "
        "daerah mendapatkan semua jawabannya di halaman ini; tabel yang sama ada di `gaps.xlsx` "
        "hasil `smartcity run`.",
        "# 04 Gap analysis for the masterplan\n\n"
        "**Question:** what must the region close to reach its targets, and where should the "
        "Smart City Masterplan start? Concretely: the gap (*kesenjangan*) per dimension and "
        "element, the ten indicators that would lift the index most, which of them are quick "
        "wins, which readiness aspect (Structure, Infrastructure, Superstructure) holds each "
        "dimension back, and whether the region is on track since the last assessment.\n\n"
        "This is the first book of the masterplan (analysis of the region: readiness, gap and "
        "SWOT per aspect) and the input to the second (programmes and quick wins per dimension). "
        "The analyst of the region gets every answer on this page; the same tables are in "
        "`gaps.xlsx` of a `smartcity run`.",
    ),
    "nb04:summary": (
        "## Ringkasan\n\n"
        "Analisis kesenjangan dalam beberapa baris: indeks dibandingkan dengan targetnya, sepuluh "
        "indikator yang paling mengangkatnya beserta prioritasnya, aspek terlemah setiap dimensi, "
        "dan kemajuan sejak siklus sebelumnya. Setiap baris diuraikan di bawah.",
        "## In short\n\n"
        "The gap analysis in a few lines: the index against its target, the ten indicators that "
        "lift it most with their priority, the weakest aspect of each dimension, and the progress "
        "since the last cycle. Every line is detailed below.",
    ),
    "nb04:targets": (
        "## Target dan kesenjangan per dimensi\n\n"
        "Kecuali bila diberikan tabel atau aturan target, target setiap skor adalah batas bawah "
        "**tingkat kematangan berikutnya** (daerah yang berada di \"Baik\" membidik \"Sangat "
        "Baik\"), dengan tenggat lima tahun setelah asesmen (satu periode RPJMD). Kesenjangan "
        "adalah target dikurangi skor saat ini, dan tidak pernah negatif. *Tambahan poin indeks* "
        "adalah kenaikan indeks bila setiap indikator dimensi itu mencapai targetnya: dari kolom "
        "ini terlihat di dimensi mana masterplan paling banyak menggerakkan indeks. Kolom dasar "
        "target menyebutkan asal setiap target.",
        "## Targets and gaps per dimension\n\n"
        "Unless a targets table or rule is given, every score's target is the lower bound of the "
        "**next maturity level** (a region at \"Good\" aims at \"Very good\"), due five years "
        "after the assessment (one RPJMD term). The gap is the target minus the current score, "
        "never negative. *Index points gained* is how much the index would gain if every "
        "indicator of that dimension reached its target: the dimensions' index points show where "
        "the masterplan moves the index most. The target rule column says where each target came "
        "from.",
    ),
    "nb04:dumbbells": (
        "Grafik di bawah ini menggambarkan hal yang sama: dari skor saat ini (titik penuh) ke "
        "target (lingkaran), dalam warna dimensinya, dengan besar kesenjangan tertulis di "
        "ujungnya. Grafik kedua melakukannya untuk {n} elemen (sub-dimensi), tingkat tempat "
        "program-program disusun.",
        "The dumbbells draw the same: from today's score (filled dot) to the target (ring), in "
        "the dimension's colour, with the gap printed at the end. The second chart does it for "
        "the {n} elements (sub-dimensions), the level at which programmes are written.",
    ),
    "nb04:top": (
        "## Sepuluh indikator yang paling mengangkat indeks\n\n"
        "Setiap indikator dinaikkan ke targetnya *sendirian*, melalui agregasi yang sebenarnya "
        "(lengkap dengan bobot dan jawaban yang kosong), dan kenaikan indeks yang dihasilkan "
        "adalah **tambahan poin indeks** indikator itu. Sepuluh yang terbesar tercantum di bawah, "
        "beserta apa yang dibutuhkan: aspek kesiapannya, upayanya (1 rendah: peraturan atau "
        "prosedur; 2 sedang: SDM dan anggaran; 3 tinggi: membangun infrastruktur), serta "
        "prioritas dan jangka waktu yang dihasilkan. Quick win (dampak tinggi, upaya rendah: "
        "jangka pendek, dalam satu tahun) dicetak tebal. Huruf awal kode menunjukkan dimensinya: "
        "{codes}. Kolom porsi adalah bagian kesenjangan indeks yang ditutup oleh indikator itu "
        "sendiri.",
        "## The ten indicators that lift the index most\n\n"
        "Each indicator is raised to its target *alone*, through the real aggregation (weights, "
        "missing answers and all), and the index gain is its **index points**. The ten largest "
        "are below with what it takes: the readiness aspect, the effort (1 low, a regulation or "
        "procedure; 2 medium, people and budget; 3 high, building infrastructure), and the "
        "resulting priority and time horizon. Quick wins (high impact, low effort: short term, "
        "within a year) are in bold. The code's first letters name the dimension: {codes}. The "
        "share column is the part of the index's own gap that the indicator closes by itself.",
    ),
    "nb04:pareto": (
        "Grafik Pareto menampilkan sepuluh indikator yang sama sebagai batang berwarna menurut "
        "dimensinya, dengan garis kumulatif sebagai persentase dari seluruh tambahan yang dapat "
        "diberikan semua indikator satu per satu: garis yang curam berarti segelintir program "
        "membawa sebagian besar potensi kenaikan.",
        "The Pareto chart shows the same ten as bars, coloured by dimension, with the running "
        "total as a share of what all indicators could add one by one: a steep line means a few "
        "programmes carry most of the possible gain.",
    ),
    "nb04:quick_wins": (
        "## Quick win dan matriks prioritas\n\n"
        "Setiap indikator yang memiliki kesenjangan ditempatkan menurut dampaknya (tambahan poin "
        "indeks) dan upayanya. **Quick win** (dampak tinggi, upaya rendah) adalah program yang "
        "dimulai pada tahun pertama; **proyek besar** (dampak tinggi, upaya tinggi) memerlukan "
        "jangka menengah atau panjang; **pelengkap** (dampak rendah, upaya rendah) menyusul "
        "setelah quick win; butir **prioritas rendah** dikerjakan terakhir. Dampak disebut tinggi "
        "bila setidaknya sebesar median tambahan poin indeks yang positif di daerah ini. Tabel "
        "mencantumkan semua quick win, dimulai dari dampak terbesar.",
        "## Quick wins and the priority matrix\n\n"
        "Every indicator with a gap is placed by impact (index points) against effort. **Quick "
        "wins** (high impact, low effort) are the programmes to start in the first year; **major "
        "projects** (high impact, high effort) need the medium or long term; **fill-ins** (low "
        "impact, low effort) follow the quick wins; **low priority** items come last. High impact "
        "means at least the median of the region's positive index points. The table lists every "
        "quick win, largest impact first.",
    ),
    "nb04:weakest": (
        "## Aspek kesiapan terlemah di setiap dimensi\n\n"
        "Untuk setiap dimensi, aspek (Struktur, Infrastruktur, atau Suprastruktur) dengan skor "
        "terendah: di sinilah letak kelemahan dalam SWOT, dan inilah jenis program yang pertama "
        "kali dibutuhkan dimensi itu (SDM dan anggaran, infrastruktur, atau regulasi dan "
        "kelembagaan).",
        "## The weakest readiness aspect of each dimension\n\n"
        "For each dimension, the aspect (Structure, Infrastructure or Superstructure) with the "
        "lowest score: where the SWOT's weaknesses are, and what kind of programme the dimension "
        "needs first (people and budget, infrastructure, or regulation and institutions).",
    ),
    "nb04:gap_matrix": (
        "## Matriks kesenjangan: dimensi x aspek\n\n"
        "Kesenjangan setiap dimensi dan aspek (target dikurangi skor saat ini, bila setiap "
        "indikator di sel itu mencapai targetnya). Makin panjang batangnya, makin besar "
        "kesenjangannya. Grafik di bawahnya menunjukkan skor saat ini dari matriks yang sama "
        "menurut tingkat kematangan, dengan aspek terlemah setiap dimensi diberi bingkai.",
        "## Gap matrix: dimension x aspect\n\n"
        "The gap of every dimension and aspect (target minus current, with every indicator of the "
        "cell at its target). Longer bars are larger gaps. The chart under it shows the current "
        "scores of the same matrix by maturity level, with the weakest aspect of each dimension "
        "framed.",
    ),
    "nb04:progress": (
        "## Sesuai jalur sejak siklus sebelumnya?\n\n"
        "Untuk indeks dan setiap dimensi: skor pada siklus sebelumnya dan sekarang, berapa bagian "
        "kesenjangan yang sudah tertutup sejak itu (negatif: kesenjangannya melebar), dan apakah "
        "daerah ini **sesuai jalur**: pada garis lurus dari skor asesmen pertamanya ke target "
        "pada tahun target, skor hari ini setidaknya harus sama dengan skor harapan. Tabel ini "
        "kosong bila daerah ini belum pernah dinilai sebelumnya. Tabel kedua mencantumkan "
        "indikator yang tertinggal dari jalur itu, dimulai dari kesenjangan terbesar: inilah yang "
        "perlu ditanyakan kepada OPD.",
        "## On track since the last cycle?\n\n"
        "For the index and each dimension: the score in the previous cycle and now, how much of "
        "the gap closed since then (negative: it widened), and whether the region is **on "
        "track**: on a straight path from its first assessed score to the target in the target "
        "year, today's score should be at least the expected one. Empty when the region has no "
        "earlier assessment. The second table lists the indicators that are behind that path, "
        "largest gap first: the ones to ask the OPD about.",
    ),
    # --- 05 trends ---------------------------------------------------------------------------
    "nb05:title": (
        "# 05 Perkembangan antarsiklus\n\n"
        "**Pertanyaan:** bagaimana kesiapan daerah ini berubah dari satu siklus asesmen ke siklus "
        "berikutnya? Dimensi mana yang membaik dan mana yang menurun, daerah mana yang naik atau "
        "turun peringkat dalam kohort, dan apakah instrumennya sendiri berubah di antara siklus "
        "(sehingga perubahan skor memang perubahan nyata, bukan akibat pertanyaan baru)?\n\n"
        "Satu siklus adalah satu asesmen tahunan. Skor dari siklus yang berbeda dapat "
        "dibandingkan karena setiap indikator dinormalisasi pada skalanya yang tetap (1-5 menjadi "
        "0-100), bukan terhadap daerah lain pada tahun yang sama. Hanya siklus sampai dengan "
        "siklus yang dianalisis yang ditampilkan.",
        "# 05 Trends across cycles\n\n"
        "**Question:** how did the region's readiness change between assessment cycles? Which "
        "dimensions improved and which slipped, who moved up or down the cohort ranking, and did "
        "the instrument itself change in between (so that a change is a real change, not a new "
        "question)?\n\n"
        "A cycle (*siklus*) is one yearly assessment. Scores of different cycles are comparable "
        "because every indicator is normalised on its fixed scale (1-5 to 0-100), not against the "
        "other regions of that year. Only cycles up to the analysed one are shown.",
    ),
    "nb05:changes": (
        "## Perubahan instrumen\n\n"
        "Bila instrumen berubah di antara siklus (indikator berganti kode, ditambah, atau "
        "dihapus), perubahan itu dicatat di `instrument_changes.csv` dalam folder data mentah: "
        "indikator yang berganti kode tetap membawa riwayatnya, jawaban untuk indikator yang "
        "dihapus disisihkan, dan indikator baru belum memiliki skor sebelumnya. Daftar di bawah "
        "ini adalah perubahan yang dicatat; daftarnya kosong bila berkas itu tidak ada, dan "
        "instrumen dianggap tidak berubah.",
        "## Changes to the instrument\n\n"
        "When the instrument changes between cycles (an indicator renamed, added or dropped), the "
        "change is declared in `instrument_changes.csv` in the raw folder: renamed indicators "
        "keep their history, answers to dropped ones are set aside, added ones have no earlier "
        "score. The list below is what was declared; nothing is listed when the file is absent "
        "and the instrument is taken as unchanged.",
    ),
    "nb05:index": (
        "## Indeks: skor dan peringkat, dulu dan sekarang\n\n"
        "Indeks setiap daerah pada siklus sebelumnya dan pada siklus yang dianalisis, "
        "perubahannya dalam poin (biru naik, merah turun) dan dalam peringkat (positif: naik "
        "peringkat). Sebuah daerah bisa bertambah poin tetapi turun peringkat bila daerah lain "
        "bertambah lebih banyak.",
        "## Index: score and rank, then and now\n\n"
        "Each region's index in the previous cycle and in the analysed one, the change in points "
        "(blue up, red down) and in rank (positive: moved up the ranking). A region can gain "
        "points and lose a rank when others gained more.",
    ),
    "nb05:dimensions": (
        "## Dimensi daerah ini dari waktu ke waktu\n\n"
        "Grafik lereng menggambarkan setiap dimensi daerah ini dari siklus ke siklus dengan "
        "warnanya sendiri, dan indeksnya dengan warna hitam; tabel di bawahnya memberikan "
        "angka-angkanya, beserta peringkat dimensi dulu dan sekarang.",
        "## The region's dimensions over time\n\n"
        "The slope chart draws each dimension of the region from cycle to cycle in its own "
        "colour, the index in black; the table gives the numbers, with the dimension's rank then "
        "and now.",
    ),
    "nb05:cohort": (
        "## Setiap daerah, setiap dimensi\n\n"
        "Perubahan skor sejak siklus sebelumnya untuk setiap daerah (baris) dan dimensi (kolom), "
        "dalam poin. Baca satu kolom untuk melihat apakah sebuah dimensi bergerak di seluruh "
        "kohort (karena program nasional, atau karena pertanyaannya dipahami berbeda) atau hanya "
        "di beberapa daerah.",
        "## Every region, every dimension\n\n"
        "Score change since the previous cycle for every region (rows) and dimension (columns), "
        "in points: read a column to see whether a dimension moved for the whole cohort (a "
        "national programme, or a question read differently) or only for some regions.",
    ),
    # --- 06 uncertainty ----------------------------------------------------------------------
    "nb06:title": (
        "# 06 Ketidakpastian dan sensitivitas\n\n"
        "**Pertanyaan:** seberapa kokoh peringkat ini? Setiap indeks bertumpu pada pilihan-pilihan "
        "yang secara wajar bisa saja dibuat lain: bobot dimensi dan indikator, "
        "cara jawaban diletakkan pada satu skala (normalisasi) dan digabungkan (agregasi), serta "
        "OPD mana yang kebetulan menjawab. Bila pilihan-pilihan itu bergeser, seberapa jauh "
        "peringkat setiap daerah ikut bergeser, dan pilihan mana yang paling berpengaruh?\n\n"
        "Ini adalah langkah ke-9 panduan OECD/JRC tentang indikator komposit, dikerjakan seperti "
        "di COINr: banyak indeks alternatif dihitung secara acak (Monte Carlo), lalu rentang "
        "peringkat setiap daerah dilaporkan. Peringkat yang tidak berubah di semua alternatif itu "
        "dapat disampaikan dengan yakin; dua daerah yang rentangnya bertumpang tindih sebaiknya "
        "tidak dibeda-bedakan berdasarkan peringkat.",
        "# 06 Uncertainty and sensitivity\n\n"
        "**Question:** how firm are the ranks? Every index rests on choices that could reasonably "
        "have been made differently: the weights of dimensions and indicators, the way answers "
        "are put on one scale (normalisation) and combined (aggregation), and which offices (OPD) "
        "happened to answer. If those choices move, how far does each region's rank move, and "
        "which choice matters most?\n\n"
        "This is step 9 of the OECD/JRC guide to composite indicators, done as in COINr: many "
        "alternative indices are computed at random (Monte Carlo) and each region's range of "
        "ranks is reported. A rank that stays put under all of them can be stated with "
        "confidence; two regions whose ranges overlap should not be told apart by rank.",
    ),
    "nb06:weights": (
        "## Peringkat bila bobot bervariasi\n\n"
        "Setiap bobot dikalikan dengan faktor acak antara {low} dan {high} (variasi ±{percent}%, "
        "seperti contoh di COINr), indeks dihitung ulang, dan langkah ini diulang untuk setiap "
        "sampel. Tabel memberikan peringkat dengan bobot sebagaimana ditetapkan (nominal), "
        "peringkat median atas semua sampel, dan rentang tempat peringkat itu berada pada 90% "
        "sampel (5% sampai 95%), begitu pula untuk skornya. Rata-rata pergeseran peringkat "
        "menunjukkan rata-rata berapa posisi peringkat itu berpindah.",
        "## Ranks when the weights vary\n\n"
        "Each weight is multiplied by a random factor between {low} and {high} (±{percent}%, "
        "COINr's example), the index is recomputed, and this is repeated for every sample. The "
        "table gives the rank with the weights as set (nominal), the median rank over the "
        "samples and the range within which the rank falls in 90% of them (5% to 95%), with the "
        "same for the score. The mean rank shift is how many places the rank moves on average.",
    ),
    "nb06:ranking": (
        "Grafik peringkat menggambarkan hal yang sama: batang adalah skor dengan bobot "
        "sebagaimana ditetapkan, garis tipis adalah rentang skor 90% dengan bobot yang diacak, "
        "dan rentang peringkat dicetak bila peringkatnya tidak tetap.",
        "The ranking chart draws the same: bars are the scores as set, whiskers the 90% score "
        "interval under perturbed weights, and a rank range is printed where the rank is not "
        "fixed.",
    ),
    "nb06:methods": (
        "## Peringkat bila metodenya juga bervariasi\n\n"
        "Bobot diacak seperti di atas, dan selain itu jawaban dinormalisasi dengan tiga cara "
        "(skala tetap, min-max atas kohort, peringkat) dan digabungkan dengan dua cara (rata-rata "
        "aritmetika dan geometrik): setiap kombinasinya dihitung. Rentangnya lebih lebar karena "
        "turut mencakup pilihan metode.",
        "## Ranks when the method varies too\n\n"
        "The weights are perturbed as above, and in addition the answers are normalised in three "
        "ways (fixed scale, min-max over the cohort, ranks) and combined in two (arithmetic and "
        "geometric mean): every combination is computed. The intervals are wider: they include "
        "the method choice.",
    ),
    "nb06:inputs": (
        "## Pilihan mana yang paling menggeser peringkat?\n\n"
        "Untuk setiap pilihan yang divariasikan: porsi variasi peringkat seluruh daerah yang "
        "dijelaskan oleh pilihan itu sendiri (indeks sensitivitas orde pertama: 0 = tidak ada, "
        "100% = seluruhnya), dan rata-rata pergeseran peringkat bila hanya pilihan itu yang "
        "divariasikan. Pilihan di urutan teratas paling perlu dicermati, dan paling perlu "
        "dijelaskan dalam masterplan, bila peringkat dikutip. Jumlah porsinya tidak harus 100%: "
        "sisanya berasal dari interaksi antarpilihan.",
        "## Which choice moves the ranks most?\n\n"
        "For each input that was varied, the share of the variance of the regions' ranks it "
        "explains on its own (first-order sensitivity index: 0 = none, 100% = all), and the mean "
        "rank shift when only that input varies. The input at the top deserves the most care, "
        "and the most explanation in the masterplan, when ranks are quoted. Shares need not add "
        "up to 100%: the rest comes from interactions between the choices.",
    ),
    "nb06:bootstrap": (
        "## Skor seandainya OPD lain yang menjawab\n\n"
        "Skor setiap daerah adalah rata-rata jawaban OPD yang mengisi formulir. Mengambil ulang "
        "sampel responden itu (bootstrap: menarik kembali OPD sebanyak jumlah semula, dengan "
        "pengembalian) menunjukkan seberapa besar skor bergantung pada siapa yang menjawab. Tabel "
        "pertama memberikan skor indeks dan dimensi daerah ini beserta rentang 90%-nya; tabel "
        "kedua memberikan indeks setiap daerah. Daerah yang hanya dinilai oleh satu OPD tidak "
        "memiliki rentang (skornya tidak dapat diambil ulang) dan diberi tanda.",
        "## Scores when other offices had answered\n\n"
        "Each region's score averages the answers of the OPD that filled in the form. Resampling "
        "those respondents (bootstrap: drawing the same number of OPD again, with replacement) "
        "shows how much a score depends on who answered. The first table gives the region's "
        "index and dimension scores with a 90% interval; the second every region's index. A "
        "region assessed by one office only has no interval (its score cannot be resampled) and "
        "is flagged.",
    ),
    "nb06:usage": (
        "Cara memakainya: sebutkan peringkat sebuah daerah bersama rentangnya (\"peringkat 4, "
        "antara peringkat 4 dan 5 dengan bobot lain yang wajar\"), dan bila dua daerah "
        "berdekatan, utamakan tingkat kematangan serta skor beserta rentangnya daripada "
        "peringkat.",
        "How to use this: quote a region's rank together with its range (\"4th, between 4th and "
        "5th under reasonable weights\"), and prefer the maturity level and the score with its "
        "interval over the rank when two regions are close.",
    ),
    # --- 07 statistical audit ------------------------------------------------------------------
    "nb07:title": (
        "# 07 Audit statistik\n\n"
        "**Pertanyaan:** apakah instrumen ini bekerja sebagai satu indeks, dan pilihan metode mana yang "
        "paling menentukan peringkat?\n\n"
        "Audit JRC atas indeks komposit, dikerjakan seperti COINr: sebaran indikator, pasangan indikator "
        "yang kolinear atau berlawanan arah, alpha Cronbach dan komponen utama per agregat, ketersediaan "
        "data per daerah, dan indeks sensitivitas Sobol dari pilihan penskoran. Semuanya dihitung oleh "
        "pustaka (`Assessment.audit`, `Assessment.sobol`); teks di bawah ini berasal dari sana dalam "
        "bahasa laporan, dan tabel yang sama ada di `audit_*.csv` dan `audit.xlsx` dari `smartcity audit`.",
        "# 07 Statistical audit\n\n"
        "**Question:** does the instrument hold together as one index, and which methodological choices "
        "move the ranks most?\n\n"
        "The JRC audit of a composite index, done as COINr does it: indicator distributions, collinear "
        "and negative pairs, Cronbach's alpha and principal components per aggregate, data availability "
        "per region, and Sobol sensitivity indices of the scoring choices. Everything is computed by the "
        "library (`Assessment.audit`, `Assessment.sobol`); the text below comes from it in the report's "
        "language, and the same tables are in `audit_*.csv` and `audit.xlsx` of `smartcity audit`.",
    ),
}
