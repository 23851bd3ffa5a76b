#!/usr/bin/env bash
# Runs BenchmarkScanRoundTrips (the fleet scenario: about 1,000 accounts and
# 20,000 legacy sign-ins, 200 ms added to every Graph request) once and
# prints its figures against the budget in DESIGN.md: under 40 round trips
# in sequence and under 100 MB. Exit 1 when a figure misses it.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(go test ./scan -run '^$' -bench BenchmarkScanRoundTrips -benchtime 1x)
line=$(echo "$out" | grep '^BenchmarkScanRoundTrips') || { echo "$out"; echo "FAIL no benchmark line"; exit 1; }
metric() { echo "$line" | awk -v unit="$1" '{for (i = 2; i < NF; i++) if ($(i+1) == unit) print $i}'; }
rt=$(metric roundtrips/scan); req=$(metric requests/scan); heap=$(metric peak-heap-MB)
accounts=$(metric accounts); rows=$(metric legacy-sign-ins)
echo "scan of $accounts accounts and $rows legacy sign-ins at 200 ms per request: $rt round trips in sequence, $req requests, peak heap $heap MB (simulator in the same process)"
ok=0
awk -v v="$rt" 'BEGIN { exit !(v < 40) }' || { echo "FAIL round trips: $rt (budget < 40)"; ok=1; }
awk -v v="$heap" 'BEGIN { exit !(v < 100) }' || { echo "FAIL peak heap: $heap MB (budget < 100 MB)"; ok=1; }
[ "$ok" = 0 ] && echo "ok   scan budget: $rt < 40 round trips, $heap < 100 MB"
exit "$ok"
