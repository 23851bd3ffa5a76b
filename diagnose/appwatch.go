package diagnose

import (
	"fmt"
	"strings"
	"time"
)

// WatchResult is how a watch for the app's own sign-in ended.
type WatchResult string

// The results of a watch for the app's own sign-in.
const (
	// WatchThrough: the app's own legacy sign-in succeeded after the change.
	WatchThrough WatchResult = "through"
	// WatchFailed: the app's own legacy sign-in arrived and failed.
	WatchFailed WatchResult = "failed"
	// WatchNotSeen: every read of the log worked and none of the app's
	// sign-ins arrived in the time watched.
	WatchNotSeen WatchResult = "not-seen"
	// WatchUnchecked: the log could not be read (throttled, denied, no
	// licence, no answer): nothing is known, never "nothing came".
	WatchUnchecked WatchResult = "could-not-check"
)

// AppWatch is what watching the sign-in log after the change found: the
// proof at the app (or its absence), which the test from the admin's
// machine cannot give.
type AppWatch struct {
	Result WatchResult `json:"result"`
	// Since: only the account's legacy sign-ins at or after this time count.
	Since time.Time `json:"since"`
	// Until is when the watch ended.
	Until time.Time `json:"until"`
	// SignIn is the app's newest legacy sign-in seen (through or failed).
	SignIn *SignIn `json:"signIn,omitempty"`
	// Why says what could not be read (could-not-check).
	Why string `json:"why,omitempty"`
	// RequestID is the failed read's Graph request id, for Microsoft support.
	RequestID string `json:"requestId,omitempty"`
	// UPN and Service are the account and service watched, for the command
	// that watches again.
	UPN     string  `json:"upn,omitempty"`
	Service Service `json:"service,omitempty"`
}

// againCommand is the command that watches again, with the account and
// service when the watch knows them.
func (w AppWatch) againCommand() string {
	upn, service := w.UPN, string(w.Service)
	if upn == "" {
		upn = "<account>"
	}
	if service == "" {
		service = "<service>"
	}
	return "apppass diagnose --user " + upn + " --service " + service + " --watch-app 15m"
}

// AppClient reports a sign-in log client app that is the failing app's kind
// of legacy sign-in for the service (SMTP AUTH for SMTP, and so on).
func AppClient(service Service, clientApp string) bool {
	switch service {
	case ServiceSMTP:
		return clientApp == "Authenticated SMTP"
	case ServiceSharePoint:
		return clientApp == "Other clients"
	case ServiceExchange:
		return legacyClient(clientApp) && clientApp != "Authenticated SMTP"
	}
	return legacyClient(clientApp)
}

// JudgeAppSignIn says what one of the app's own sign-ins means: through
// (code 0) or failed.
func JudgeAppSignIn(s SignIn) WatchResult {
	if s.ErrorCode == 0 {
		return WatchThrough
	}
	return WatchFailed
}

// lasted says how long the watch lasted, never longer than it did: whole
// minutes rounded down, or seconds under a minute.
func (w AppWatch) lasted() string {
	d := max(w.Until.Sub(w.Since), 0)
	if d < time.Minute {
		return plural(int(d/time.Second), "second", "seconds")
	}
	return plural(int(d/time.Minute), "minute", "minutes")
}

// checked is the watch with a claim it cannot back taken back: "through"
// or "failed" with no sign-in row is "could not check".
func (w AppWatch) checked() AppWatch {
	if (w.Result == WatchThrough || w.Result == WatchFailed) && w.SignIn == nil {
		w.Result, w.Why = WatchUnchecked, "no sign-in row backs the result"
	}
	return w
}

// Outcome is the watch as a step's outcome.
func (w AppWatch) Outcome() Outcome {
	switch w.checked().Result {
	case WatchThrough:
		return OutcomeDone
	case WatchFailed:
		return OutcomeFailed
	case WatchNotSeen:
		return OutcomeSkipped
	}
	return OutcomeUnknown
}

// clock is a sign-in's time as the headline gives it.
func clock(t time.Time) string { return t.UTC().Format("15:04 UTC") }

// Headline is the watch in one line: "verified at the app at 10:42 UTC
// from 198.51.100.20", or what failed, or "not seen within 15 minutes".
func (w AppWatch) Headline() string {
	w = w.checked()
	switch w.Result {
	case WatchThrough, WatchFailed:
		s := w.SignIn
		where := ""
		if s.IPAddress != "" {
			where = " from " + s.IPAddress
		}
		if w.Result == WatchThrough {
			return fmt.Sprintf("verified at the app at %s%s (%s): the app itself now signs in", clock(s.Time), where, s.ClientAppUsed)
		}
		return fmt.Sprintf("the app's own sign-in at %s%s (%s) failed with AADSTS%d", clock(s.Time), where, s.ClientAppUsed, s.ErrorCode)
	case WatchNotSeen:
		return fmt.Sprintf("not seen in %s: no sign-in of the app since %s", w.lasted(), clock(w.Since))
	}
	return "could not check the app's own sign-in: " + w.Why
}

