package scan

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/evidence"
	"github.com/apppass/apppass/graphclient"
)

// Row is one account of a scan: what it signs in with, what failed, its
// MFA facts, the verdict (diagnose's, for the account's most urgent
// service) and what happens to it when SMTP AUTH Basic goes off.
type Row struct {
	UPN         string           `json:"upn"`
	DisplayName string           `json:"displayName,omitempty"`
	Service     diagnose.Service `json:"service"`
	// Protocols are the legacy clientAppUsed values seen, most used first.
	Protocols []string `json:"protocols"`
	// Apps are the appDisplayName values of those sign-ins.
	Apps       []string  `json:"apps"`
	SignIns    int       `json:"legacySignIns"`
	LastLegacy time.Time `json:"lastLegacySignIn"`
	// LastClientApp, LastIPAddress and LastLocation are the newest legacy
	// sign-in's client app and where it came from: what finds the sender.
	LastClientApp string `json:"lastClientApp"`
	LastIPAddress string `json:"lastIpAddress"`
	LastLocation  string `json:"lastLocation"`
	// Fate is what the account's legacy sign-ins do now and at the SMTP
	// AUTH default-off, read from its own rows; the headline counts it.
	Fate Fate `json:"fate"`
	// Change is how the account moved since an earlier scan (--compare).
	Change Change `json:"change,omitempty"`
	// LastEmailActivity is the usage report's last activity date (any
	// email app), when the scan read the report instead of the log.
	LastEmailActivity string `json:"lastEmailActivity,omitempty"`
	// Failures counts the failed legacy sign-ins by AADSTS code.
	Failures map[int]int `json:"failuresByCode"`
	// PerUserMFA is the per-user MFA state, "" when it could not be read.
	PerUserMFA string `json:"perUserMfa"`
	// Methods are the registered methods (nil when they could not be read).
	Methods    []string        `json:"methods"`
	Answer     diagnose.Answer `json:"appPasswordCanHelp"`
	HelpsUntil string          `json:"helpsUntil,omitempty"`
	Why        string          `json:"why,omitempty"`
	Cause      string          `json:"cause"`
	// AtDefaultOff says what happens to the account when SMTP AUTH Basic
	// goes off by default (after 31 December 2026).
	AtDefaultOff string `json:"atDefaultOff"`
	// SMTPAuth is the mailbox's SMTP AUTH switch as Exchange's admin
	// endpoint reads it (SMTP accounts): "on" or "off" and whose setting
	// decides it, or "could not check" and why; "" when not read.
	SMTPAuth string `json:"smtpAuth,omitempty"`
	// Evidence is what the verdict rests on, for the wizard to start from.
	Evidence diagnose.Evidence `json:"-"`
}

// serviceOf is the account's most urgent service: SMTP AUTH (the path that
// closes next) when it sends with it, else mailbox access, else the rest.
func serviceOf(a *account) diagnose.Service {
	if a.usage != nil {
		if len(a.usage.SMTP) > 0 {
			return diagnose.ServiceSMTP
		}
		return diagnose.ServiceExchange
	}
	mailbox := false
	for _, r := range a.rows {
		switch r.ClientAppUsed {
		case "Authenticated SMTP":
			return diagnose.ServiceSMTP
		case "Other clients":
		default:
			mailbox = true
		}
	}
	if mailbox {
		return diagnose.ServiceExchange
	}
	return diagnose.ServiceOther
}

