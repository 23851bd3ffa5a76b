package wizard

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/evidence"
	"github.com/apppass/apppass/internal/testkit"
	"github.com/apppass/apppass/simcloud"
	"github.com/apppass/apppass/steps"
)

// For every shipped scenario, the diagnosis screen shows exactly the
// findings at warning level and above that `apppass diagnose --json`
// reports for the same tenant (gathered again, as the command gathers it,
// and read back from the report's JSON), each with its deciding evidence
// line. Issue 21's case 2: managed-legacy-block's report-only policy, and
// classic's "AADSTS50076 ... the password was correct", were missing.
func TestDiagnosisShowsEveryWarningOfTheReport(t *testing.T) {
	all, err := simcloud.Scenarios()
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range all {
		t.Run(sc.Name, func(t *testing.T) {
			h := newHarness(t, sc.Name)
			h.toDiagnosis()
			want := reportedWarnings(t, h)
			shown := shownFindings(t, h)
			if len(shown) != len(want) {
				t.Errorf("the screen shows %d findings, diagnose --json has %d at warning or above:\nshown %q\nwant  %v", len(shown), len(want), shown, want)
			}
			flat := flatten(ansi.Strip(h.m.body.GetContent()))
			for _, f := range want {
				if !strings.Contains(flat, flatten(f.Title)) {
					t.Errorf("finding %s (%s) %q is not on the diagnosis screen", f.ID, f.Severity, f.Title)
				}
				if ev := steps.EvidenceLine(f); !containsAround(flat, ev) {
					t.Errorf("finding %s: its evidence %q is not on the diagnosis screen:\n%s", f.ID, ev, flat)
				}
			}
			if sc.Name == "managed-legacy-block" && !strings.Contains(flat, "will block the app when switched on") {
				t.Errorf("the report-only policy that will block the app is not on the screen:\n%s", flat)
			}
			if sc.Name == "classic" && !strings.Contains(flat, "the password was correct") {
				t.Errorf("classic's deciding evidence is not on the screen:\n%s", flat)
			}
		})
	}
}

// reportedWarnings gathers the scenario's evidence again as `apppass
// diagnose` does (the admin signed in, the scenario's account and service)
// and returns the findings at warning and above of the report's JSON.
func reportedWarnings(t *testing.T, h *harness) []diagnose.Finding {
	t.Helper()
	ctx := testkit.Context(t)
	cloud := h.launcher.cloud
	client, err := cloud.Client(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sc := cloud.Server.Scenario()
	service, _ := diagnose.ParseService(sc.Service)
	ev := evidence.Gather(ctx, client, evidence.Request{UPN: sc.Account, Caller: client.Account().UserPrincipalName, Service: service, Now: cloud.Server.Now()}, nil)
	data, err := diagnose.Diagnose(ev).JSON()
	if err != nil {
		t.Fatal(err)
	}
	var report struct{ Findings []diagnose.Finding }
	if err := json.Unmarshal(data, &report); err != nil {
		t.Fatal(err)
	}
	var out []diagnose.Finding
	for _, f := range report.Findings {
		if f.Severity != diagnose.SeverityInfo {
			out = append(out, f)
		}
	}
	return out
}

// shownFindings are the marked lines of the screen's Findings section.
func shownFindings(t *testing.T, h *harness) []string {
	t.Helper()
	var out []string
	in := false
	for _, line := range strings.Split(ansi.Strip(h.m.body.GetContent()), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "Findings":
			in = true
		case line == "Plan":
			in = false
		case in && (strings.HasPrefix(line, "✗ ") || strings.HasPrefix(line, "! ")):
			out = append(out, line)
		}
	}
	return out
}

// flatten joins wrapped lines and collapses spaces, so text compares
// whatever the width it was wrapped to.
func flatten(s string) string { return strings.Join(strings.Fields(s), " ") }

// containsAround reports that flat holds text, whose commands and
// addresses are drawn on lines of their own: each token, and the prose
// between them, is in flat.
func containsAround(flat, text string) bool {
	for _, t := range steps.Tokens(text) {
		if !strings.Contains(flat, t) {
			return false
		}
		text = strings.Replace(text, t, "\n", 1)
	}
	for _, piece := range strings.Split(text, "\n") {
		if p := strings.Trim(flatten(piece), " ,;.()—"); p != "" && !strings.Contains(flat, p) {
			return false
		}
	}
	return true
}
