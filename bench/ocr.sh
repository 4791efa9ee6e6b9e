#!/usr/bin/env bash
# Measures OCR of scanned applications, in one run and on the same files:
#
#   1. speed beside ocrmypdf: pages per second and peak memory at one and
#      two jobs of
#        - `ansokan batch --group file --jobs N` over the scanned PDFs;
#        - `ocrmypdf -l swe --skip-text --output-type pdf --sidecar`,
#          a process per file, N files at once (xargs -P N, --jobs 1), and
#          one file at a time with --jobs N inside;
#        - Tesseract's own CLI (`tesseract PAGE - -l swe`) on the same
#          page images (the scanner's), N at once: the floor, OCR and
#          nothing else;
#   2. batch over many scanned pages (PAGES, default 500: files of 10
#      pages) beside BASE (50) pages: wall time, the batch's peak RSS and the
#      largest reading process's (the batch's summary line).
#
# ocrmypdf runs with --skip-text: it OCRs the pages without a text layer
# and leaves those with one, which is what ansokan does (--force-ocr
# would rasterise and OCR every page). All use the same model, swe (the
# one ansokan uses). ocrmypdf does more
# than OCR: it writes a PDF with the text under the image and optimises
# it; ansokan does more than OCR too: orientation (OSD), deskew, the
# layout, the record, its checks.
#
# The scanned files: samples/*-skannad.pdf and *-delskannad.pdf (partly
# scanned: ansokan and ocrmypdf --skip-text OCR only the pages without
# text) when the repository has them; else made here from the sample PDFs (SCANS, default
# "a c d": sample A's 7 pages, C's and D's 2), each page rendered by
# pdftoppm at 150 dpi, grey JPEG (as a scanner's), joined by img2pdf. The
# 500-page tree is made the same way from all the sample PDFs' pages,
# 10 a file, each file with its own title (batch skips a file whose bytes
# it has seen).
#
#   bash bench/ocr.sh                   # both parts
#   PARTS=speed bash bench/ocr.sh       # only the comparison
#   PARTS=many PAGES=200 bash bench/ocr.sh   # BASE=50: the smaller tree
#   BIN=/path/to/ansokan bash bench/ocr.sh
#   PARTS=speed FLOOR_ONLY=1 bash bench/ocr.sh   # only Tesseract's CLI
#
# Needs Go, GNU time (/usr/bin/time), tesseract with the swe model
# (tesseract-ocr tesseract-ocr-swe tesseract-ocr-osd), poppler-utils,
# img2pdf and ocrmypdf. OMP_THREAD_LIMIT=1 for every Tesseract (several
# threads per page are slower on a shared machine). Work goes to a
# temporary folder (KEEP=1 keeps it) and is never committed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
parts="${PARTS:-speed many}"
scans="${SCANS:-a c d}"
pages_many="${PAGES:-500}"
pages_base="${BASE:-50}"
work="$(mktemp -d)"
if [ -z "${KEEP:-}" ]; then trap 'rm -rf "$work"' EXIT; else echo "work folder: $work" >&2; fi
cores=$(getconf _NPROCESSORS_ONLN) # before OMP_THREAD_LIMIT, which nproc obeys
export OMP_THREAD_LIMIT=1

for tool in go /usr/bin/time tesseract pdftoppm pdfinfo img2pdf ocrmypdf; do
	command -v "$tool" >/dev/null || { echo "ocr.sh: $tool not found" >&2; exit 1; }
done

if [ -n "${BIN:-}" ]; then
	bin="$BIN"
else
	(cd "$root" && go build -o "$work/ansokan" ./cmd/ansokan)
	bin="$work/ansokan"
fi

# measure CMD...: runs CMD under GNU time; sets secs and rss_mb (the
# largest of the process and its children).
measure() {
	local log="$work/time.log"
	/usr/bin/time -v -o "$log" "$@" >/dev/null 2>"$work/stderr.log" || {
		local rc=$?
		# ansokan batch exits 1 when a file was unreadable
		[ "$rc" -eq 1 ] || { cat "$work/stderr.log" >&2; exit "$rc"; }
	}
	secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$log")
	rss_mb=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$log")
}

rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.2f", (s > 0 ? n / s : 0) }'; }

# batch_rss: the batch's own peak and its largest reading process's, from
# its summary line ("each at most N MB, this process M MB").
batch_rss() {
	local line
	if line=$(grep -o 'each at most [0-9]* MB, this process [0-9]* MB' "$work/stderr.log"); then
		child=$(echo "$line" | awk '{print $4}')
		self=$(echo "$line" | awk '{print $8}')
	else
		child="–" self="–"
	fi
}

