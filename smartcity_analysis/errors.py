"""Every error the library reports to a user, in one place.

A user's mistake is never a traceback. Each problem found in an input is a :class:`Problem`
with a stable code (``SC1xx`` for files, ``SC2xx`` for the instrument, ``SC3xx`` for answers,
``SC4xx`` for options, ``SC5xx`` for a run), a :class:`Location` (file, sheet, cell) and a
message in Indonesian and English. Problems are collected lazily, as pandera does, so a user
sees every problem of a file at once; they travel inside one exception type,
:class:`SmartCityError`, which the CLI prints one line per problem before exiting with 1.

The catalogue ``MESSAGES`` is the single source of the wording: the CLI, the notebooks, the
tests and the README's "common problems" section all read it. ``ADVICE`` says, per code, what a
user does about it; :mod:`smartcity_analysis.presentation.catalogue` renders both as ``docs/common-problems.md``
(``make docs``; a test checks that the committed file is current).

Hierarchy::

    SmartCityError            every problem a user can cause; carries a list of Problem
    ├── FileError             SC1xx  a file cannot be found, opened or parsed
    ├── FrameworkError        SC2xx  the instrument table is inconsistent
    ├── DataError             SC3xx  answers do not fit the instrument
    ├── OptionError           SC4xx  a function or command option is not valid
    └── RunError              SC5xx  a pipeline step failed; earlier results are kept

An error holding problems of several families is raised as the family of its first problem
(:func:`error_class`); catch :class:`SmartCityError` to catch them all.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

__all__ = [
    "ADVICE",
    "MESSAGES",
    "Bilingual",
    "Location",
    "Problem",
    "ProblemCollector",
    "SmartCityError",
    "FileError",
    "FrameworkError",
    "DataError",
    "OptionError",
    "RunError",
    "column_letter",
    "default_language",
    "error_class",
]

# code: (Indonesian template, English template). Templates use str.format fields.
MESSAGES: dict[str, tuple[str, str]] = {
    # --- files -------------------------------------------------------------------------
    "SC101": ("berkas tidak ditemukan", "file not found"),
    "SC102": (
        "berkas tidak dapat dibaca sebagai {kind}: {detail}",
        "file cannot be read as {kind}: {detail}",
    ),
    "SC103": (
        "buku kerja dilindungi kata sandi; buka di Excel, hapus kata sandi, lalu simpan ulang sebagai .xlsx",
        "workbook is password-protected; open it in Excel, remove the password and save it again as .xlsx",
    ),
    "SC104": (
        "format {suffix} tidak didukung; simpan ulang sebagai .xlsx atau .csv",
        "format {suffix} is not supported; save it again as .xlsx or .csv",
    ),
    "SC105": ("berkas kosong", "file is empty"),
    "SC106": ("dilewati: {reason}", "skipped: {reason}"),
    "SC107": ("tidak ada berkas masukan di folder ini", "no input files in this folder"),
    "SC108": (
        "sel berisi rumus tanpa nilai tersimpan ({formula}); buka dan simpan ulang di Excel atau LibreOffice agar nilainya dihitung",
        "cell holds a formula with no saved value ({formula}); open and save the file in Excel or LibreOffice so its value is computed",
    ),
    "SC109": (
        "isi berkas ini berformat {actual}, tidak sesuai dengan akhiran {suffix}; buka di Excel atau LibreOffice lalu simpan sebagai .xlsx",
        "the file's content is {actual}, which does not match its {suffix} name; open it in Excel or LibreOffice and save it as .xlsx",
    ),
    "SC110": (
        "sel berisi galat Excel {error}",
        "cell shows the Excel error {error}",
    ),
    "SC111": ("lembar tidak dibaca: {reason}", "sheet not read: {reason}"),
    "SC112": ("berkas tidak dapat dibuka: {detail}", "file cannot be opened: {detail}"),
    "SC113": (
        "berkas terlalu besar untuk berkas jawaban: {detail}; berkas tidak dibaca",
        "file too large for an answer file: {detail}; it was not read",
    ),
    "SC114": (
        "folder tidak dapat dibuat atau ditulisi: {detail}",
        "folder cannot be created or written to: {detail}",
    ),
    "SC115": ("folder tidak dapat dibaca: {detail}", "folder cannot be read: {detail}"),
    # --- instrument (framework) --------------------------------------------------------
    "SC201": ("kolom wajib '{column}' tidak ada", "required column '{column}' is missing"),
    "SC202": ("kode '{code}' muncul lebih dari sekali", "code '{code}' appears more than once"),
    "SC203": ("induk '{parent}' dari '{code}' tidak dikenal", "parent '{parent}' of '{code}' is unknown"),
    "SC204": ("siklus dalam hierarki: {path}", "cycle in the hierarchy: {path}"),
    "SC205": (
        "tidak ada akar (baris dengan induk kosong)",
        "no root (a row with a blank parent)",
    ),
    "SC206": (
        "lebih dari satu akar: {codes}",
        "more than one root: {codes}",
    ),
    "SC207": (
        "bobot '{value}' untuk '{code}' bukan bilangan positif",
        "weight '{value}' of '{code}' is not a positive number",
    ),
    "SC208": (
        "min ({lo}) harus lebih kecil dari max ({hi}) untuk '{code}'",
        "min ({lo}) must be smaller than max ({hi}) for '{code}'",
    ),
    "SC209": (
        "arah '{value}' untuk '{code}' harus 1 atau -1",
        "direction '{value}' of '{code}' must be 1 or -1",
    ),
    "SC210": (
        "aspek '{value}' untuk '{code}' harus Struktur, Infrastruktur atau Suprastruktur",
        "aspect '{value}' of '{code}' must be Struktur, Infrastruktur or Suprastruktur",
    ),
    "SC211": (
        "'{value}' pada kolom {column} untuk '{code}' bukan angka",
        "'{value}' in column {column} of '{code}' is not a number",
    ),
    "SC212": ("kode kosong", "blank code"),
    "SC213": (
        "upaya '{value}' untuk '{code}' harus 1, 2 atau 3",
        "effort '{value}' of '{code}' must be 1, 2 or 3",
    ),
    # --- answers -----------------------------------------------------------------------
    "SC301": ("kolom wajib '{column}' tidak ada", "required column '{column}' is missing"),
    "SC302": ("kode indikator '{code}' tidak dikenal", "indicator code '{code}' is unknown"),
    "SC303": (
        "'{value}' bukan angka dari {lo} sampai {hi}",
        "'{value}' is not a number from {lo} to {hi}",
    ),
    "SC304": (
        "{value} di luar rentang {lo} sampai {hi}",
        "{value} is outside the range {lo} to {hi}",
    ),
    "SC305": (
        "jawaban ganda untuk {region}, indikator {code}, responden {respondent} (juga di {other})",
        "duplicate answer for {region}, indicator {code}, respondent {respondent} (also at {other})",
    ),
    "SC306": (
        "templat belum diisi: tidak ada satu pun jawaban",
        "template not filled in: it holds no answer at all",
    ),
    "SC307": ("nama daerah kosong", "region name is blank"),
    "SC308": ("siklus '{value}' bukan tahun", "cycle '{value}' is not a year"),
    "SC309": (
        "lembar '{sheet}' tidak ditemukan; lembar yang ada: {sheets}",
        "sheet '{sheet}' not found; sheets present: {sheets}",
    ),
    "SC310": (
        "baris judul tidak ditemukan (dicari kolom {columns})",
        "header row not found (looked for columns {columns})",
    ),
    "SC311": (
        "daerah '{region}' menjawab untuk siklus {cycles}, padahal nama berkas atau foldernya menyebut siklus {expected}; satu berkas seharusnya satu siklus",
        "region '{region}' answers under cycle {cycles}, but the file's name or folder names cycle {expected}; one file should hold one cycle",
    ),
    "SC312": (
        "kolom '{column}' muncul lebih dari sekali",
        "column '{column}' appears more than once",
    ),
    "SC313": ("tidak ada data yang dimuat", "no data was loaded"),
    "SC314": (
        "tabel hanya berisi baris judul, tanpa baris jawaban",
        "the table has a header row but no answer rows",
    ),
    "SC315": ("'{name}' tidak dikenal{scope}; {hint}", "'{name}' is not a known region{scope}; {hint}"),
    "SC316": (
        "'{name}' bisa berarti {candidates}; tulis nama lengkapnya atau kode wilayahnya",
        "'{name}' could mean {candidates}; write the full name or the region code",
    ),
    "SC317": (
        "kode wilayah '{code}' tidak ada di daftar wilayah Kemendagri; {hint}",
        "region code '{code}' is not in the Kemendagri register; {hint}",
    ),
    "SC318": (
        "'{name}' tidak sesuai dengan kode wilayah {code} ({register})",
        "'{name}' does not match region code {code} ({register})",
    ),
    "SC319": (
        "isian {field} '{visible}' tidak sama dengan catatan tersembunyi formulir ini ('{hidden}'); formulir ini dibuat untuk '{hidden}'",
        "the {field} field says '{visible}' but the form's hidden record says '{hidden}'; the form was made for '{hidden}'",
    ),
    "SC320": (
        "{field} '{typed}' tidak sesuai dengan daftar wilayah Kemendagri: {fact}",
        "{field} '{typed}' does not match the Kemendagri register: {fact}",
    ),
    "SC321": (
        "lembar dimensi {sheet} tidak ada; {count} indikatornya tidak terbaca: {codes}",
        "dimension sheet {sheet} is missing; its {count} indicators were not read: {codes}",
    ),
    "SC322": (
        "Nilai kosong, tetapi Bukti dukung berisi angka '{evidence}' (indikator {code}); jawaban ditulis di kolom Nilai",
        "Value is blank but Evidence holds the number '{evidence}' (indicator {code}); answers go in the Value column",
    ),
    "SC323": (
        "baris indikator formulir tidak sesuai dengan instrumen: {count} indikator tidak ada ({codes})",
        "the form's indicator rows do not match the instrument: {count} indicators are missing ({codes})",
    ),
    "SC324": (
        "jawaban yang sama juga ada di {other} ({count} jawaban); muat salah satu berkas saja",
        "the same answers are also in {other} ({count} answers); load one of the files only",
    ),
    # --- options -----------------------------------------------------------------------
    "SC401": ("pilihan tidak sah: {detail}", "invalid option: {detail}"),
    "SC402": ("siklus {cycle} tidak ada dalam data; tersedia: {cycles}", "cycle {cycle} is not in the data; available: {cycles}"),
    "SC403": ("daerah '{region}' tidak ada dalam data; tersedia: {regions}", "region '{region}' is not in the data; available: {regions}"),
    "SC404": ("tidak dapat dihitung: {detail}", "cannot be computed: {detail}"),
    "SC405": ("tabel alias daerah tidak sah: {detail}", "region alias table is not valid: {detail}"),
    "SC406": ("{samples} sampel Monte Carlo untuk {regions} daerah memerlukan sekitar {needed} GB memori; mesin ini punya {available} GB",
              "{samples} Monte Carlo samples for {regions} regions need about {needed} GB of memory; this machine has {available} GB"),
    "SC407": ("target {value} untuk {code} di luar skala {lo}-{hi}", "target {value} for {code} is outside the scale {lo}-{hi}"),
    "SC408": ("jumlah sampel {name} harus minimal {minimum}, bukan {value}", "the number of {name} samples must be at least {minimum}, not {value}"),
    "SC409": ("siklus {cycle} di luar program ({first}-{last})", "cycle {cycle} is outside the programme ({first}-{last})"),
    # --- run ---------------------------------------------------------------------------
    "SC501": ("langkah '{step}' gagal: {detail}", "step '{step}' failed: {detail}"),
    "SC502": ("tidak dapat menulis {path}: {detail}", "cannot write {path}: {detail}"),
    "SC503": (
        "berkas ini sedang dibuka di program lain (mis. Excel) sehingga tidak dapat diganti; hasil baru disimpan di sebelahnya sebagai '{pending}'. Tutup berkas itu lalu jalankan perintah lagi",
        "this file is open in another program (e.g. Excel) and cannot be replaced; the new result is saved beside it as '{pending}'. Close the file and run the command again",
    ),
    "SC504": (
        "hasil sebelumnya tidak dapat diganti karena {locked} sedang dibuka (mis. di Excel); hasil baru disimpan utuh di '{kept}' dan hasil lama tidak diubah. Tutup berkas itu lalu jalankan 'smartcity run --finish' atau jalankan ulang",
        "the previous results cannot be replaced because {locked} is open (e.g. in Excel); the new results are kept whole in '{kept}' and the previous ones are unchanged. Close the file, then run 'smartcity run --finish' or run again",
    ),
    "SC505": (
        "tidak ada hasil yang menunggu dipasang (folder 'SIKLUS (baru)' berisi manifest.json)",
        "no results are waiting to be installed (a 'CYCLE (baru)' folder holding manifest.json)",
    ),
}

#: code: (what to do, in Indonesian; in English). Rendered in docs/common-problems.md.
ADVICE: dict[str, tuple[str, str]] = {
    "SC101": ("Periksa ejaan jalur dan nama berkas; jalankan perintah dari folder proyek.",
              "Check the path and file name; run the command from the project folder."),
    "SC102": ("Buka berkas di Excel atau LibreOffice. Bila gagal dibuka, minta kirim ulang (berkas mungkin terpotong saat diunduh atau dikirim lewat pesan). Bila terbuka, simpan ulang sebagai .xlsx.",
              "Open the file in Excel or LibreOffice. If it will not open, ask for it again (it may have been cut off in a download or a chat app). If it opens, save it again as .xlsx."),
    "SC103": ("Minta kata sandinya, buka berkas, hapus kata sandi (File > Info > Protect Workbook > Encrypt with Password, kosongkan), lalu simpan. Proteksi lembar tanpa kata sandi tidak masalah.",
              "Get the password, open the file, remove it (File > Info > Protect Workbook > Encrypt with Password, clear it) and save. Sheet protection without a password is fine."),
    "SC104": ("Simpan ulang sebagai Excel Workbook (.xlsx) atau CSV. Dari Google Sheets: File > Download > Microsoft Excel (.xlsx). Dari WPS atau Numbers: Save As / Export > .xlsx.",
              "Save it again as Excel Workbook (.xlsx) or CSV. From Google Sheets: File > Download > Microsoft Excel (.xlsx). From WPS or Numbers: Save As / Export > .xlsx."),
    "SC105": ("Berkas berukuran 0 bait atau hanya spasi: minta kirim ulang.",
              "The file has 0 bytes or only blanks: ask for it again."),
    "SC106": ("Hanya catatan: berkas kunci Office (~$..., .~lock...), berkas sistem (.DS_Store, Thumbs.db) dan berkas bukan tabel dilewati. Tidak perlu tindakan.",
              "A note only: Office lock files (~$..., .~lock...), system files (.DS_Store, Thumbs.db) and files that are not tables are skipped. Nothing to do."),
    "SC107": ("Pastikan folder berisi berkas .xlsx, .xls, .ods atau .csv (subfolder ikut dibaca).",
              "Make sure the folder holds .xlsx, .xls, .ods or .csv files (subfolders are read too)."),
    "SC108": ("Berkas dibuat oleh program lain dan belum pernah dibuka: buka di Excel atau LibreOffice, tunggu perhitungan, simpan. Atau ganti rumus dengan angkanya.",
              "The file was written by a program and never opened: open it in Excel or LibreOffice, let it calculate, save. Or replace the formula by its number."),
    "SC109": ("Berkas ini bukan buku kerja: mis. halaman web, PDF atau teks yang disimpan dengan akhiran .xls/.xlsx (fitur 'Ekspor ke Excel' sebagian aplikasi web berbuat begini). Buka di Excel atau LibreOffice lalu Save As .xlsx; berkas teks (CSV) cukup diganti akhirannya menjadi .csv. Buku kerja yang hanya salah akhiran (.xls bernama .xlsx) dibaca apa adanya.",
              "The file is not a workbook: e.g. a web page, a PDF or text saved with a .xls/.xlsx name (some web applications' 'Export to Excel' do this). Open it in Excel or LibreOffice and Save As .xlsx; a text (CSV) file can simply be renamed to .csv. A workbook that only has the wrong ending (an .xls named .xlsx) is read for what it is."),
    "SC110": ("Perbaiki rumus di sel itu (#DIV/0!, #REF!, #VALUE! ...) atau ketik angkanya langsung. Kosongkan bila jawaban tidak diketahui.",
              "Fix the formula in that cell (#DIV/0!, #REF!, #VALUE! ...) or type the number. Leave it blank when the answer is unknown."),
    "SC111": ("Hanya catatan: lembar tersembunyi, lembar grafik dan lembar tanpa baris judul tidak dibaca. Tampilkan (Unhide) lembar bila isinya memang jawaban.",
              "A note only: hidden sheets, chart sheets and sheets with no header row are not read. Unhide a sheet if it does hold answers."),
    "SC112": ("Tutup berkas di program lain bila terkunci, dan periksa izin baca berkas atau foldernya.",
              "Close the file in other programs if it is locked, and check read permission on the file or its folder."),
    "SC113": ("Berkas jawaban (formulir atau tabel) berukuran kecil; berkas ini jauh lebih besar, atau mengembang sangat besar saat dibuka (seperti 'zip bomb'), maka tidak dibaca agar memori komputer aman. Periksa bahwa ini memang berkas jawaban; tabel gabungan yang sangat besar simpan sebagai CSV.",
              "Answer files (forms or tables) are small; this one is far bigger, or expands hugely when opened (like a zip bomb), so it is not read, to keep the computer's memory safe. Check that it is an answer file; save a very large consolidated table as CSV."),
    "SC114": ("Pilih folder keluaran yang boleh Anda tulisi (--out FOLDER), mis. di Documents. Folder hanya-baca, folder bersama tanpa izin tulis, disk penuh, atau OneDrive yang dijeda atau penuh menolak penulisan. Spasi, huruf non-ASCII dan nama folder OneDrive yang panjang tidak masalah.",
              "Pick an output folder you may write to (--out FOLDER), e.g. in Documents. Read-only folders, shared folders without write permission, a full disk, or a paused or full OneDrive refuse writing. Spaces, non-ASCII letters and long OneDrive folder names are fine."),
    "SC115": ("Periksa jalur dan izin baca folder. Folder OneDrive yang belum tersinkron: klik kanan > Always keep on this device, lalu tunggu sinkronisasi selesai.",
              "Check the path and the folder's read permission. A OneDrive folder that has not synced yet: right-click > Always keep on this device, and wait until it has synced."),
    "SC201": ("Tambahkan kolom itu pada baris judul tabel instrumen (lihat berkas instrumen bawaan sebagai contoh).",
              "Add that column to the instrument table's header row (see the built-in instrument file for an example)."),
    "SC202": ("Setiap kode hanya boleh muncul sekali; ganti atau hapus baris ganda.",
              "Every code may appear once; rename or delete the repeated row."),
    "SC203": ("Isi kolom parent dengan kode yang ada di tabel, atau kosongkan untuk akar.",
              "Write a code that exists in the table in the parent column, or leave it blank for the root."),
    "SC204": ("Hierarki tidak boleh berputar: periksa kolom parent pada kode-kode yang disebut.",
              "The hierarchy may not loop: check the parent column of the codes named."),
    "SC205": ("Beri satu baris (indeks) dengan parent kosong.",
              "Give one row (the index) a blank parent."),
    "SC206": ("Hanya satu baris boleh ber-parent kosong; isi parent baris lainnya.",
              "Only one row may have a blank parent; fill in the others' parents."),
    "SC207": ("Tulis bobot sebagai angka lebih dari 0, atau kosongkan untuk bobot 1.",
              "Write the weight as a number above 0, or leave it blank for weight 1."),
    "SC208": ("Perbaiki min dan max indikator (mis. 1 dan 5, atau 0 dan 100).",
              "Fix the indicator's min and max (e.g. 1 and 5, or 0 and 100)."),
    "SC209": ("Tulis 1 (makin tinggi makin baik) atau -1 (makin tinggi makin buruk).",
              "Write 1 (higher is better) or -1 (higher is worse)."),
    "SC210": ("Tulis salah satu: Struktur, Infrastruktur, Suprastruktur.",
              "Write one of: Struktur, Infrastruktur, Suprastruktur."),
    "SC211": ("Tulis angka saja (koma atau titik desimal boleh).",
              "Write a number only (decimal comma or point allowed)."),
    "SC212": ("Isi kode pada baris itu atau hapus barisnya.",
              "Write a code in that row or delete the row."),
    "SC213": ("Tulis 1 (ringan), 2 (sedang) atau 3 (berat), atau kosongkan.",
              "Write 1 (light), 2 (medium) or 3 (heavy), or leave it blank."),
    "SC301": ("Tambahkan kolom itu pada baris judul (nama kolom yang diterima ada di docs/common-problems.md).",
              "Add that column to the header row (accepted column names are in docs/common-problems.md)."),
    "SC302": ("Ketik kode persis seperti di instrumen (huruf besar/kecil dan spasi di sekitar tanda hubung dimaafkan). Bila instrumen berganti kode antarsiklus, nyatakan perubahannya dalam tabel perubahan instrumen.",
              "Type the code as the instrument spells it (case and spaces around hyphens are forgiven). If the instrument renamed codes between cycles, declare them in the instrument changes table."),
    "SC303": ("Ketik angka saja: 3 atau 3,5; kosongkan (atau tulis -) bila tidak diketahui. Tanggal dan TRUE/FALSE bukan angka: ubah format sel menjadi Number lalu ketik ulang.",
              "Type a number only: 3 or 3.5; leave it blank (or write -) when unknown. Dates and TRUE/FALSE are not numbers: set the cell format to Number and type it again."),
    "SC304": ("Periksa skala indikator di instrumen; perbaiki angka atau kosongkan.",
              "Check the indicator's scale in the instrument; fix the number or leave it blank."),
    "SC305": ("Satu daerah, siklus, indikator dan responden hanya boleh dijawab sekali. Hapus salah satu, atau bedakan respondennya. Ejaan daerah yang berbeda (Kab. X / Kabupaten X) dihitung sebagai daerah yang sama. Jangan memuat templat dan tabel gabungan yang sama sekaligus.",
              "One region, cycle, indicator and respondent may be answered once. Delete one, or tell the respondents apart. Different spellings of a region (Kab. X / Kabupaten X) count as one region. Do not load the forms and a consolidated table of the same answers together."),
    "SC306": ("Isi kolom Nilai templat, atau keluarkan berkas dari folder.",
              "Fill in the form's Value column, or move the file out of the folder."),
    "SC307": ("Isi nama daerah (pada templat: isian Daerah di lembar Petunjuk).",
              "Write the region's name (in a form: the Region field on the instructions sheet)."),
    "SC308": ("Tulis siklus sebagai tahun empat angka, mis. 2024 (bukan 2024/2025, bukan tanggal).",
              "Write the cycle as a four-digit year, e.g. 2024 (not 2024/2025, not a date)."),
    "SC309": ("Ganti nama lembar atau pilih salah satu lembar yang ada.",
              "Rename the sheet or pick one of the sheets present."),
    "SC310": ("Tabel perlu baris judul dengan kolom daerah, lalu kolom kode indikator dan nilai (bentuk panjang) atau satu kolom per kode indikator (bentuk lebar). Baris di atas judul, urutan kolom dan judul dua baris tidak masalah.",
              "A table needs a header row with a region column, then an indicator code column and a value column (long shape) or one column per indicator code (wide shape). Rows above the header, column order and two-row headers are fine."),
    "SC311": ("Pindahkan jawaban siklus lain ke berkas atau folder siklusnya, atau perbaiki kolom siklus. Berkas yang namanya tidak menyebut tahun boleh berisi beberapa siklus.",
              "Move the other cycle's answers to that cycle's file or folder, or fix the cycle column. A file whose name names no year may hold several cycles."),
    "SC312": ("Hapus atau ganti nama salah satu kolom ganda.",
              "Delete or rename one of the repeated columns."),
    "SC313": ("Tidak ada jawaban terbaca: periksa jalur dan isi berkas.",
              "No answer was read: check the paths and the files' content."),
    "SC314": ("Isi jawaban di bawah baris judul, atau keluarkan berkas dari folder.",
              "Write the answers below the header row, or move the file out of the folder."),
    "SC315": ("Perbaiki ejaan nama daerah sesuai daftar wilayah Kemendagri (lihat saran pada pesan), atau tulis kodenya di kolom Kode Wilayah. Unit di luar daftar (kawasan khusus, wilayah uji coba) dinyatakan dalam tabel alias (--aliases; kolom alias, region, type).",
              "Fix the region's spelling to the Kemendagri register (see the suggestion in the message), or write its code in a Region code column. Units outside the register (a special zone, a pilot area) are declared in an alias table (--aliases; columns alias, region, type)."),
    "SC316": ("Nama ini dipakai lebih dari satu daerah (Kabupaten dan Kota Pekalongan; desa yang sama namanya). Tulis Kabupaten atau Kota di depan nama, tulis kode wilayahnya, atau untuk desa isi juga kolom Kecamatan.",
              "Several units share this name (Kabupaten and Kota Pekalongan; villages of one name). Write Kabupaten or Kota before the name, write its region code, or for a village fill in a Kecamatan column too."),
    "SC317": ("Tulis kode Kemendagri dengan titik: 33.26 (kab/kota), 33.26.01 (kecamatan), 33.26.01.2001 (desa/kelurahan); 3326 juga diterima. Di Excel, format sel sebagai Text agar 33.10 tidak menjadi 33.1.",
              "Write the Kemendagri code with dots: 33.26 (kab/kota), 33.26.01 (kecamatan), 33.26.01.2001 (desa/kelurahan); 3326 is accepted too. In Excel, format the cells as Text so that 33.10 does not become 33.1."),
    "SC318": ("Nama dan kode wilayah menunjuk daerah yang berbeda: perbaiki salah satunya (nama boleh dikosongkan bila kodenya benar).",
              "The name and the region code point at different units: fix one of them (the name may be left blank when the code is right)."),
    "SC319": ("Isian Daerah atau Siklus di lembar Petunjuk telah diubah, padahal formulir dibuat untuk satu daerah dan satu siklus. Kembalikan isiannya, atau buat formulir baru untuk daerah itu dengan 'smartcity template' dan salin jawabannya.",
              "The Region or Cycle field on the instructions sheet was changed, but a form is made for one region and one cycle. Put the field back, or make a new form for that region with 'smartcity template' and copy the answers."),
    "SC320": ("Provinsi dan jenis daerah mengikuti daftar wilayah Kemendagri; isian yang berbeda biasanya berarti salah pilih daerah. Perbaiki isiannya atau nama daerahnya, atau kosongkan kolom itu.",
              "Province and region type follow the Kemendagri register; a different entry usually means the wrong region was picked. Fix the entry or the region's name, or leave that column blank."),
    "SC321": ("Lembar dimensi terhapus dari formulir. Minta formulir utuh dari pengirimnya, atau buat ulang dengan 'smartcity template' dan salin jawabannya.",
              "A dimension sheet was deleted from the form. Ask the sender for the whole form, or make it again with 'smartcity template' and copy the answers."),
    "SC322": ("Pindahkan angka itu ke kolom Nilai; tulis dasar jawabannya (nomor regulasi, tautan, nama dokumen) di Bukti dukung.",
              "Move the number to the Value column; write the basis of the answer (a regulation number, a link, a document's name) under Evidence."),
    "SC323": ("Baris indikator terhapus atau kodenya diubah. Kembalikan barisnya, atau pakai formulir dari instrumen yang sama (smartcity template). Bila instrumen berganti kode antarsiklus, nyatakan perubahannya dalam tabel perubahan instrumen.",
              "Indicator rows were deleted or their codes changed. Put the rows back, or use a form made from the same instrument (smartcity template). If the instrument renamed codes between cycles, declare them in the instrument changes table."),
    "SC324": ("Berkas yang sama (atau salinannya) ada di dua tempat: hapus atau pindahkan salah satunya dari folder masukan.",
              "The same file (or a copy of it) is in two places: delete one of them or move it out of the input folder."),
    "SC401": ("Periksa pilihan perintah (smartcity COMMAND --help).",
              "Check the command's options (smartcity COMMAND --help)."),
    "SC402": ("Pilih salah satu siklus yang tersedia.",
              "Pick one of the cycles available."),
    "SC403": ("Tulis nama daerah seperti di data (Kab. X dan Kabupaten X sama).",
              "Write the region's name as in the data (Kab. X and Kabupaten X are the same)."),
    "SC404": ("Periksa apakah data cukup (mis. lebih dari satu daerah untuk normalisasi).",
              "Check that there is enough data (e.g. more than one region to normalise)."),
    "SC405": ("Tabel alias perlu kolom alias dan region; satu alias hanya untuk satu daerah.",
              "An alias table needs the columns alias and region; one alias may name one region only."),
    "SC406": ("Pakai lebih sedikit sampel (--samples); 1.000 sampel sudah memberi selang peringkat yang stabil.",
              "Use fewer samples (--samples); 1,000 samples already give stable rank intervals."),
    "SC407": ("Tulis target pada skala skor (0-100) atau pada skala instrumen dengan --target-scale native.",
              "Write targets on the score scale (0-100), or on the instrument's scale with --target-scale native."),
    "SC408": ("Beri bilangan bulat positif, mis. --samples 1000.",
              "Give a positive whole number, e.g. --samples 1000."),
    "SC409": ("Tulis tahun asesmen, mis. --cycle 2025 (Gerakan Menuju 100 Smart City dimulai 2017).",
              "Write the assessment year, e.g. --cycle 2025 (the programme began in 2017)."),
    "SC501": ("Baca pesan galat, perbaiki masukan, jalankan ulang; hasil sebelumnya tetap utuh.",
              "Read the error, fix the input and run again; earlier results are left whole."),
    "SC502": ("Periksa bahwa folder keluaran ada, dapat ditulis, dan berkasnya tidak sedang dibuka di Excel.",
              "Check that the output folder exists and is writable, and that the file is not open in Excel."),
    "SC503": ("Tutup berkas itu di Excel, PowerPoint atau program lain, lalu jalankan perintah lagi: berkasnya diganti dan salinan '(baru)' dihapus. Atau pakai salinan '(baru)' apa adanya.",
              "Close the file in Excel, PowerPoint or any other program, then run the command again: the file is replaced and the '(baru)' copy removed. Or use the '(baru)' copy as it is."),
    "SC504": ("Tutup berkas yang disebut (juga jendela Explorer atau terminal yang membuka folder itu), lalu jalankan 'smartcity run --finish' (dengan --out yang sama bila dipakai): hasil baru hanya dipasang, tanpa dihitung ulang. Menjalankan ulang juga menyelesaikannya. Sampai saat itu hasil lama tetap di foldernya dan hasil baru di folder '(baru)'.",
              "Close the file named (and any Explorer or terminal window open in that folder), then run 'smartcity run --finish' (with the same --out if you used one): it only installs the new results, without computing them again. Running again finishes it too. Until then the previous results stay in their folder and the new ones in the '(baru)' folder."),
    "SC505": ("Tidak ada yang perlu diselesaikan: hasil terakhir sudah terpasang. Jalankan 'smartcity run' untuk menghitung ulang.",
              "Nothing to finish: the latest results are already in place. Run 'smartcity run' to compute them again."),
}

_LOCATION_WORDS = {"id": ("lembar", "sel", "baris", "kolom"), "en": ("sheet", "cell", "row", "column")}


def default_language() -> str:
    """Language of messages: ``SMARTCITY_LANG`` if set to ``id`` or ``en``, else Indonesian."""
    lang = os.environ.get("SMARTCITY_LANG", "id").strip().lower()
    return lang if lang in ("id", "en") else "id"


def column_letter(index: int) -> str:
    """Excel column letter of a 1-based column index (1 -> A, 27 -> AA)."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass(frozen=True)
