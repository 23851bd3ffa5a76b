package diagnose

import (
	"fmt"
	"slices"
	"sort"
	"time"
)

// Report is a diagnosis: the cause in one sentence, whether an app password
// can help, the findings behind it, the plan, and the evidence.
type Report struct {
	GeneratedAt        time.Time `json:"generatedAt"`
	UPN                string    `json:"upn"`
	Service            Service   `json:"service"`
	Cause              string    `json:"cause"`
	AppPasswordCanHelp Answer    `json:"appPasswordCanHelp"`
	// HelpsUntil is the last day (YYYY-MM-DD) an app password works by default, with "until".
	HelpsUntil string `json:"helpsUntil,omitempty"`
	Why        string `json:"why,omitempty"`
	// Settle lists, with "unknown", the checks that would settle the answer and how.
	Settle   []Settle  `json:"settle,omitempty"`
	Findings []Finding `json:"findings"`
	Plan     []StepID  `json:"plan"`
	// Rollout is the classic procedure (allow, enable, enforce, sign-out,
	// create, test), offered as an admin's choice for an account with no MFA
	// at all; empty when it does not apply. It is not part of the fix.
	Rollout []StepID `json:"rollout,omitempty"`
	// Results says what a wizard run did with each step it reached.
	Results []StepResult `json:"results,omitempty"`
	// WayForward is, when the plan is to switch to modern authentication,
	// each route that fits the service with its exact change.
	WayForward []Route  `json:"wayForward,omitempty"`
	Evidence   Evidence `json:"evidence"`
}

// diagnosis is the working state of one Diagnose call.
type diagnosis struct {
	ev            Evidence
	service       Service
	pasted        PastedError
	smtp          *SMTPReply // the SMTP test's reply, else a pasted one
	cal           Calendar
	ca            []CAEffect
	kinds         map[CodeKind]bool
	passwordRight bool
	// appMFA: the app's own legacy sign-ins (or its pasted error) show MFA demanded.
	appMFA   bool
	facts    facts
	findings []Finding
}

// Diagnose judges the evidence. It does no I/O and reads the time only from ev.Now.
func Diagnose(ev Evidence) Report {
	d := &diagnosis{ev: withAppSignIn(ev), kinds: map[CodeKind]bool{}}
	d.pasted = ParsePastedError(ev.PastedError)
	d.service = ev.Service
	if d.service == "" {
		d.service = d.pasted.ServiceHint
	}
	if d.service == "" {
		d.service = ServiceOther
	}
	d.ev.Service = d.service
	d.cal = CalendarFor(d.service, ev.Now, ev.SharePointLegacy)
	if ev.SMTPTest.Known() {
		if r, ok := ParseSMTPReply(ev.SMTPTest.Value); ok {
			d.smtp = &r
		}
	} else if d.pasted.SMTP != nil {
		d.smtp = d.pasted.SMTP
	}
	if ev.Policies.Known() && ev.Account.Known() {
		d.ca = EvaluateCA(ev.Policies.Value, ev.Account.Value, ev.Membership, d.service, ev.NamedLocations.Value)
	}

	d.accountRules()
	d.appWatchRules()
	d.signInRules()
	d.pastedRules()
	d.passwordCheckRules()
	d.smtpRules()
	d.exchangeRules()
	d.oauthRules()
	d.calendarRules()
	d.securityDefaultsRules()
	d.caRules()
	d.mfaRules()
	d.facts = d.gatherFacts()
	d.evidenceGapRules()

	r := Report{GeneratedAt: ev.Now, UPN: ev.UPN, Service: d.service, Evidence: d.ev}
	d.verdict(&r)
	d.rollout(&r)
	d.wayForward(&r)
	r.Findings = d.sortedFindings()
	return r
}

func (d *diagnosis) add(f Finding) { d.findings = append(d.findings, f) }

func (d *diagnosis) sortedFindings() []Finding {
	rank := map[Severity]int{SeverityBlocker: 0, SeverityProblem: 1, SeverityWarning: 2, SeverityInfo: 3}
	out := slices.Clone(d.findings)
	sort.SliceStable(out, func(i, j int) bool { return rank[out[i].Severity] < rank[out[j].Severity] })
	if out == nil {
		out = []Finding{}
	}
	return out
}

func (d *diagnosis) has(id string) bool {
	return slices.ContainsFunc(d.findings, func(f Finding) bool { return f.ID == id })
}

// codeSource is where an AADSTS code was seen.
type codeSource int

const (
	fromApp    codeSource = iota // the app's legacy sign-ins or its pasted error
	fromOther                    // another sign-in in the log (a browser, the password check)
	fromModern                   // the password check: a modern sign-in
)

// noteCode records what an AADSTS code says. Facts about the account or the
// tenant count from any sign-in; what a policy demanded of a sign-in counts
// only from the app's own, since modern and legacy sign-ins are judged apart.
func (d *diagnosis) noteCode(code int, src codeSource) {
	info := LookupCode(code)
	switch info.Kind {
	case KindLocked, KindDisabled, KindNoSuchUser, KindPasswordExpired, KindSecurityDefaults, KindRevoked:
		d.kinds[info.Kind] = true
	default:
		if src == fromApp {
			d.kinds[info.Kind] = true
		}
	}
	if src == fromApp && (info.Kind == KindMFARequired || info.Kind == KindMFARegister || info.Kind == KindMFANotCompleted) {
		d.appMFA = true
	}
	if info.PasswordRight {
		d.passwordRight = true
	}
}

// perUserState is the per-user MFA state, or "" when unknown.
func (d *diagnosis) perUserState() string {
	if d.ev.PerUserMFA.Known() {
		return d.ev.PerUserMFA.Value
	}
	return ""
}

// registered is whether the account has an MFA-capable method (known tells if we know).
func (d *diagnosis) registered() (registered, known bool) {
	if !d.ev.Methods.Known() {
		return false, false
	}
	return slices.ContainsFunc(d.ev.Methods.Value, func(m string) bool { return m != "password" }), true
}

func (d *diagnosis) caBlocking() []CAEffect {
	var out []CAEffect
	for _, e := range d.ca {
		if e.Counts() {
			out = append(out, e)
		}
	}
	return out
}

func dateString(t time.Time) string { return t.Format("2006-01-02") }

func humanDate(t time.Time) string { return t.Format("2 January 2006") }

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