// judge gathers the account's evidence exactly as diagnose does (from the
// reads already made) and judges it.
func judge(ctx context.Context, g accountGraph, a *account, opts Options) Row {
	service := serviceOf(a)
	ev := evidence.Gather(ctx, g.forGather(), evidence.Request{UPN: a.upn, Service: service, Now: opts.Now,
		SignInsSince: time.Duration(opts.Days) * 24 * time.Hour}, nil)
	r := diagnose.Diagnose(ev)
	row := Row{UPN: a.upn, Service: service, SignIns: len(a.rows), Failures: map[int]int{},
		Answer: r.AppPasswordCanHelp, HelpsUntil: r.HelpsUntil, Why: r.Why, Cause: r.Cause, Evidence: ev}
	if ev.Account.Known() {
		row.DisplayName = ev.Account.Value.DisplayName
	}
	if ev.PerUserMFA.Known() {
		row.PerUserMFA = ev.PerUserMFA.Value
	}
	if ev.Methods.Known() {
		row.Methods = ev.Methods.Value
	}
	uses := map[string]int{}
	apps := map[string]bool{}
	for _, s := range a.rows {
		uses[s.ClientAppUsed]++
		if s.AppDisplayName != "" && !apps[s.AppDisplayName] {
			apps[s.AppDisplayName] = true
			row.Apps = append(row.Apps, s.AppDisplayName)
		}
		if s.Failed() {
			row.Failures[s.Status.ErrorCode]++
		}
	}
	if len(a.rows) > 0 {
		newest := a.rows[0]
		row.LastLegacy, row.LastClientApp = newest.Created, newest.ClientAppUsed
		row.LastIPAddress, row.LastLocation = newest.IPAddress, newest.Location.String()
	}
	row.Fate = fateOf(a, ev.SignIns.Known(), opts.Now)
	if a.usage != nil {
		row.LastEmailActivity = a.usage.LastActivityDate
		for _, p := range a.usage.LegacyProtocols() {
			uses[p] = 1
		}
	}
	for p := range uses {
		row.Protocols = append(row.Protocols, p)
	}
	sort.Slice(row.Protocols, func(i, j int) bool {
		if uses[row.Protocols[i]] != uses[row.Protocols[j]] {
			return uses[row.Protocols[i]] > uses[row.Protocols[j]]
		}
		return row.Protocols[i] < row.Protocols[j]
	})
	slices.Sort(row.Apps)
	row.SMTPAuth = smtpSwitch(ev.Exchange)
	row.AtDefaultOff = atDefaultOff(row, opts.Now)
	return row
}

// Fate is what an account's legacy sign-ins do now and at the SMTP AUTH
// default-off, from its own rows.
type Fate string

// The fates, in the headline's order.
const (
	// FateFailing: the newest legacy sign-in (SMTP's, for an account that
	// sends with SMTP AUTH) failed: the app does not work today.
	FateFailing Fate = "failing now"
	// FateBreaks: it succeeded over SMTP AUTH before the default-off, which
	// turns that off unless an admin turns it back on.
	FateBreaks Fate = "works now, breaks at the default-off"
	// FateWorksAfter: it succeeded and the default-off does not stop it:
	// SMTP AUTH after the default-off (an admin re-enabled it), or another
	// legacy protocol the SMTP change does not touch.
	FateWorksAfter Fate = "works after the default-off"
	// FateCannotTell: the account's sign-ins could not all be read.
	FateCannotTell Fate = "cannot tell"
)

// Fates are the fates in the headline's order.
var Fates = []Fate{FateFailing, FateBreaks, FateWorksAfter, FateCannotTell}

// fateOf reads the account's fate from its newest SMTP AUTH sign-in (or
// its newest legacy sign-in when it has none); read is false when a part
// of the log could not be read.
func fateOf(a *account, read bool, now time.Time) Fate {
	if !read || len(a.rows) == 0 {
		return FateCannotTell
	}
	newest := a.rows[0]
	smtp := false
	for _, r := range a.rows { // newest first
		if r.ClientAppUsed == "Authenticated SMTP" {
			newest, smtp = r, true
			break
		}
	}
	switch {
	case newest.Failed():
		return FateFailing
	case smtp && now.Before(diagnose.SMTPAuthLastDefaultOn.AddDate(0, 0, 1)): // through 31 December
		return FateBreaks
	}
	return FateWorksAfter
}