class Bilingual:
    """A message parameter said in both languages (e.g. the reason a file was skipped)."""

    id: str
    en: str

    def say(self, lang: str) -> str:
        return self.en if lang == "en" else self.id

    def __str__(self) -> str:
        return self.id


@dataclass(frozen=True)
class Location:
    """Where a problem is: a file, and optionally a sheet, a cell, a row or a column."""

    file: str | None = None
    sheet: str | None = None
    cell: str | None = None
    row: int | None = None
    column: str | None = None

    def format(self, lang: str | None = None) -> str:
        sheet_w, cell_w, row_w, col_w = _LOCATION_WORDS[lang or default_language()]
        parts = []
        if self.file:
            parts.append(self.file)
        if self.sheet:
            parts.append(f"{sheet_w} {self.sheet}")
        if self.cell:
            parts.append(f"{cell_w} {self.cell}")
        else:
            if self.row is not None:
                parts.append(f"{row_w} {self.row}")
            if self.column:
                parts.append(f"{col_w} {self.column}")
        return ", ".join(parts)


@dataclass(frozen=True)
class Problem:
    """One located problem; ``code`` is a key of :data:`MESSAGES`."""

    code: str
    location: Location = field(default_factory=Location)
    params: tuple[tuple[str, object], ...] = ()

    @classmethod
    def make(cls, problem_code: str, location: Location | None = None, /, **params: object) -> Problem:
        if problem_code not in MESSAGES:
            raise KeyError(f"unknown problem code {problem_code}")
        return cls(problem_code, location or Location(), tuple(params.items()))

    def message(self, lang: str | None = None) -> str:
        lang = lang or default_language()
        id_text, en_text = MESSAGES[self.code]
        template = en_text if lang == "en" else id_text
        params = {k: v.say(lang) if isinstance(v, Bilingual) else v for k, v in self.params}
        return template.format(**params)

    def format(self, lang: str | None = None) -> str:
        """One line: ``file, sheet S, cell C: message [SCnnn]``."""
        where = self.location.format(lang)
        text = self.message(lang)
        return f"{where}: {text} [{self.code}]" if where else f"{text} [{self.code}]"

    def __str__(self) -> str:
        return self.format()


