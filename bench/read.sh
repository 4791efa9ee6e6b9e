#!/usr/bin/env bash
# Measures reading beside the peer tools, in one run and on the same
# files: the CPU time (user + sys, the process and all its children) of
#
#   - `ansokan extract` over all the PDFs in one call, and once per file,
#     against `pdftotext -layout`, once per file (it takes one file);
#   - `ansokan extract` over all the .docx files in one call, and once per
#     file, against `pandoc -t plain`, once per file;
#
# and prints the ratios. ansokan's figures include what it does beyond
# text: normalizing, checking and writing a JSON record per file, and
# (the default) reading each file in an isolated child process.
#
# File sets: the PDFs and .docx files of a generated corpus
# (`go run ./samples/gen -corpus N`, real-size Word styles parts) and
# those of the shared corpus (CORPUS, read in place; damaged, encrypted
# and hostile files included, as they come). Each figure is the lowest of
# REPS runs (CPU time varies less than wall time on a shared machine, but
# it varies).
#
#   bash bench/read.sh                  # N=200 applications, REPS=3
#   N=500 REPS=5 bash bench/read.sh
#   SETS="gen" bash bench/read.sh       # only the generated corpus ("gen corpus")
#   BIN=/path/to/ansokan bash bench/read.sh   # measure another build
#
# Needs Go, GNU time (/usr/bin/time), pdftotext (poppler-utils) and
# pandoc. The generated corpus goes to a temporary folder (KEEP=1 keeps it).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
n="${N:-200}"
reps="${REPS:-3}"
sets="${SETS:-gen corpus}"
corpus_dir="${CORPUS:-/work/shared/corpus}"
work="$(mktemp -d)"
if [ -z "${KEEP:-}" ]; then trap 'rm -rf "$work"' EXIT; else echo "work folder: $work" >&2; fi

for tool in go /usr/bin/time pdftotext pandoc; do
	command -v "$tool" >/dev/null || { echo "read.sh: $tool not found" >&2; exit 1; }
done

if [ -n "${BIN:-}" ]; then
	bin="$BIN"
else
	(cd "$root" && go build -o "$work/ansokan" ./cmd/ansokan)
	bin="$work/ansokan"
fi

# cpu CMD...: the lowest user+sys CPU seconds of REPS runs of CMD (its
# children included). Exit statuses are ignored: the corpora hold files
# every tool refuses.
cpu() {
	local best="" t
	for _ in $(seq "$reps"); do
		/usr/bin/time -f '%U %S' -o "$work/time" "$@" >/dev/null 2>&1 || true
		t=$(awk 'END { printf "%.3f", $1 + $2 }' "$work/time")
		best=$(awk -v a="$best" -v b="$t" 'BEGIN { print (a == "" || b < a) ? b : a }')
	done
	echo "$best"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
ms() { awk -v s="$1" -v n="$2" 'BEGIN { printf "%.1f", (n > 0 ? 1000 * s / n : 0) }'; }

# Per-file loops, run by bash under GNU time so that every process they
# start is counted.
cat >"$work/each.sh" <<'EOF'
#!/usr/bin/env bash
# each.sh LIST CMD...: runs CMD FILE for every file of LIST (NUL-separated).
list=$1; shift
while IFS= read -r -d '' f; do "$@" "$f" >/dev/null 2>&1 || true; done <"$list"
EOF
chmod +x "$work/each.sh"
cat >"$work/pdftotext.sh" <<'EOF'
#!/bin/sh
exec pdftotext -layout "$1" -
EOF
cat >"$work/pandoc.sh" <<'EOF'
#!/bin/sh
exec pandoc -t plain "$1"
EOF
chmod +x "$work/pdftotext.sh" "$work/pandoc.sh"

if [[ " $sets " == *" gen "* ]]; then
	(cd "$root" && go run ./samples/gen -corpus "$n" -out "$work/gen") >/dev/null
fi

echo "## Reading beside pdftotext and pandoc — $(date -u +%Y-%m-%d), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg) at start, lowest of $reps runs"
echo
echo "CPU seconds (user + sys, children included). Ratio: ansokan's CPU over the tool's (PDF: ≤ 1 is as cheap as pdftotext) or the tool's over ansokan's (.docx: how many times faster ansokan is)."
echo
echo "| files | n | ansokan, one call | ansokan, a process per file | tool, a process per file | one call ÷ tool | per file ÷ tool |"
echo "|---|---|---|---|---|---|---|"
for set in $sets; do
	for ext in pdf docx; do
		list="$work/$set.$ext.list"
		case $set in
		gen) find "$work/gen" -type f -name "*.$ext" -print0 | sort -z >"$list" ;;
		corpus) find "$corpus_dir/$ext" -type f -print0 | sort -z >"$list" ;;
		esac
		count=$(tr -cd '\0' <"$list" | wc -c)
		[ "$count" -gt 0 ] || continue
		mapfile -d '' files <"$list"
		one=$(cpu "$bin" extract "${files[@]}")
		each=$(cpu "$work/each.sh" "$list" "$bin" extract)
		if [ "$ext" = pdf ]; then
			tool=$(cpu "$work/each.sh" "$list" "$work/pdftotext.sh")
			echo "| $set PDFs vs \`pdftotext -layout\` | $count | $one s ($(ms "$one" "$count") ms/file) | $each s ($(ms "$each" "$count") ms/file) | $tool s ($(ms "$tool" "$count") ms/file) | $(ratio "$one" "$tool")× | $(ratio "$each" "$tool")× |"
		else
			tool=$(cpu "$work/each.sh" "$list" "$work/pandoc.sh")
			echo "| $set .docx vs \`pandoc -t plain\` | $count | $one s ($(ms "$one" "$count") ms/file) | $each s ($(ms "$each" "$count") ms/file) | $tool s ($(ms "$tool" "$count") ms/file) | pandoc $(ratio "$tool" "$one")× slower | pandoc $(ratio "$tool" "$each")× slower |"
		fi
	done
done
echo
echo "Load at the end: $(cut -d' ' -f1-3 /proc/loadavg) (the machine is shared)."