# scan_pdf OUT PDF...: every page of the PDFs at 150 dpi, grey JPEG, as
# one PDF without a text layer. Page images are kept in $work/pages.
scan_pdf() {
	local out=$1 i=0
	shift
	mkdir -p "$work/pages"
	local imgs=()
	for pdf in "$@"; do
		local stem
		stem=$(basename "$pdf" .pdf)
		[ -e "$work/pages/$stem-done" ] || {
			pdftoppm -r 150 -gray -jpeg -jpegopt quality=85 "$pdf" "$work/pages/$stem"
			touch "$work/pages/$stem-done"
		}
		for p in "$work/pages/$stem"-*.jpg; do imgs+=("$p"); done
	done
	img2pdf -o "$out" "${imgs[@]}"
}

pages_of() {
	local n=0 p
	for f in "$@"; do
		p=$(pdfinfo "$f" 2>/dev/null | awk '/^Pages:/ {print $2}')
		n=$((n + ${p:-0}))
	done
	echo "$n"
}

echo "## OCR of scanned applications — $(date -u +%Y-%m-%d), $cores cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), load $(cut -d' ' -f1 /proc/loadavg) at start"
echo
echo "$(tesseract --version 2>&1 | head -1) (models swe), ocrmypdf $(ocrmypdf --version), $(pdftoppm -v 2>&1 | head -1), OMP_THREAD_LIMIT=1."

