#!/usr/bin/env bash
# Measures `ansokan batch` on synthetic corpora, side by side in one run:
# documents per second and peak memory at --jobs 1 and 2, PDF pages per
# second beside pdftotext over the same PDFs, and .docx beside
# `pandoc -t plain` over the same files. Prints a Markdown table.
#
#   bash bench/batch.sh                 # 1,000 and 10,000 applications
#   SIZES="1000" bash bench/batch.sh    # only 1,000
#   COMPARE_MAX=500 ...                 # files per format in the tool comparison (default 1000)
#   PROFILE=1 ...                       # also a CPU profile of the first size at --jobs 2
#
# Needs Go, GNU time (/usr/bin/time), pdftotext and pdfinfo (poppler-utils)
# and pandoc. The corpora are written by `go run ./samples/gen -corpus N`
# into a temporary folder (KEEP=1 keeps it) and never committed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
sizes="${SIZES:-1000 10000}"
compare_max="${COMPARE_MAX:-1000}"
work="$(mktemp -d)"
if [ -z "${KEEP:-}" ]; then trap 'rm -rf "$work"' EXIT; else echo "work folder: $work" >&2; fi

for tool in go /usr/bin/time pdftotext pdfinfo pandoc; do
	command -v "$tool" >/dev/null || { echo "batch.sh: $tool not found" >&2; exit 1; }
done

(cd "$root" && go build -o "$work/ansokan" ./cmd/ansokan)
bin="$work/ansokan"

# measure LABEL CMD...: runs CMD under GNU time; sets secs and rss_mb.
measure() {
	local log="$work/time.log"
	/usr/bin/time -v -o "$log" "$@" >/dev/null 2>"$work/stderr.log" || {
		local rc=$?
		# ansokan batch exits 1 when a file was unreadable (the corpus has a few)
		[ "$rc" -eq 1 ] || { cat "$work/stderr.log" >&2; exit "$rc"; }
	}
	secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$log")
	rss_mb=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$log")
}

rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.1f", (s > 0 ? n / s : 0) }'; }

echo "## ansokan batch — $(date -u +%Y-%m-%d), $(nproc) cores, $(awk '{print $1}' /proc/loadavg) load at start"
echo
# The batch's own peak RSS is GNU time's figure when the files are read in
# process; with the reading processes (the default), GNU time reports the
# largest of the batch and its children, so the batch's summary line gives
# both: the largest child and the batch itself.
echo "| corpus | files | reading | jobs | wall s | docs/s | peak RSS MB: batch | each reading process |"
echo "|---|---|---|---|---|---|---|---|"
first=""
for n in $sizes; do
	corpus="$work/corpus-$n"
	(cd "$root" && go run ./samples/gen -corpus "$n" -out "$corpus")
	files=$(find "$corpus" -type f | wc -l)
	for run in "isolated 1" "isolated 2" "in-process 1" "in-process 2"; do
		set -- $run
		mode=$1 jobs=$2 flag=""
		[ "$mode" = isolated ] || flag="--in-process"
		rm -f "$work/out.jsonl"
		measure "$bin" batch $flag --jobs "$jobs" --out "$work/out.jsonl" "$corpus"
		self=$rss_mb child="–"
		if line=$(grep -o 'each at most [0-9]* MB, this process [0-9]* MB' "$work/stderr.log"); then
			child=$(echo "$line" | awk '{print $4}')
			self=$(echo "$line" | awk '{print $8}')
		fi
		echo "| $n applications | $files | $mode | $jobs | $secs | $(rate "$files" "$secs") | $self | $child |"
	done
	[ -n "$first" ] || first="$n"
done

# The formats beside the tools, on the first corpus: the same files,
# linked into one folder per format, each a submission of its own. The
# tools fail on the corpus's few corrupt files as ansokan records them;
# their exit status is ignored.
corpus="$work/corpus-$first"
for ext in pdf docx; do
	mkdir -p "$work/only-$ext"
	i=0
	while IFS= read -r -d '' f; do
		i=$((i + 1))
		[ "$i" -le "$compare_max" ] || break
		ln "$f" "$work/only-$ext/$i.$ext"
	done < <(find "$corpus" -name "*.$ext" -print0 | sort -z)
done
npdf=$(find "$work/only-pdf" -type f | wc -l)
ndocx=$(find "$work/only-docx" -type f | wc -l)
pages=0
for f in "$work"/only-pdf/*.pdf; do
	p=$(pdfinfo "$f" 2>/dev/null | awk '/^Pages:/ {print $2}')
	pages=$((pages + ${p:-0}))
done

echo
echo "| what | files | jobs | wall s | per second | peak RSS MB |"
echo "|---|---|---|---|---|---|"
for jobs in 1 2; do
	rm -f "$work/out.jsonl"
	measure "$bin" batch --group file --jobs "$jobs" --out "$work/out.jsonl" "$work/only-pdf"
	echo "| ansokan batch, PDF ($pages pages) | $npdf | $jobs | $secs | $(rate "$pages" "$secs") pages | $rss_mb |"
	measure sh -c "find '$work/only-pdf' -name '*.pdf' -print0 | xargs -0 -I{} -P $jobs pdftotext {} - ; true"
	echo "| pdftotext, one process per file | $npdf | $jobs | $secs | $(rate "$pages" "$secs") pages | $rss_mb |"
done
for jobs in 1 2; do
	rm -f "$work/out.jsonl"
	measure "$bin" batch --group file --jobs "$jobs" --out "$work/out.jsonl" "$work/only-docx"
	echo "| ansokan batch, .docx | $ndocx | $jobs | $secs | $(rate "$ndocx" "$secs") docs | $rss_mb |"
	measure sh -c "find '$work/only-docx' -name '*.docx' -print0 | xargs -0 -n 1 -P $jobs pandoc -t plain 2>/dev/null; true"
	echo "| pandoc -t plain, one process per file | $ndocx | $jobs | $secs | $(rate "$ndocx" "$secs") docs | $rss_mb |"
done
echo
echo "Load at the end: $(cut -d' ' -f1-3 /proc/loadavg) (the machine is shared; other work ran meanwhile)."

if [ -n "${PROFILE:-}" ]; then
	rm -f "$work/out.jsonl"
	"$bin" batch --in-process --jobs 2 --out "$work/out.jsonl" --cpuprofile "$work/cpu.pprof" "$work/corpus-$first" >/dev/null 2>&1 || true
	echo
	echo '```'
	(cd "$root" && go tool pprof -top -nodecount=30 "$bin" "$work/cpu.pprof" 2>/dev/null | head -40)
	echo '```'
	cp "$work/cpu.pprof" "${PROFILE_OUT:-/tmp/ansokan-batch.pprof}"
fi