// atDefaultOff says, in a few words, what the SMTP AUTH default-off does
// to the account.
func atDefaultOff(row Row, now time.Time) string {
	smtp := slices.Contains(row.Protocols, "Authenticated SMTP")
	after := now.After(diagnose.SMTPAuthLastDefaultOn)
	days := int(diagnose.SMTPAuthLastDefaultOn.Sub(now).Hours()/24) + 1
	switch {
	case !smtp && row.Fate == FateWorksAfter:
		return "not affected by the SMTP change"
	case !smtp && row.Service == diagnose.ServiceExchange:
		return "already refused: Basic auth for mailbox protocols has been off since October 2022"
	case !smtp:
		return "not affected by the SMTP change; its legacy sign-ins are refused or retiring already"
	case switchOff(row.Evidence.Exchange):
		// Exchange refuses before Entra logs anything: its rows can look
		// fine while the mailbox's switch, read now, says off.
		return "SMTP AUTH is off for this mailbox now (" + row.SMTPAuth + "): its app cannot send until an admin turns it on for the mailbox"
	case row.Fate == FateBreaks:
		// Its own SMTP sign-ins work today, whatever an app password could do.
		return fmt.Sprintf("works now; breaks after 31 December 2026 (in %d days) unless an admin turns SMTP AUTH Basic back on: move it to OAuth", days)
	case row.Fate == FateWorksAfter && after:
		return "works only where an admin has turned SMTP AUTH Basic back on; move it to OAuth"
	case row.Answer == diagnose.AnswerNo:
		return "already refused: " + row.Why
	case row.Answer == diagnose.AnswerUnknown:
		return "unknown: " + row.Why
	case after:
		return "works only where an admin has turned SMTP AUTH Basic back on; move it to OAuth"
	case row.Fate == FateFailing:
		// Its sign-ins fail today: it does not "break" at the default-off,
		// but the fix that works now (an app password) stops working then.
		return fmt.Sprintf("failing now; an app password would carry it only until 31 December 2026 (in %d days), when SMTP AUTH Basic goes off by default: move it to OAuth", days)
	}
	return fmt.Sprintf("breaks after 31 December 2026 (in %d days) unless an admin turns SMTP AUTH Basic back on: move it to OAuth", days)
}

// sortByUrgency orders rows most urgent first, by fate in the headline's
// order (failing now, then works now and breaks at the default-off, then
// works after it, then cannot tell): within a fate, the account with the
// most failed legacy sign-ins first, then the most recent sign-in first.
// The table and every export keep this one order.
func sortByUrgency(rows []Row) {
	slices.SortStableFunc(rows, func(a, b Row) int {
		if fa, fb := fateRank(a.Fate), fateRank(b.Fate); fa != fb {
			return fa - fb
		}
		if fa, fb := a.failed(), b.failed(); fa != fb {
			return fb - fa
		}
		return b.LastLegacy.Compare(a.LastLegacy)
	})
}

// fateRank is the fate's place in Fates; a fate it does not know goes last.
func fateRank(f Fate) int {
	if i := slices.Index(Fates, f); i >= 0 {
		return i
	}
	return len(Fates)
}

// failed counts the account's failed legacy sign-ins.
func (r Row) failed() int {
	n := 0
	for _, c := range r.Failures {
		n += c
	}
	return n
}

var _ evidence.Graph = accountGraph{}
var _ Graph = (*graphclient.Client)(nil)

// smtpSwitch words the Exchange read of the mailbox's SMTP AUTH switch
// for the exports: a failed or refused read is "could not check", never on.
func smtpSwitch(x diagnose.Item[diagnose.ExchangeSwitches]) string {
	switch {
	case x.Status == diagnose.StatusNotRun || x.Status == "":
		return ""
	case !x.Known():
		why := x.Missing
		if why == "" {
			why = x.Err
		}
		if why == "" {
			return "could not check"
		}
		return "could not check: " + why
	}
	state := map[bool]string{true: "on", false: "off"}[x.Value.SwitchOn()]
	if x.Value.MailboxDisabled != nil {
		return state + ", the mailbox's own setting"
	}
	return state + ", the organisation's setting (the mailbox inherits)"
}

// switchOff says the Exchange read proves SMTP AUTH off for the mailbox.
func switchOff(x diagnose.Item[diagnose.ExchangeSwitches]) bool {
	return x.Known() && !x.Value.SwitchOn()
}
