package evidence

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/apppass/apppass/demo"
	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/internal/testkit"
	"github.com/apppass/apppass/simcloud"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// signedIn starts a scenario and signs its admin in through the real MSAL and SDK code.
func signedIn(tb testing.TB, sc *simcloud.Scenario) (*simcloud.Server, *graphclient.Client) {
	tb.Helper()
	cloud, err := demo.Start(sc, demo.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { cloud.Close() })
	cloud.Config.Retry = graphclient.RetryPolicy{MaxRetries: 2, MaxWait: time.Second}
	testkit.EndHangsOnSignal(&cloud.Config, cloud.Server)
	client, err := cloud.Client(testkit.Context(tb))
	if err != nil {
		tb.Fatal(err)
	}
	return cloud.Server, client
}

// verdict is the stable part of a report, compared with golden files.
type verdict struct {
	Cause    string            `json:"cause"`
	Answer   diagnose.Answer   `json:"appPasswordCanHelp"`
	Until    string            `json:"helpsUntil,omitempty"`
	Plan     []diagnose.StepID `json:"plan"`
	Findings []string          `json:"findings"`
}

func verdictOf(r diagnose.Report) verdict {
	v := verdict{Cause: r.Cause, Answer: r.AppPasswordCanHelp, Until: r.HelpsUntil, Plan: r.Plan}
	for _, f := range r.Findings {
		v.Findings = append(v.Findings, string(f.Severity)+" "+f.ID)
	}
	return v
}

func TestEveryScenarioAndService(t *testing.T) {
	all, err := simcloud.Scenarios()
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range all {
		t.Run(sc.Name, func(t *testing.T) {
			srv, client := signedIn(t, sc)
			got := map[diagnose.Service]verdict{}
			for _, service := range diagnose.Services {
				var mu sync.Mutex // done is called from many goroutines
				var lines []diagnose.Line
				ev := Gather(context.Background(), client, Request{UPN: sc.Account, Service: service, Now: srv.Now()},
					func(d Done) {
						mu.Lock()
						defer mu.Unlock()
						lines = append(lines, d.Line)
					})
				if len(lines) != len(diagnose.Checks) {
					t.Errorf("%s: %d checklist lines reported, want %d", service, len(lines), len(diagnose.Checks))
				}
				got[service] = verdictOf(diagnose.Diagnose(ev))
			}
			compareGolden(t, filepath.Join("testdata", "verdicts", sc.Name+".json"), got)
		})
	}
}

func compareGolden(t *testing.T, path string, got any) {
	t.Helper()
	data, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	data = append(data, '\n')
	if *update {
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./evidence -update to create it)", err)
	}
	if string(want) != string(data) {
		t.Errorf("%s differs from the golden file:\n--- got\n%s\n--- want\n%s", path, data, want)
	}
}

func TestGapsAreTyped(t *testing.T) {
	sc, _ := simcloud.LoadScenario("admin-lacks-revoke")
	srv, client := signedIn(t, sc)
	srv.AddFault(simcloud.Fault{Kind: simcloud.FaultMissingRole, Endpoint: "signIns"})
	srv.AddFault(simcloud.Fault{Kind: simcloud.FaultMissingLicence, Endpoint: "caPolicies"})
	srv.AddFault(simcloud.Fault{Kind: simcloud.FaultUnavailable, Endpoint: "authMethods"})
	ev := Gather(context.Background(), client, Request{UPN: sc.Account, Service: diagnose.ServiceSMTP, Now: srv.Now()}, nil)
	if ev.SignIns.Status != diagnose.StatusDenied || ev.SignIns.Missing == "" || ev.SignIns.RequestID == "" {
		t.Errorf("sign-ins: %+v", ev.SignIns)
	}
	if ev.Policies.Status != diagnose.StatusLicence || ev.Policies.Missing != "Microsoft Entra ID P1" {
		t.Errorf("policies: %+v", ev.Policies)
	}
	if ev.Methods.Status != diagnose.StatusFailed || ev.Methods.Err == "" {
		t.Errorf("methods: %+v", ev.Methods)
	}
	if !ev.Account.Known() || !ev.PerUserMFA.Known() {
		t.Errorf("unaffected checks failed: %+v %+v", ev.Account, ev.PerUserMFA)
	}
}

func TestGuestAccountIsAddressedByID(t *testing.T) {
	sc, _ := simcloud.LoadScenario("classic")
	guest := "partner_fabrikam.com#EXT#@contoso.onmicrosoft.com"
	sc.Users = append(sc.Users, simcloud.User{UserPrincipalName: guest, Password: "x", UserType: "Guest"})
	sc2, err := reparse(sc)
	if err != nil {
		t.Fatal(err)
	}
	srv, client := signedIn(t, sc2)
	ev := Gather(context.Background(), client, Request{UPN: guest, Service: diagnose.ServiceSMTP, Now: srv.Now()}, nil)
	if !ev.Account.Known() || !ev.Account.Value.Guest || !ev.PerUserMFA.Known() {
		t.Fatalf("guest evidence: %+v %+v", ev.Account, ev.PerUserMFA)
	}
	if r := diagnose.Diagnose(ev); !slices.ContainsFunc(r.Findings, func(f diagnose.Finding) bool { return f.ID == "account-guest" }) {
		t.Fatalf("no guest finding: %+v", r.Findings)
	}
}

// reparse runs a scenario changed in Go through the loader's checks again.
func reparse(sc *simcloud.Scenario) (*simcloud.Scenario, error) {
	data, err := json.Marshal(sc)
	if err != nil {
		return nil, err
	}
	return simcloud.ParseScenario(data)
}

func TestPasswordGuard(t *testing.T) {
	var g PasswordGuard
	if g.Used("backup@contoso.com") || !g.Take("Backup@Contoso.com") || !g.Used("backup@contoso.com") || g.Take("backup@contoso.com") {
		t.Fatal("the check may run twice for one account")
	}
	if !g.Take("other@contoso.com") {
		t.Fatal("another account was refused")
	}
}

// BenchmarkGatherRoundTrips measures a whole diagnosis against a simulator
// that adds 200 ms to every Graph request, and reports the time as a number
// of round trips (budget: under three).
func BenchmarkGatherRoundTrips(b *testing.B) {
	const rtt = 200 * time.Millisecond
	sc, _ := simcloud.LoadScenario("classic")
	srv, client := signedIn(b, sc)
	srv.AddFault(simcloud.Fault{Kind: simcloud.FaultLatency, DelayMS: int(rtt / time.Millisecond)})
	b.ResetTimer()
	var total time.Duration
	for range b.N {
		start := time.Now()
		ev := Gather(context.Background(), client, Request{UPN: sc.Account, Service: diagnose.ServiceSMTP, Now: srv.Now()}, nil)
		total += time.Since(start)
		if !ev.SignIns.Known() {
			b.Fatalf("sign-ins: %+v", ev.SignIns)
		}
	}
	b.ReportMetric(float64(total)/float64(b.N)/float64(rtt), "round-trips")
}
