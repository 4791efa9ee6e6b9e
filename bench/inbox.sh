#!/usr/bin/env bash
# Measures the web inbox's response while `ansokan batch --via-nats` feeds
# the server, and after: the time of GET / (the Inkorg page, 50 rows) as
# curl sees it on loopback, sampled every 0.25 s. Prints a Markdown table.
#
#   bash bench/inbox.sh            # 1000 applications
#   N=300 WORKERS=2 bash bench/inbox.sh
#
# Needs Go and curl. The corpus is written by `go run ./samples/gen -corpus N`
# into a temporary folder, removed at the end with the store.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
n="${N:-1000}"
workers="${WORKERS:-2}"
port="${PORT:-4334}"
http="${HTTP_PORT:-8134}"
work="$(mktemp -d)"
serve_pid=""
cleanup() {
	[ -z "$serve_pid" ] || kill -INT "$serve_pid" 2>/dev/null || true
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

(cd "$root" && go build -o "$work/ansokan" ./cmd/ansokan)
bin="$work/ansokan"
(cd "$root" && go run ./samples/gen -corpus "$n" -out "$work/corpus" >/dev/null)
store="$work/store"
echo 'ett långt lösenord för mätningen' | "$bin" user add mätare --password-stdin --store "$store" >/dev/null 2>&1
"$bin" serve --listen "127.0.0.1:$port" --http "127.0.0.1:$http" --store "$store" --workers "$workers" 2>"$work/serve.log" &
serve_pid=$!
base="http://127.0.0.1:$http"
for _ in $(seq 100); do curl -fs -o /dev/null "$base/login" && break; sleep 0.2; done

# Sign in: the login form's CSRF token, then the form.
jar="$work/cookies"
csrf=$(curl -fs -c "$jar" -b "$jar" "$base/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
curl -fs -o /dev/null -c "$jar" -b "$jar" -H 'Sec-Fetch-Site: same-origin' \
	--data-urlencode "csrf=$csrf" --data-urlencode 'name=mätare' --data-urlencode 'password=ett långt lösenord för mätningen' "$base/login"

sample() { # OUT: one GET / a line: seconds
	curl -fs -o /dev/null -b "$jar" -w '%{time_total}\n' "$base/" >>"$1"
}

stats() { # FILE LABEL
	sort -n "$1" | awk -v label="$2" '{a[NR]=$1} END {
		if (NR == 0) { print "| " label " | 0 | | | |"; exit }
		p = int(NR*0.95+0.5); if (p < 1) p = 1
		printf "| %s | %d | %.1f | %.1f | %.1f |\n", label, NR, 1000*a[int((NR+1)/2)], 1000*a[p], 1000*a[NR] }'
}

sample "$work/idle.txt"; : >"$work/idle.txt"
for _ in $(seq 20); do sample "$work/idle.txt"; sleep 0.05; done

s=$(date +%s.%N)
"$bin" batch --via-nats "nats://127.0.0.1:$port" --store "$store" --out "$work/records.jsonl" "$work/corpus" >/dev/null 2>"$work/batch.log" &
batch_pid=$!
: >"$work/busy.txt"
while kill -0 "$batch_pid" 2>/dev/null; do sample "$work/busy.txt"; sleep 0.25; done
wait "$batch_pid" || [ $? -le 1 ]
e=$(date +%s.%N)
sleep 1 # the index takes the last records
: >"$work/full.txt"
for _ in $(seq 20); do sample "$work/full.txt"; sleep 0.05; done
rows=$(curl -fs -b "$jar" "$base/" | sed -n 's/.*Ansökningar: \([0-9]*\) st.*/\1/p' | head -1)

echo "inbox while 'batch --via-nats' fed $n applications ($(find "$work/corpus" -type f | wc -l) files) to serve --workers $workers: $(awk -v s="$s" -v e="$e" 'BEGIN { printf "%.0f", e - s }') s; the inbox then listed ${rows:-?} applications"
echo
echo "| GET / | requests | median ms | p95 ms | max ms |"
echo "|---|---|---|---|---|"
stats "$work/idle.txt" "empty store"
stats "$work/busy.txt" "during the batch"
stats "$work/full.txt" "after, $n applications"
