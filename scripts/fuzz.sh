#!/usr/bin/env bash
# Runs every fuzz target for FUZZTIME (default 5s: with the builds, about two
# minutes in all, as CI runs it; give FUZZTIME=10m for a night) and says which
# crashed. Seed corpora live in each package's testdata/fuzz/; a crash adds its
# input there and prints it (CI does not fail on such a chance find; run this
# with a long FUZZTIME before a change lands).
set -uo pipefail
cd "$(dirname "$0")/.."
time=${FUZZTIME:-5s}
targets=(
  "./graphclient FuzzParseGraphError" "./graphclient FuzzParseEntraError" "./graphclient FuzzDecodeGraphObjects"
  "./graphclient FuzzValidateTenant" "./graphclient FuzzValidateUPN"
  "./diagnose FuzzParseSMTPReply" "./diagnose FuzzParsePastedError"
  "./simcloud FuzzParseScenario" "./simcloud FuzzParseFault" "./termsafe FuzzClean" "./termsafe FuzzTextCutsNothing"
  "./evidence FuzzReportRenderers" "./scan FuzzScanExports"
  "./internal/cmd/diagnosecmd FuzzDiagnoseFlags"
)
failed=0
for t in "${targets[@]}"; do
  set -- $t
  if go test "$1" -run '^$' -fuzz "^$2\$" -fuzztime "$time" >/tmp/fuzz-$2.log 2>&1; then
    echo "ok   $2 ($time): $(grep -o 'execs: [0-9]*' /tmp/fuzz-$2.log | tail -1)"
  else
    echo "FAIL $2:"; tail -n 40 /tmp/fuzz-$2.log | sed 's/^/     /'
    for f in $(sed -n 's/.*Failing input written to \(testdata[^ ]*\).*/\1/p' /tmp/fuzz-$2.log); do
      echo "     input $1/$f:"; sed 's/^/       /' "$1/$f"
    done
    failed=$((failed + 1))
  fi
done
echo "$(( ${#targets[@]} - failed )) passed, $failed failed"
[ "$failed" -eq 0 ]
