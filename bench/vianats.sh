#!/usr/bin/env bash
# Measures `ansokan batch` here and `ansokan batch --via-nats` through an
# embedded server (`ansokan serve --workers W`) on one synthetic corpus:
# documents per second, RUNS runs of each, a fresh JetStream store for
# every run through the queue (else the jobs are already done). Prints a
# Markdown table.
#
#   bash bench/vianats.sh               # 200 applications, 3 runs
#   N=1000 RUNS=5 bash bench/vianats.sh
#   WORKERS=4 JOBS="4 8" ...            # serve --workers, batch --jobs via NATS
#   SHM=1 ...                           # also a store on /dev/shm (no disk syncs)
#
# Needs Go. The corpus is written by `go run ./samples/gen -corpus N` into
# a temporary folder and removed at the end.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
n="${N:-200}"
runs="${RUNS:-3}"
workers="${WORKERS:-2}"
jobs_nats="${JOBS:-2 4}"
port="${PORT:-4333}"
work="$(mktemp -d)"
serve_pid=""
cleanup() {
	[ -z "$serve_pid" ] || kill -INT "$serve_pid" 2>/dev/null || true
	rm -rf "$work" /dev/shm/ansokan-vianats-bench
}
trap cleanup EXIT

(cd "$root" && go build -o "$work/ansokan" ./cmd/ansokan)
bin="$work/ansokan"
(cd "$root" && go run ./samples/gen -corpus "$n" -out "$work/corpus" >/dev/null)
files=$(find "$work/corpus" -type f | wc -l)
url="nats://127.0.0.1:$port"

# timed CMD...: prints the wall seconds of CMD (exit 1 is an unreadable file: fine).
timed() {
	local s e rc=0
	s=$(date +%s.%N)
	"$@" >/dev/null 2>"$work/stderr.log" || rc=$?
	e=$(date +%s.%N)
	[ "$rc" -le 1 ] || { cat "$work/stderr.log" >&2; exit "$rc"; }
	awk -v s="$s" -v e="$e" 'BEGIN { printf "%.2f", e - s }'
}

row() { # LABEL JOBS SECONDS...
	local label="$1" jobs="$2"
	shift 2
	local sorted median
	sorted=$(printf '%s\n' "$@" | sort -n)
	median=$(echo "$sorted" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
	echo "| $label | $files | $jobs | $(echo "$sorted" | paste -sd' ') | $median | $(awk -v n="$files" -v s="$median" 'BEGIN { printf "%.0f", n / s }') |"
}

start_serve() { # STORE
	rm -rf "$1"
	"$bin" serve --listen "127.0.0.1:$port" --store "$1" --workers "$workers" 2>"$work/serve.log" &
	serve_pid=$!
	for _ in $(seq 300); do
		# ready once set up: a status query answers (exit 1, never submitted)
		case "$("$bin" status --nats "$url" "$(printf '0%.0s' $(seq 64))" 2>&1 || true)" in
		*"never submitted"*) return ;;
		esac
		sleep 0.1
	done
	cat "$work/serve.log" >&2
	exit 1
}

stop_serve() {
	kill -INT "$serve_pid"
	wait "$serve_pid" || true
	serve_pid=""
}

echo "## ansokan batch here and --via-nats — $(date -u +%Y-%m-%d), $(nproc) cores, $(awk '{print $1}' /proc/loadavg) load at start"
echo
echo "| how | files | jobs | wall s (runs) | median s | docs/s |"
echo "|---|---|---|---|---|---|"
secs=()
for _ in $(seq "$runs"); do
	rm -f "$work/out.jsonl"
	secs+=("$(timed "$bin" batch --jobs 2 --out "$work/out.jsonl" "$work/corpus")")
done
row "here" 2 "${secs[@]}"

stores=("$work/store")
[ -z "${SHM:-}" ] || stores+=(/dev/shm/ansokan-vianats-bench)
for store in "${stores[@]}"; do
	where="disk store"
	[[ "$store" != /dev/shm/* ]] || where="store in /dev/shm"
	for jobs in $jobs_nats; do
		secs=()
		for _ in $(seq "$runs"); do
			start_serve "$store"
			rm -f "$work/out.jsonl"
			secs+=("$(timed "$bin" batch --via-nats "$url" --jobs "$jobs" --out "$work/out.jsonl" "$work/corpus")")
			stop_serve
		done
		row "--via-nats, serve --workers $workers, $where" "$jobs" "${secs[@]}"
	done
done