if [[ " $parts " == *" speed "* ]]; then
	mkdir -p "$work/scans"
	found=$(find "$root/samples" -maxdepth 1 \( -name '*-skannad.pdf' -o -name '*-delskannad.pdf' \) | sort)
	if [ -n "$found" ]; then
		while read -r f; do cp "$f" "$work/scans/"; done <<<"$found" # batch skips symbolic links
		origin="the repository's scanned samples"
	else
		for s in $scans; do
			src=$(find "$root/samples" -maxdepth 1 -name "$s-*.pdf" ! -name '*skannad*' | sort | head -1)
			scan_pdf "$work/scans/$(basename "$src" .pdf)-skannad.pdf" "$src"
		done
		origin="samples $scans rendered at 150 dpi (grey JPEG) and joined by img2pdf"
	fi
	files=("$work"/scans/*.pdf)
	nfiles=${#files[@]}
	total=$(pages_of "${files[@]}")
	# The pages to OCR: those without a text layer. Tesseract's CLI reads
	# the image ansokan reads: the scanner's image when the page is one
	# (pdfimages, PNG, at its own resolution), else the page rendered at
	# 150 dpi.
	mkdir -p "$work/png"
	pages=0
	for f in "${files[@]}"; do
		n=$(pages_of "$f")
		for p in $(seq "$n"); do
			if [ "$(pdftotext -f "$p" -l "$p" "$f" - 2>/dev/null | wc -w)" -eq 0 ]; then
				out="$work/png/$(basename "$f" .pdf)-$p"
				if [ "$(pdfimages -list -f "$p" -l "$p" "$f" | tail -n +3 | wc -l)" -eq 1 ]; then
					pdfimages -png -f "$p" -l "$p" "$f" "$out"
				else
					pdftoppm -r 150 -gray -png -f "$p" -l "$p" "$f" "$out"
				fi
				pages=$((pages + 1))
			fi
		done
	done
	echo
	echo "### Speed beside ocrmypdf: $nfiles files, $total pages of which $pages without text ($origin); pages/s counts those $pages"
	echo
	echo "| what | jobs | wall s | pages/s | peak RSS MB |"
	echo "|---|---|---|---|---|"
	for jobs in 1 2; do
		[ -z "${FLOOR_ONLY:-}" ] || {
			measure sh -c "find '$work/png' -name '*.png' -print0 | xargs -0 -P $jobs -I{} tesseract {} - -l swe"
			echo "| tesseract CLI alone, $jobs pages at once | $jobs | $secs | $(rate "$pages" "$secs") | $rss_mb |"
			continue
		}
		rm -f "$work/out.jsonl"
		# A reading process OCRs GOMAXPROCS/jobs pages of a file at once:
		# at one job that is every core, so one job is also measured on
		# one core (GOMAXPROCS=1: a page at a time, as ocrmypdf --jobs 1).
		if [ "$jobs" = 1 ]; then
			measure env GOMAXPROCS=1 "$bin" batch --group file --jobs 1 --out "$work/out.jsonl" "$work/scans"
			batch_rss
			echo "| ansokan batch --jobs 1, GOMAXPROCS=1 (a page at a time) | 1 | $secs | $(rate "$pages" "$secs") | $rss_mb (batch $self, largest reading process $child) |"
			rm -f "$work/out.jsonl"
		fi
		measure "$bin" batch --group file --jobs "$jobs" --out "$work/out.jsonl" "$work/scans"
		batch_rss
		echo "| ansokan batch --jobs $jobs ($((cores / jobs)) pages of a file at once) | $jobs | $secs | $(rate "$pages" "$secs") | $rss_mb (batch $self, largest reading process $child) |"
		rm -rf "$work/ocrout" && mkdir -p "$work/ocrout"
		measure sh -c "printf '%s\\0' \"\$@\" | xargs -0 -P $jobs -I{} sh -c 'b=\$(basename \"\$1\"); ocrmypdf -q --jobs 1 -l swe --skip-text --output-type pdf --sidecar \"$work/ocrout/\$b.txt\" \"\$1\" \"$work/ocrout/\$b\"' _ {}" _ "${files[@]}"
		echo "| ocrmypdf --jobs 1, $jobs files at once (xargs -P $jobs) | $jobs | $secs | $(rate "$pages" "$secs") | $rss_mb |"
		rm -rf "$work/ocrout" && mkdir -p "$work/ocrout"
		measure sh -c "for f in \"\$@\"; do ocrmypdf -q --jobs $jobs -l swe --skip-text --output-type pdf --sidecar \"$work/ocrout/\$(basename \"\$f\").txt\" \"\$f\" \"$work/ocrout/\$(basename \"\$f\")\" || exit 2; done" _ "${files[@]}"
		echo "| ocrmypdf --jobs $jobs, a file at a time | $jobs | $secs | $(rate "$pages" "$secs") | $rss_mb |"
		measure sh -c "find '$work/png' -name '*.png' -print0 | xargs -0 -P $jobs -I{} tesseract {} - -l swe"
		echo "| tesseract CLI alone, $jobs pages at once | $jobs | $secs | $(rate "$pages" "$secs") | $rss_mb |"
	done
fi

if [[ " $parts " == *" many "* ]]; then
	# All sample PDFs' pages rendered once, then files of 10 pages taken
	# round the list.
	mkdir -p "$work/pages"
	for pdf in "$root"/samples/*.pdf; do
		case $pdf in *skannad*) continue ;; esac
		stem=$(basename "$pdf" .pdf)
		[ -e "$work/pages/$stem-done" ] || {
			pdftoppm -r 150 -gray -jpeg -jpegopt quality=85 "$pdf" "$work/pages/$stem"
			touch "$work/pages/$stem-done"
		}
	done
	mapfile -t all < <(find "$work/pages" -name '*.jpg' | sort)
	make_tree() { # make_tree DIR PAGES
		local dir=$1 n=$2 i=0 k=0
		mkdir -p "$dir"
		while [ "$k" -lt "$n" ]; do
			local imgs=()
			for _ in $(seq 10); do
				[ "$k" -lt "$n" ] || break
				imgs+=("${all[$((k % ${#all[@]}))]}")
				k=$((k + 1))
			done
			img2pdf --title "scan $i" -o "$dir/$(printf 'ansokan-%03d-skannad.pdf' "$i")" "${imgs[@]}"
			i=$((i + 1))
		done
	}
	echo
	echo "### batch over many scanned pages (files of 10 pages, 150 dpi grey JPEG, from all the sample PDFs' pages)"
	echo
	echo "| pages | files | jobs | wall s | pages/s | peak RSS MB: batch | largest reading process | GNU time's peak (largest of all) |"
	echo "|---|---|---|---|---|---|---|---|"
	for n in "$pages_base" "$pages_many"; do
		make_tree "$work/many-$n" "$n"
		nf=$(find "$work/many-$n" -name '*.pdf' | wc -l)
		rm -f "$work/out.jsonl"
		measure "$bin" batch --group file --jobs 2 --out "$work/out.jsonl" "$work/many-$n"
		batch_rss
		echo "| $n | $nf | 2 | $secs | $(rate "$n" "$secs") | $self | $child | $rss_mb |"
		grep -c '(OCR)' "$work/stderr.log" | sed "s/^/page lines on stderr: /" >&2
	done
fi
echo
echo "Load at the end: $(cut -d' ' -f1-3 /proc/loadavg) (the machine is shared; other work ran meanwhile)."
