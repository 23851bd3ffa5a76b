package scan_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/apppass/apppass/demo"
	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/evidence"
	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/internal/testkit"
	"github.com/apppass/apppass/scan"
	"github.com/apppass/apppass/simcloud"
)

// start runs a scenario and signs its admin in.
func start(t testing.TB, scenario string, faults ...simcloud.Fault) (*demo.Cloud, *graphclient.Client) {
	t.Helper()
	sc, err := simcloud.LoadScenario(scenario)
	if err != nil {
		t.Fatal(err)
	}
	return startScenario(t, sc, faults...)
}

// startScenario runs a loaded scenario and signs its admin in. A hang ends
// on the simulator's signal, never on a clock (testkit).
func startScenario(t testing.TB, sc *simcloud.Scenario, faults ...simcloud.Fault) (*demo.Cloud, *graphclient.Client) {
	t.Helper()
	cloud, err := demo.Start(sc, demo.Options{Faults: faults})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cloud.Close() })
	cloud.Config.Retry = graphclient.RetryPolicy{MaxRetries: 2, MaxWait: time.Second}
	cloud.Config.Scopes = graphclient.ScanScopes // as apppass scan signs in
	testkit.EndHangsOnSignal(&cloud.Config, cloud.Server)
	client, err := cloud.Client(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	return cloud, client
}

// smallFleet is the shipped fleet scenario cut to n accounts (the same
// mixes), for tests that scan many times.
func smallFleet(t testing.TB, n int) *simcloud.Scenario {
	t.Helper()
	return fleetWith(t, n, nil)
}

// fleetWith is smallFleet with the scenario's JSON changed by tweak first.
func fleetWith(t testing.TB, n int, tweak func(raw map[string]any)) *simcloud.Scenario {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "simcloud", "scenarios", "fleet.json"))
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	raw["fleet"].(map[string]any)["accounts"] = n
	// The shipped account may be past n; names have as many digits as n.
	raw["account"] = fmt.Sprintf("svc-%0*d@contoso.onmicrosoft.com", max(len(fmt.Sprint(n)), 4), 1)
	if tweak != nil {
		tweak(raw)
	}
	data, _ = json.Marshal(raw)
	sc, err := simcloud.ParseScenario(data)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

func ctxT(t testing.TB) context.Context { return testkit.Context(t) }

// Every account's verdict is the one diagnose gives the same account:
// the scan gathers the same evidence, in $batch, and judges it alike.
func TestScanAgreesWithDiagnose(t *testing.T) {
	cloud, client := start(t, "fleet")
	now := cloud.Server.Now()
	res, err := scan.Run(ctxT(t), client, scan.Options{Now: now, Days: 7})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) < 900 || res.LegacySignIns < 15000 {
		t.Fatalf("%d accounts, %d legacy sign-ins: the fleet is not what it says", len(res.Rows), res.LegacySignIns)
	}
	answers := map[diagnose.Answer]int{}
	for i, row := range res.Rows {
		answers[row.Answer]++
		if i%40 != 0 {
			continue // a spread of accounts across every urgency
		}
		ev := evidence.Gather(ctxT(t), client, evidence.Request{UPN: row.UPN, Service: row.Service, Now: now, SignInsSince: 7 * 24 * time.Hour}, nil)
		want := diagnose.Diagnose(ev)
		// An account whose sign-ins all work has the scan's own cause
		// (checked in checkHeadline); diagnose's speaks of a failing app.
		if row.Answer != want.AppPasswordCanHelp || row.Why != want.Why || row.Cause != want.Cause {
			t.Errorf("%s: scan says %s (%s), diagnose %s (%s)", row.UPN, row.Answer, row.Why, want.AppPasswordCanHelp, want.Why)
		}
	}
	if answers[diagnose.AnswerUntil] == 0 || answers[diagnose.AnswerNo] == 0 {
		t.Fatalf("the fleet should have accounts that break at the default-off and accounts refused already: %v", answers)
	}
	checkHeadline(t, res)
}

