package diagnose

import (
	"strings"
	"testing"
	"time"
)

// appRow is the app's own SMTP sign-in at 10:42 from its address.
func appRow(code int, applied ...AppliedPolicy) *SignIn {
	return &SignIn{Time: asOf.Add(102 * time.Minute), ClientAppUsed: legacySMTP, ErrorCode: code, IPAddress: "198.51.100.20",
		CAStatus: "notApplied", Applied: applied}
}

// What arrives from the app is said, with what is left to do, per code.
func TestAppWatchExplainsWhatArrives(t *testing.T) {
	block := AppliedPolicy{Name: "Block legacy authentication", Result: "failure"}
	cases := []struct {
		name     string
		w        AppWatch
		outcome  Outcome
		headline string
		advice   string
	}{
		{"through", AppWatch{Result: WatchThrough, SignIn: appRow(0)}, OutcomeDone,
			"verified at the app at 10:42 UTC from 198.51.100.20", "Nothing is left to do"},
		{"old password", AppWatch{Result: WatchFailed, SignIn: appRow(50126)}, OutcomeFailed,
			"failed with AADSTS50126", "still holds an old password"},
		{"regular password", AppWatch{Result: WatchFailed, SignIn: appRow(50076)}, OutcomeFailed,
			"from 198.51.100.20", "still sends the account's regular password"},
		{"CA block", AppWatch{Result: WatchFailed, SignIn: appRow(53003, block)}, OutcomeFailed,
			"AADSTS53003", "'Block legacy authentication' blocks"},
		{"security defaults", AppWatch{Result: WatchFailed, SignIn: appRow(530035)}, OutcomeFailed,
			"AADSTS530035", "Security defaults block"},
		{"not seen", AppWatch{Result: WatchNotSeen, Since: asOf, Until: asOf.Add(15 * time.Minute)}, OutcomeSkipped,
			"not seen in 15 minutes", "delay"},
		{"could not check", AppWatch{Result: WatchUnchecked, Why: "throttled (429)"}, OutcomeUnknown,
			"could not check the app's own sign-in: throttled (429)", "Nothing is known"},
		{"a success with no row behind it", AppWatch{Result: WatchThrough}, OutcomeUnknown,
			"could not check", "Nothing is known"},
	}
	for _, c := range cases {
		if got := c.w.Outcome(); got != c.outcome {
			t.Errorf("%s: outcome %s, want %s", c.name, got, c.outcome)
		}
		if h := c.w.Headline(); !strings.Contains(h, c.headline) {
			t.Errorf("%s: headline %q lacks %q", c.name, h, c.headline)
		}
		if a := c.w.Advice(); !strings.Contains(a, c.advice) {
			t.Errorf("%s: advice %q lacks %q", c.name, a, c.advice)
		}
	}
}

// The app's own sign-in re-decides the verdict with the same rules, and
// every rendering says it.
func TestAppWatchReDecidesTheVerdict(t *testing.T) {
	ev := failures(base(), 50076, "user")
	ev.PerUserMFA = OK("enforced")
	before := Diagnose(ev)
	ev.AppWatch = &AppWatch{Result: WatchFailed, SignIn: appRow(50126)}
	after := Diagnose(ev)
	if !containsID(after, "sign-in-50126") || containsID(before, "sign-in-50126") || !containsID(after, "app-watch-failed") {
		t.Fatalf("the app's 50126 was not judged: %v", findingIDs(after))
	}
	for name, out := range map[string]string{"text": after.Text(), "markdown": after.Markdown(), "note": after.AdminNote()} {
		if !strings.Contains(out, "AADSTS50126") || !strings.Contains(out, "still holds an old password") {
			t.Errorf("%s does not say what arrived at the app:\n%s", name, out)
		}
	}
	// A log that could not be read gains no row from the watch.
	ev.SignIns = Item[[]SignIn]{Status: StatusDenied, Missing: "Reports Reader"}
	if r := Diagnose(ev); len(r.Evidence.SignIns.Value) != 0 {
		t.Errorf("a row joined an unread log: %v", r.Evidence.SignIns)
	}
}

func containsID(r Report, id string) bool {
	for _, f := range r.Findings {
		if f.ID == id {
			return true
		}
	}
	return false
}

func TestAppClient(t *testing.T) {
	if !AppClient(ServiceSMTP, "Authenticated SMTP") || AppClient(ServiceSMTP, "IMAP4") || AppClient(ServiceSMTP, "Browser") ||
		!AppClient(ServiceExchange, "IMAP4") || !AppClient(ServiceOther, "POP3") {
		t.Error("AppClient disagrees with the sign-in log's client apps")
	}
}

// One count, said whole (issue 21): once the watch's row joins the
// sign-ins, the checklist's count says so, so a report exported after
// the watch does not seem to contradict the diagnosis read before it.
func TestChecklistSaysTheWatchRowJoined(t *testing.T) {
	row := appRow(50076)
	ev := Evidence{UPN: "backup@contoso.onmicrosoft.com", Service: ServiceSMTP, SignIns: OK([]SignIn{*row, *row, *row})}
	count := func(ev Evidence) string {
		for _, l := range Diagnose(ev).Evidence.Checklist() {
			if l.Check == CheckSignIns {
				return l.Summary
			}
		}
		return ""
	}
	if got := count(ev); got != "3 failed of 3" {
		t.Fatalf("before the watch: %q", got)
	}
	ev.AppWatch = &AppWatch{Result: WatchThrough, SignIn: appRow(0)}
	if got := count(ev); got != "3 failed of 4, the newest the app's own sign-in after the change" {
		t.Fatalf("after the watch: %q", got)
	}
}
