package scan_test

import (
	"strings"
	"testing"
	"time"

	"github.com/apppass/apppass/scan"
	"github.com/apppass/apppass/simcloud"
)

// fleetAt is the fleet cut to n accounts, as of a date, with its own
// share of failed sign-ins.
func fleetAt(t *testing.T, n int, asOf string, failures map[string]int) *simcloud.Scenario {
	t.Helper()
	return fleetWith(t, n, func(raw map[string]any) {
		raw["asOf"] = asOf
		raw["fleet"].(map[string]any)["failures"] = failures
	})
}

// Before and after the default-off: the fleet a week before 31 December
// and ten days after, with fewer accounts and more failures. --compare
// marks each account as the two scans' own rows say, lists the accounts
// that went silent, and asks a scheduled run for attention.
func TestCompareBeforeAndAfterTheDefaultOff(t *testing.T) {
	cloud, client := startScenario(t, fleetAt(t, 70, "2026-12-24", map[string]int{"50126": 4, "50053": 1, "50055": 1, "50057": 2}))
	before, err := scan.Run(ctxT(t), client, scan.Options{Now: cloud.Server.Now(), Days: 7})
	if err != nil {
		t.Fatal(err)
	}
	data, err := before.JSON()
	if err != nil {
		t.Fatal(err)
	}
	prev, err := scan.ReadPrevious(data)
	if err != nil {
		t.Fatal(err)
	}
	cloud, client = startScenario(t, fleetAt(t, 60, "2027-01-10", map[string]int{"50126": 30, "50053": 5, "50055": 5, "50057": 10}))
	after, err := scan.Run(ctxT(t), client, scan.Options{Now: cloud.Server.Now(), Days: 7})
	if err != nil {
		t.Fatal(err)
	}
	if err := after.Compare(prev); err != nil {
		t.Fatal(err)
	}
	was := map[string]scan.Fate{}
	for _, r := range before.Rows {
		was[strings.ToLower(r.UPN)] = r.Fate
	}
	for _, r := range after.Rows {
		old, seen := was[strings.ToLower(r.UPN)]
		var want scan.Change
		switch {
		case !seen:
			want = scan.ChangeNew
		case r.Fate == scan.FateFailing && old != scan.FateFailing:
			want = scan.ChangeStartedFailing
		case old == scan.FateFailing && r.Fate != scan.FateFailing:
			want = scan.ChangeRecovered
		}
		if r.Change != want {
			t.Fatalf("%s: %s then %s, marked %q, want %q", r.UPN, old, r.Fate, r.Change, want)
		}
		if r.Fate == scan.FateBreaks {
			t.Fatalf("%s: after the default-off nothing is 'works now, breaks at the default-off'", r.UPN)
		}
	}
	c := after.Comparison
	if c.Counts[scan.ChangeStartedFailing] == 0 || len(c.Silent) != c.Counts[scan.ChangeSilent] || len(c.Silent) < 10 || !c.Attention() {
		t.Fatalf("comparison %+v", c.Counts)
	}
	if s := after.Summary(); !strings.Contains(s, "Since the scan of 2026-12-24:") || !strings.Contains(s, "went silent") {
		t.Fatalf("summary: %s", s)
	}
	records, _ := after.CSV()
	if n := strings.Count(string(records), ",went silent,\n"); n != len(c.Silent) {
		t.Fatalf("the CSV has %d silent rows, want %d", n, len(c.Silent))
	}
}

// An account of the earlier scan is called silent only when this scan read
// the whole log; scans from different sources are not compared; a file that
// is not a scan export is refused with a message.
func TestCompareRefusesWhatItCannotTell(t *testing.T) {
	now := time.Date(2027, 1, 10, 9, 0, 0, 0, time.UTC)
	prev := scan.Previous{To: now.AddDate(0, 0, -7), Source: scan.SourceSignInLog, Rows: []scan.PreviousRow{{UPN: "gone@contoso.com", Fate: scan.FateBreaks}}}
	gappy := scan.Result{To: now, Source: scan.SourceSignInLog, LogGaps: []scan.LogGap{{ClientApp: "IMAP4"}}}
	if err := gappy.Compare(prev); err != nil || len(gappy.Comparison.Silent) != 0 || gappy.Comparison.Note == "" {
		t.Fatalf("with a gap in the log: %v %+v", err, gappy.Comparison)
	}
	usage := scan.Result{To: now, Source: scan.SourceUsageReport}
	if err := usage.Compare(prev); err == nil {
		t.Fatal("a usage report scan compared with a sign-in log scan")
	}
	for _, bad := range []string{"", "{}", `{"to": "2027-01-01T00:00:00Z"}`, `{"to": "2027-01-01T00:00:00Z", "accountsByUrgency": [{"fate": "x"}]}`, "upn,fate\n"} {
		if _, err := scan.ReadPrevious([]byte(bad)); err == nil {
			t.Errorf("%q read as an earlier scan", bad)
		}
	}
}
