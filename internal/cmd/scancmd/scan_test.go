package scancmd

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/apppass/apppass/internal/cmdutil"
	"github.com/apppass/apppass/internal/cmdutil/cmdtest"
	"github.com/apppass/apppass/scan"
)

// The demo scan prints each export's documented shape; the exit code is 3
// exactly when an account's verdict is unknown.
func TestDemoScanExports(t *testing.T) {
	cmdtest.Isolate(t)
	code, out, errOut := cmdtest.Run(t, Run, "", "--demo", "--json")
	var doc struct {
		Accounts, Unknown int
		Rows              []map[string]any `json:"accountsByUrgency"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || doc.Accounts < 900 || len(doc.Rows) != doc.Accounts {
		t.Fatalf("JSON: %v, exit %d\n%s", err, code, errOut)
	}
	if want := map[bool]int{true: cmdutil.ExitUnknown, false: cmdutil.ExitOK}[doc.Unknown > 0]; code != want {
		t.Fatalf("exit %d with %d unknown", code, doc.Unknown)
	}
	if doc.Rows[0]["fate"] != string(scan.FateFailing) || !strings.Contains(errOut, "/oauth2/v2.0/authorize?") {
		t.Fatalf("the most urgent first, signed in through the browser: %v\n%s", doc.Rows[0], errOut)
	}

	_, out, _ = cmdtest.Run(t, Run, "", "--demo", "--csv")
	records, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(records) != doc.Accounts+1 || strings.Join(records[0], ",") != strings.Join(scan.CSVColumns, ",") {
		t.Fatalf("CSV: %v, %d records", err, len(records))
	}
	// The CSV keeps the table's order, most urgent first: every account
	// failing now before any that works now and breaks at the default-off.
	fate := slices.Index(scan.CSVColumns, "fate")
	if records[1][0] != doc.Rows[0]["upn"] || fate < 0 {
		t.Fatalf("the CSV's first account %v, the JSON's %v", records[1], doc.Rows[0]["upn"])
	}
	rank := 0
	for i, r := range records[1:] {
		if at := slices.Index(scan.Fates, scan.Fate(r[fate])); at < rank {
			t.Fatalf("CSV row %d (%s, %s) comes after a less urgent fate", i+1, r[0], r[fate])
		} else {
			rank = at
		}
	}
	_, out, _ = cmdtest.Run(t, Run, "", "--demo", "--markdown")
	if !strings.HasPrefix(out, "# apppass scan: legacy sign-ins") || strings.Count(out, "\n| ") != doc.Accounts+1 {
		t.Fatalf("Markdown:\n%.400s", out)
	}
	_, out, _ = cmdtest.Run(t, Run, "", "--demo", "--accessible")
	if !strings.Contains(out, "break after 31 December 2026") || !strings.Contains(out, "at the default-off: works now; breaks after 31 December 2026") {
		t.Fatalf("plain table:\n%.600s", out)
	}
}

// Without Entra ID P1 the scan reads the email apps usage report instead,
// says so, and exits 3 (the log that would decide was not read); bad
// flags are refused.
func TestScanRefusals(t *testing.T) {
	cmdtest.Isolate(t)
	code, out, errOut := cmdtest.Run(t, Run, "", "--demo", "--scenario", "no-p1", "--markdown")
	if code != cmdutil.ExitUnknown || !strings.Contains(out, "Without Entra ID P1 the sign-in log cannot be read; from Microsoft 365's email apps usage report") {
		t.Fatalf("no P1: exit %d, out %q\n%s", code, out, errOut)
	}
	for _, args := range [][]string{{"--days", "0"}, {"--days", "31"}, {"--json", "--csv"}, {"--demo", "--tenant", "contoso.com"}, {"--demo", "--exchange-client-id", "not-a-guid"}} {
		if code, _, errOut := cmdtest.Run(t, Run, "", args...); code != cmdutil.ExitError || errOut == "" {
			t.Errorf("%v: exit %d", args, code)
		}
	}
}

// The case: a sign-in log Graph throttles for 400 requests in a
// row is waited out (on the demo's simulated clock), not a failed scan:
// every account is listed and judged, the exit code 0 or 3.
func TestDemoScanOutlastsThrottling(t *testing.T) {
	cmdtest.Isolate(t)
	code, out, errOut := cmdtest.Run(t, Run, "", "--demo", "--json", "--fault", "throttle:signIns:400")
	var doc struct {
		Accounts int
		LogGaps  []map[string]any
		Requests int `json:"graphRequests"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || doc.Accounts < 900 || len(doc.LogGaps) != 0 {
		t.Fatalf("JSON: %v, exit %d, %d accounts, gaps %v\n%s", err, code, doc.Accounts, doc.LogGaps, errOut)
	}
	if code != cmdutil.ExitOK && code != cmdutil.ExitUnknown {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	if !strings.Contains(errOut, "for Graph's limits (simulated time)") || doc.Requests < 400 {
		t.Fatalf("progress must show the wait; %d requests\n%s", doc.Requests, errOut)
	}
}

// A weekly run around 31 December: scan before, scan after with --compare;
// the exit code 5 tells the scheduler that accounts started failing or
// went silent, and the export marks them. A wrong file is refused before
// signing in.
func TestCompareExitsFiveOnChanges(t *testing.T) {
	cmdtest.Isolate(t)
	dir := t.TempDir()
	fleet := func(name, asOf string, accounts int, failures map[string]int) string {
		data, err := os.ReadFile(filepath.Join("..", "..", "..", "simcloud", "scenarios", "fleet.json"))
		if err != nil {
			t.Fatal(err)
		}
		var raw map[string]any
		json.Unmarshal(data, &raw)
		raw["asOf"], raw["account"] = asOf, "svc-0001@contoso.onmicrosoft.com"
		raw["fleet"].(map[string]any)["accounts"] = accounts
		raw["fleet"].(map[string]any)["failures"] = failures
		data, _ = json.Marshal(raw)
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	before := fleet("before.json", "2026-12-24", 50, map[string]int{"50126": 4})
	after := fleet("after.json", "2027-01-07", 40, map[string]int{"50126": 40})
	code, out, errOut := cmdtest.Run(t, Run, "", "--demo", "--scenario-file", before, "--json")
	if code != cmdutil.ExitOK && code != cmdutil.ExitUnknown {
		t.Fatalf("before: exit %d\n%s", code, errOut)
	}
	previous := filepath.Join(dir, "scan-before.json")
	os.WriteFile(previous, []byte(out), 0o600)
	code, out, errOut = cmdtest.Run(t, Run, "", "--demo", "--scenario-file", after, "--compare", previous, "--json")
	var doc struct {
		Comparison struct {
			Counts map[string]int
			Silent []map[string]any
		}
		Rows []map[string]any `json:"accountsByUrgency"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || code != cmdutil.ExitChanged {
		t.Fatalf("after: exit %d, %v\n%s", code, err, errOut)
	}
	if len(doc.Comparison.Silent) != 10 || doc.Comparison.Counts["started failing"] == 0 {
		t.Fatalf("comparison %+v", doc.Comparison)
	}
	if code, _, errOut := cmdtest.Run(t, Run, "", "--demo", "--compare", before); code != cmdutil.ExitError || strings.Contains(errOut, "Signed in") {
		t.Fatalf("a scenario file as the earlier scan: exit %d\n%s", code, errOut)
	}
}

// --resume refuses a file that is not a scan export, before signing in.
func TestResumeRefusesWhatIsNotAScan(t *testing.T) {
	cmdtest.Isolate(t)
	path := filepath.Join(t.TempDir(), "x.json")
	os.WriteFile(path, []byte(`{"name": "fleet"}`), 0o600)
	if code, _, errOut := cmdtest.Run(t, Run, "", "--demo", "--resume", path); code != cmdutil.ExitError || !strings.Contains(errOut, "--resume") || strings.Contains(errOut, "Signed in") {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
}
