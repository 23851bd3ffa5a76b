#!/usr/bin/env bash
# What each module costs apppass (issue 24): compile time from a cold build's
# action graph (go build -debug-actiongraph), and the bytes of code and
# read-only data each module puts in the binary (go tool nm). Prints the top
# modules by each, and the standard library as one line. A figure to decide
# what earns its place, not a gate.
set -euo pipefail
cd "$(dirname "$0")/.."
go mod download
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
GOCACHE="$work/cache" GOFLAGS=-buildvcs=false go build -debug-actiongraph="$work/graph.json" -o "$work/apppass" .
go list -m -f '{{.Path}}' all >"$work/modules"
python3 - "$work" <<'PY'
import collections, json, subprocess, sys
work = sys.argv[1]
mods = sorted((l.strip() for l in open(work + "/modules")), key=len, reverse=True)
def module(pkg):
    for m in mods:
        if pkg == m or pkg.startswith(m + "/"):
            return m
    return "(standard library)" if "." not in pkg.split("/")[0] else pkg
secs = collections.Counter()
for a in json.load(open(work + "/graph.json")):
    if a.get("Mode") in ("build", "link") and a.get("TimeStart") and a.get("TimeDone"):
        start = a["TimeStart"]; done = a["TimeDone"]
        # RFC 3339 with nanoseconds: compare as seconds of the day is enough within one build
        def t(s):
            hms = s.split("T")[1].rstrip("Z").split("+")[0]
            h, m, rest = hms.split(":")
            return int(h) * 3600 + int(m) * 60 + float(rest)
        secs["(link)" if a["Mode"] == "link" else module(a.get("Package", ""))] += t(done) - t(start)
size = collections.Counter()
out = subprocess.run(["go", "tool", "nm", "-size", "-type", work + "/apppass"], capture_output=True, text=True).stdout
for line in out.splitlines():
    f = line.split(None, 3)
    if len(f) < 4 or f[2] not in ("T", "t", "R", "r"):
        continue  # code and read-only data; data and bss sizes in nm are not file bytes
    name = f[3]
    cut = name.rfind("/")
    dot = name.find(".", cut + 1)
    size[module((name[:dot] if dot > 0 else name).lstrip("*("))] += int(f[1])
print("compile seconds (summed over both cores' actions) by module:")
for m, s in secs.most_common(15):
    print(f"  {s:7.1f} s  {m}")
print("code and read-only data in the binary by module:")
for m, b in size.most_common(15):
    print(f"  {b / 1e6:7.2f} MB  {m}")
PY
