package scan_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/scan"
)

// Under Graph's documented limits (simcloud always throttles) the scan
// paces itself: Graph never has to answer 429, and the simulated time it
// waited is the floor the limit sets (the identity and access reports
// requests it made, after the first 5, at one per 2 s) and not much more.
func TestScanPacesItself(t *testing.T) {
	cloud, client := startScenario(t, smallFleet(t, 150))
	var last scan.Progress
	began := cloud.Clock.Now()
	res, err := scan.Run(ctxT(t), client, scan.Options{Now: cloud.Server.Now(), Days: 7,
		Progress: func(p scan.Progress) { last = p }})
	if err != nil {
		t.Fatal(err)
	}
	if n := cloud.Server.Throttled(); n != 0 {
		t.Fatalf("Graph answered 429 %d times: the scan did not pace itself", n)
	}
	// Reports requests: every page of the log (at least one per client
	// app) and one method read per account (in $batch, each item counted).
	reports := last.Pages + len(res.Rows)
	if last.Pages < len(diagnose.LegacyClientApps) || last.Queries != len(diagnose.LegacyClientApps) {
		t.Fatalf("%d pages for %d queries", last.Pages, last.Queries)
	}
	floor := time.Duration(reports-5) * graphclient.ReportsInterval
	// Simulated time: the real time the scan took plus every jump over a wait.
	if took := cloud.Clock.Now().Sub(began); took < floor || took > floor*12/10 {
		t.Fatalf("took %v of simulated time for %d reports requests; the floor is %v, the budget 1.2× that", took, reports, floor)
	}
	if res.Waited < floor*9/10 || res.Requests == 0 || last.Requests != res.Requests || last.ETA != 0 {
		t.Fatalf("the result's meter: %d requests, waited %v; last progress %+v", res.Requests, res.Waited, last)
	}
}

// A client app's query that fails even when sent again leaves a gap the
// result names, never a silent "no sign-ins": the scan goes on with the
// others, every account's sign-in evidence counts as unread, and no
// account gets an answer it would not get with the whole log.
func TestScanWithAGapInTheLog(t *testing.T) {
	cloud, client := startScenario(t, smallFleet(t, 60))
	now := cloud.Server.Now() // one window: each scan moves the simulated clock
	base, err := scan.Run(ctxT(t), client, scan.Options{Now: now, Days: 7})
	if err != nil {
		t.Fatal(err)
	}
	clean := map[string]diagnose.Answer{}
	for _, r := range base.Rows {
		clean[r.UPN] = r.Answer
	}
	// IMAP4's query never answers; the others are read from the simulator.
	// (simcloud's faults act per route, not per client app.)
	gappy := oneAppUnreachable{Client: client, app: "IMAP4"}
	res, err := scan.Run(ctxT(t), gappy, scan.Options{Now: now, Days: 7})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.LogGaps) != 1 || res.LogGaps[0].ClientApp != "IMAP4" || !res.Incomplete() {
		t.Fatalf("log gaps %+v, incomplete %v", res.LogGaps, res.Incomplete())
	}
	for _, r := range res.Rows {
		if r.Answer != clean[r.UPN] && r.Answer != diagnose.AnswerUnknown {
			t.Fatalf("%s: %s with a gap in the log, %s without: a guess", r.UPN, r.Answer, clean[r.UPN])
		}
		if r.Evidence.SignIns.Known() {
			t.Fatalf("%s: its sign-ins count as read, with a part of the log missing", r.UPN)
		}
	}
	if s := res.Summary(); !strings.Contains(s, "IMAP4 rows could not be read") {
		t.Fatalf("the summary must name the gap: %s", s)
	}
}

// oneAppUnreachable is the real client, except that one client app's log
// query gets no answer.
type oneAppUnreachable struct {
	*graphclient.Client
	app string
}

func (g oneAppUnreachable) SignInsOfApp(ctx context.Context, app string, from, to time.Time, page func([]graphclient.SignIn)) error {
	if app == g.app {
		return fmt.Errorf("reading the sign-in log (%s): %w", app, graphclient.ErrUnreachable)
	}
	return g.Client.SignInsOfApp(ctx, app, from, to, page)
}