class SmartCityError(Exception):
    """The library's one error type: carries every problem found, each located."""

    exit_code = 1
    #: Notes (skipped files, ...) that came with the problems; the loader sets them.
    notes: list[Problem] = []

    def __init__(self, problems: Iterable[Problem] | Problem):
        self.problems: list[Problem] = (
            [problems] if isinstance(problems, Problem) else list(problems)
        )
        if not self.problems:
            raise ValueError("SmartCityError needs at least one problem")
        super().__init__(self.format())

    def __reduce__(self):
        """Pickled with its problems (an error raised in a worker process reaches the run whole)."""
        return (type(self), (self.problems,), dict(self.__dict__))

    @classmethod
    def single(cls, problem_code: str, location: Location | None = None, /, **params: object):
        return cls(Problem.make(problem_code, location, **params))

    @property
    def codes(self) -> list[str]:
        return [p.code for p in self.problems]

    def format(self, lang: str | None = None) -> str:
        return "\n".join(p.format(lang) for p in self.problems)

    def table(self):
        """Problems as a DataFrame (code, file, sheet, cell, message_id, message_en)."""
        import pandas as pd

        return pd.DataFrame(
            [
                {
                    "code": p.code,
                    "file": p.location.file,
                    "sheet": p.location.sheet,
                    "cell": p.location.cell,
                    "message_id": p.message("id"),
                    "message_en": p.message("en"),
                }
                for p in self.problems
            ]
        )