// Advice is what is left to do after the watch, from what it saw.
func (w AppWatch) Advice() string {
	w = w.checked()
	switch w.Result {
	case WatchThrough:
		return "Nothing is left to do for this app: its own sign-in gets through with the new secret."
	case WatchNotSeen:
		return "The sign-in log shows a sign-in only after a delay (Microsoft publishes no figure for it), and the app may not have run yet. Check again later with " + w.againCommand() + ", or look for the account's sign-ins in the Entra admin center (Sign-in logs, both the interactive and non-interactive tabs)."
	case WatchUnchecked:
		return "Nothing is known about the app's own sign-in. Read the log again once the cause above is fixed (" + w.againCommand() + "), or look in the Entra admin center's sign-in logs."
	}
	s := w.SignIn
	info := LookupCode(s.ErrorCode)
	blocking := appliedFailures(s.Applied)
	switch {
	case info.Kind == KindWrongPassword:
		return "The app still holds an old password: Entra refused the secret it sent (AADSTS50126, " + info.Meaning + "). Type the new app password into the app (all 16 letters, no spaces), save, and let it run again. A failed password carries no Conditional Access verdict, so nothing is known yet about a block."
	case info.Kind == KindCABlocked || len(blocking) > 0:
		names := "a Conditional Access policy"
		if len(blocking) > 0 {
			names = quoteList(blocking)
		}
		return fmt.Sprintf("The password was right, but %s blocks the app's legacy sign-in (AADSTS%d). An app password cannot satisfy Conditional Access: exclude the account from the policy, or move the app to modern authentication (OAuth).", names, s.ErrorCode)
	case info.Kind == KindMFARequired || info.Kind == KindMFARegister || info.Kind == KindMFANotCompleted:
		return fmt.Sprintf("The app still sends the account's regular password: MFA refuses it (AADSTS%d, %s). Replace the password in the app with the app password.", s.ErrorCode, info.Meaning)
	case info.Kind == KindSecurityDefaults:
		return "Security defaults block every legacy sign-in (AADSTS530035): no app password can work while they are on. Move the app to modern authentication (OAuth)."
	case info.Kind == KindLocked:
		return "The account is locked (AADSTS50053): stop the app until the lockout ends, then type the right secret into it."
	}
	return fmt.Sprintf("Entra refused the app's sign-in with AADSTS%d: %s. See %s.", s.ErrorCode, info.Meaning, CodeURL(s.ErrorCode))
}

// appliedFailures names the policies that failed the sign-in.
func appliedFailures(applied []AppliedPolicy) []string {
	var names []string
	for _, p := range applied {
		if p.Result == "failure" {
			names = append(names, p.Name)
		}
	}
	return names
}

// appWatchRules lets the app's own sign-in re-decide the verdict: its row
// joins the sign-in log's evidence (so the same rules read it), and the
// watch becomes a finding every rendering shows.
func (d *diagnosis) appWatchRules() {
	if d.ev.AppWatch == nil {
		return
	}
	w := d.ev.AppWatch.checked()
	f := Finding{ID: "app-watch-" + string(w.Result), Title: "At the app: " + w.Headline(), Detail: w.Advice(), Source: srcSignInLogs}
	switch w.Result {
	case WatchThrough:
		f.Severity = SeverityInfo
	case WatchFailed:
		f.Severity = SeverityProblem
	default:
		f.Severity = SeverityWarning
	}
	d.add(f)
}

// withAppSignIn adds the app's own sign-in to the log's rows, when the log
// was read, so that the rules judge it with the rest.
func withAppSignIn(ev Evidence) Evidence {
	w := ev.AppWatch
	if w == nil || w.checked().SignIn == nil || w.checked().Result == WatchUnchecked || !ev.SignIns.Known() {
		return ev
	}
	rows := make([]SignIn, 0, len(ev.SignIns.Value)+1)
	rows = append(append(rows, *w.SignIn), ev.SignIns.Value...)
	ev.SignIns.Value = rows
	return ev
}

// watchRowCounted reports that withAppSignIn put the watch's sign-in at
// the head of the sign-in rows.
func (ev Evidence) watchRowCounted() bool {
	w := ev.AppWatch
	if w == nil || w.checked().SignIn == nil || w.checked().Result == WatchUnchecked || len(ev.SignIns.Value) == 0 {
		return false
	}
	head, seen := ev.SignIns.Value[0], *w.SignIn
	return head.Time.Equal(seen.Time) && head.IPAddress == seen.IPAddress && head.ErrorCode == seen.ErrorCode
}

// lines renders the watch for the text report, each line indented.
func (w *AppWatch) lines(indent string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s%s\n%s%s\n", indent, w.Headline(), indent, w.Advice())
	return b.String()
}