// Without Entra ID P1 the scan lists, from the email apps usage report,
// the accounts that used SMTP, POP3 or IMAP4, each "cannot tell", and
// judges them from what the directory shows: never an answer the full
// log would contradict.
func TestScanWithoutP1ReadsTheUsageReport(t *testing.T) {
	fleet := smallFleet(t, 80)
	cloud, client := startScenario(t, fleet)
	withLog, err := scan.Run(ctxT(t), client, scan.Options{Now: cloud.Server.Now(), Days: 7})
	if err != nil {
		t.Fatal(err)
	}
	full := map[string]diagnose.Answer{}
	for _, r := range withLog.Rows {
		full[strings.ToLower(r.UPN)] = r.Answer
	}
	fleet.Tenant.EntraP1 = false
	cloud, client = startScenario(t, fleet)
	res, err := scan.Run(ctxT(t), client, scan.Options{Now: cloud.Server.Now(), Days: 7})
	if err != nil {
		t.Fatal(err)
	}
	if res.Source != scan.SourceUsageReport || len(res.Rows) == 0 || !res.Incomplete() || !graphclient.IsLicenceRequired(res.LogErr) {
		t.Fatalf("source %q, %d rows, log error %v", res.Source, len(res.Rows), res.LogErr)
	}
	for _, r := range res.Rows {
		want, listed := full[strings.ToLower(r.UPN)]
		switch {
		case !listed:
			t.Fatalf("%s: in the usage report but not in the log", r.UPN)
		case r.Fate != scan.FateCannotTell || r.Evidence.SignIns.Known() || r.LastEmailActivity == "":
			t.Fatalf("%s: fate %q, sign-ins known %v, last activity %q", r.UPN, r.Fate, r.Evidence.SignIns.Known(), r.LastEmailActivity)
		case r.Answer != want && r.Answer != diagnose.AnswerUnknown:
			t.Fatalf("%s: %s from the usage report, %s from the log: a guess", r.UPN, r.Answer, want)
		}
	}
	if s := res.Summary(); !strings.Contains(s, "email apps usage report") || !strings.Contains(s, "SMTP AUTH clients") {
		t.Fatalf("the summary must say where the list comes from: %s", s)
	}
}

// Stopped half-way (ctrl+c), the scan keeps the accounts it judged and
// says it was stopped; it never reports them as the whole tenant.
func TestStoppedScanKeepsWhatItJudged(t *testing.T) {
	cloud, client := startScenario(t, smallFleet(t, 120))
	ctx, cancel := context.WithCancel(ctxT(t))
	defer cancel()
	res, err := scan.Run(ctx, client, scan.Options{Now: cloud.Server.Now(), Days: 7, Chunk: 40,
		Progress: func(p scan.Progress) {
			if p.Judged >= 40 {
				cancel() // after the first chunk
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Cancelled || len(res.Rows) != 40 || !res.Incomplete() || !strings.Contains(res.Summary(), "stopped before the end") {
		t.Fatalf("cancelled %v, %d rows", res.Cancelled, len(res.Rows))
	}
}

// --resume goes on from a stopped scan's export: the same window, the
// accounts it judged kept as they were, only the rest read (fewer
// requests than a whole scan), and every verdict the whole scan's.
func TestResumeGoesOnFromAStoppedScan(t *testing.T) {
	cloud, client := startScenario(t, smallFleet(t, 120))
	now := cloud.Server.Now()
	whole, err := scan.Run(ctxT(t), client, scan.Options{Now: now, Days: 7, Chunk: 40})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(ctxT(t))
	defer cancel()
	stopped, err := scan.Run(ctx, client, scan.Options{Now: now, Days: 7, Chunk: 40,
		Progress: func(p scan.Progress) {
			if p.Judged >= 40 {
				cancel()
			}
		}})
	if err != nil || !stopped.Cancelled {
		t.Fatalf("%v, cancelled %v", err, stopped.Cancelled)
	}
	data, _ := stopped.JSON()
	partial, err := scan.ReadPartial(data)
	if err != nil {
		t.Fatal(err)
	}
	resumed, err := scan.Run(ctxT(t), client, scan.Options{Now: now.Add(time.Hour), Chunk: 40, Resume: &partial})
	if err != nil {
		t.Fatal(err)
	}
	if !resumed.From.Equal(whole.From) || !resumed.To.Equal(whole.To) || len(resumed.Rows) != len(whole.Rows) || resumed.Requests >= whole.Requests {
		t.Fatalf("resumed: %v–%v, %d rows, %d requests; whole: %v–%v, %d rows, %d requests",
			resumed.From, resumed.To, len(resumed.Rows), resumed.Requests, whole.From, whole.To, len(whole.Rows), whole.Requests)
	}
	want := map[string]diagnose.Answer{}
	for _, r := range whole.Rows {
		want[r.UPN] = r.Answer
	}
	for _, r := range resumed.Rows {
		if r.Answer != want[r.UPN] {
			t.Fatalf("%s: resumed %s, whole %s", r.UPN, r.Answer, want[r.UPN])
		}
	}
	if _, err := scan.ReadPartial([]byte(`{"from": "2026-11-14T00:00:00Z"}`)); err == nil {
		t.Fatal("an export without accounts read as a partial scan")
	}
}