class FileError(SmartCityError):
    """A file cannot be found, opened or parsed (SC1xx)."""


class FrameworkError(SmartCityError):
    """The instrument table is inconsistent (SC2xx)."""


class DataError(SmartCityError):
    """Answers do not fit the instrument (SC3xx)."""


class OptionError(SmartCityError):
    """A function or command option is not valid (SC4xx)."""


class RunError(SmartCityError):
    """A pipeline step failed (SC5xx); earlier results are left intact."""


_FAMILIES: dict[str, type[SmartCityError]] = {
    "1": FileError, "2": FrameworkError, "3": DataError, "4": OptionError, "5": RunError,
}


def error_class(problems: Iterable[Problem]) -> type[SmartCityError]:
    """The exception class for a list of problems: the family (SCnxx) of the first one."""
    first = next(iter(problems), None)
    return _FAMILIES.get(first.code[2:3], SmartCityError) if first else SmartCityError


class ProblemCollector:
    """Collects problems lazily, then raises them together."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.notes: list[Problem] = []

    def add(self, problem_code: str, location: Location | None = None, /, **params: object) -> None:
        self.problems.append(Problem.make(problem_code, location, **params))

    def note(self, problem_code: str, location: Location | None = None, /, **params: object) -> None:
        """A remark that does not stop loading (e.g. a skipped lock file)."""
        self.notes.append(Problem.make(problem_code, location, **params))

    def extend(self, problems: Iterable[Problem]) -> None:
        self.problems.extend(problems)

    def __bool__(self) -> bool:
        return bool(self.problems)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.problems)

    def raise_if_any(self, error_type: type[SmartCityError] | None = None) -> None:
        """Raise every problem collected, as ``error_type`` or the family of the first one."""
        if self.problems:
            raise (error_type or error_class(self.problems))(self.problems)


# --- the catalogue as a document -------------------------------------------------------------