// checkHeadline: the headline counts the fates of the rows it heads, each
// fate agrees with the row's own sign-ins, and every row says where its
// newest legacy sign-in came from.
func checkHeadline(t *testing.T, res scan.Result) {
	t.Helper()
	fates := map[scan.Fate]int{}
	rank, most := 0, 0
	for i, row := range res.Rows {
		fates[row.Fate]++
		failed := 0
		for _, n := range row.Failures {
			failed += n
		}
		// Most urgent first: the fates in the headline's order, the most
		// failures first within a fate.
		if r := slices.Index(scan.Fates, row.Fate); r < rank || (r == rank && i > 0 && failed > most) {
			t.Fatalf("row %d %s (%s, %d failed) comes after a less urgent one", i+1, row.UPN, row.Fate, failed)
		} else {
			rank, most = r, failed
		}
		switch {
		case row.Fate != scan.FateFailing && failed == 0 && strings.Contains(row.Cause, "401"):
			t.Fatalf("%s: its sign-ins work, yet its cause speaks of a failure: %q", row.UPN, row.Cause)
		case row.Fate == scan.FateFailing && failed == 0:
			t.Fatalf("%s: failing now, with no failed sign-in", row.UPN)
		case row.Fate == scan.FateBreaks && (failed == row.SignIns || !slices.Contains(row.Protocols, "Authenticated SMTP")):
			t.Fatalf("%s: works now and breaks at the default-off, yet %d of %d sign-ins failed (%v)", row.UPN, failed, row.SignIns, row.Protocols)
		case strings.HasPrefix(row.AtDefaultOff, "already refused") && row.Fate != scan.FateFailing:
			t.Fatalf("%s: %q while its newest sign-in worked (%s)", row.UPN, row.AtDefaultOff, row.Fate)
		case row.LastIPAddress == "" || row.LastLocation == "" || row.LastClientApp == "":
			t.Fatalf("%s: where is it? %q %q %q", row.UPN, row.LastClientApp, row.LastIPAddress, row.LastLocation)
		}
	}
	want := fmt.Sprintf("%d failing now, %d work now and break after 31 December 2026 unless SMTP AUTH Basic is turned back on, %d work after the default-off, %d whose sign-ins cannot tell",
		fates[scan.FateFailing], fates[scan.FateBreaks], fates[scan.FateWorksAfter], fates[scan.FateCannotTell])
	if !strings.Contains(res.Summary(), want) || fates[scan.FateFailing] == 0 || fates[scan.FateBreaks] == 0 {
		t.Fatalf("headline %q, rows %v", res.Summary(), fates)
	}
	data, err := res.CSV()
	if err != nil || !strings.Contains(string(data), res.Rows[0].LastIPAddress) {
		t.Fatalf("the CSV must carry the address: %v", err)
	}
}

