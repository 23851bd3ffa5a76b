#!/usr/bin/env bash
# Prints what a cold build of apppass costs: wall time, the largest compiler
# process's peak memory, and the binary's size, against the budget in
# DESIGN.md (under 40 s, under 1 GB, under 18 MB). Modules are downloaded
# first (the budget is for compiling, not fetching). It also checks that none
# of the Graph SDK's heavy packages are linked in. Exit 1 on a budget miss.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v /usr/bin/time >/dev/null || { echo "needs GNU time (apt-get install time)"; exit 1; }
go mod download

heavy=$(go list -deps . | grep -E '^github.com/microsoftgraph/msgraph-sdk-go(/users|/models)?$' || true)
if [ -n "$heavy" ]; then
  echo "FAIL heavy Graph SDK packages linked in:"; echo "$heavy"; exit 1
fi
echo "ok   no msgraph-sdk-go root, users or models package in go list -deps"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
start=$(date +%s.%N)
GOCACHE="$work/cache" GOFLAGS=-buildvcs=false /usr/bin/time -f '%M' -o "$work/rss" go build -o "$work/apppass" .
end=$(date +%s.%N)

wall=$(echo "scale=1; ($end - $start) / 1" | bc)
rss_mb=$(( $(cat "$work/rss") / 1024 ))
size_mb=$(echo "scale=1; $(stat -c %s "$work/apppass") / 1048576" | bc)

status=0
check() { # name value limit unit
  if (( $(echo "$2 < $3" | bc) )); then echo "ok   $1 $2 $4 (budget < $3 $4)"; else echo "FAIL $1 $2 $4 (budget < $3 $4)"; status=1; fi
}
check "cold build wall time" "$wall" 40 s
check "peak compiler memory" "$rss_mb" 1024 MB
check "binary size" "$size_mb" 18 MB
exit $status