// Under every fault, an account is judged as without it or "unknown",
// never another confident answer; a sign-in log that cannot be read fails
// the scan instead of listing nobody.
func TestScanUnderFaults(t *testing.T) {
	fleet := smallFleet(t, 150) // eight batches of 20: every batch fault still lands
	if testkit.Exhaustive() {
		fleet = smallFleet(t, 1000)
	}
	cloud, client := startScenario(t, fleet)
	// One window for every scan: each scan waits out Graph's limits on the
	// simulated clock (half an hour for 1,000 accounts), which would move
	// a window that ends at the clock's now.
	now := cloud.Server.Now()
	base, err := scan.Run(ctxT(t), client, scan.Options{Now: now, Days: 7})
	if err != nil {
		t.Fatal(err)
	}
	clean := map[string]diagnose.Answer{}
	for _, r := range base.Rows {
		clean[r.UPN] = r.Answer
	}
	for _, f := range []simcloud.Fault{
		// Inside $batch, per item, on the routes the scan batches.
		{Kind: simcloud.FaultThrottle, Endpoint: "mfaRequirements", Times: 30},
		{Kind: simcloud.FaultThrottle, Endpoint: "mfaRequirements"},
		{Kind: simcloud.FaultUnavailable, Endpoint: "user", Times: 50},
		{Kind: simcloud.FaultMissingRole, Endpoint: "authMethods"},
		{Kind: simcloud.FaultMissingLicence, Endpoint: "memberOf", Times: 40},
		{Kind: simcloud.FaultMalformed, Endpoint: "memberOf", Times: 20},
		{Kind: simcloud.FaultEmptyError, Endpoint: "user", Times: 20},
		{Kind: simcloud.FaultClaimsChallenge, Endpoint: "authMethods", Times: 5},
		// Whole $batch requests.
		{Kind: simcloud.FaultHang, Endpoint: "batch", Times: 2},
		{Kind: simcloud.FaultDrop, Endpoint: "batch", Times: 3},
		{Kind: simcloud.FaultLatency, Endpoint: "batch", Times: 5, DelayMS: 50},
		// The tenant-wide reads.
		{Kind: simcloud.FaultMissingLicence, Endpoint: "caPolicies"},
		{Kind: simcloud.FaultMissingRole, Endpoint: "securityDefaults"},
		// The sign-in log, briefly: retried, so the scan still reads it whole.
		{Kind: simcloud.FaultThrottle, Endpoint: "signIns", Times: 2},
		// Longer than the client's retries: the queries that failed are
		// sent again once the others are in.
		{Kind: simcloud.FaultUnavailable, Endpoint: "signIns", Times: 8},
		{Kind: simcloud.FaultThrottle, Endpoint: "signIns", Times: 5},
	} {
		t.Run(string(f.Kind)+":"+f.Endpoint, func(t *testing.T) {
			cloud.Server.ClearFaults()
			if err := cloud.Server.AddFault(f); err != nil {
				t.Fatal(err)
			}
			res, err := scan.Run(ctxT(t), client, scan.Options{Now: now, Days: 7})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Rows) != len(base.Rows) || len(res.LogGaps) != 0 {
				t.Fatalf("%d accounts, without the fault %d; log gaps %v", len(res.Rows), len(base.Rows), res.LogGaps)
			}
			for _, r := range res.Rows {
				if r.Answer != clean[r.UPN] && r.Answer != diagnose.AnswerUnknown {
					t.Fatalf("%s: %s under the fault, %s without: a guess", r.UPN, r.Answer, clean[r.UPN])
				}
			}
		})
	}
	for _, f := range []simcloud.Fault{{Kind: simcloud.FaultUnavailable, Endpoint: "signIns"}, {Kind: simcloud.FaultMissingRole, Endpoint: "signIns"},
		// For ever: a request the last scan abandoned may still reach the
		// server and use up a fault that counts down.
		{Kind: simcloud.FaultMalformed, Endpoint: "signIns"}, {Kind: simcloud.FaultHang, Endpoint: "signIns"}} {
		cloud.Server.ClearFaults()
		cloud.Server.AddFault(f)
		if res, err := scan.Run(ctxT(t), client, scan.Options{Now: now, Days: 7}); err == nil {
			t.Fatalf("%s on the sign-in log: %d accounts listed, want an error", f.Kind, len(res.Rows))
		}
	}
	// A licence error sends the scan to the usage report, which says so.
	cloud.Server.ClearFaults()
	cloud.Server.AddFault(simcloud.Fault{Kind: simcloud.FaultMissingLicence, Endpoint: "signIns"})
	if res, err := scan.Run(ctxT(t), client, scan.Options{Now: now, Days: 7}); err != nil || res.Source != scan.SourceUsageReport || !res.Incomplete() {
		t.Fatalf("no licence for the log: %v, source %q", err, res.Source)
	}
}
