package diagnose

import (
	"slices"
	"sort"
	"time"
)

// fact is what the evidence says of one question: proved, disproved, or left open.
type fact int8

// The three answers a fact can have.
const (
	open fact = iota
	disproved
	proved
)

func factOf(b bool) fact {
	if b {
		return proved
	}
	return disproved
}

// Settle is one check that could change an unknown answer, and how to settle it.
type Settle struct {
	Check Check  `json:"check"`
	How   string `json:"how"`
}

// facts are the questions the verdict rests on, each answered only from
// evidence that was read. Open facts carry the checks that would settle them.
type facts struct {
	missing, disabled, retired, securityDefaults, caBlocks, smtpOff, mfa fact
	// caNames are the policies Microsoft's sign-in log or a sure local
	// evaluation names as blocking.
	caNames []string
	// caFromLog: the sign-in log itself names the block.
	caFromLog bool
	settle    map[Check]string
}

func (f *facts) need(c Check, how string) {
	if _, ok := f.settle[c]; !ok {
		f.settle[c] = how
	}
}

// settleList returns the open checks in checklist order.
func (f *facts) settleList() []Settle {
	out := make([]Settle, 0, len(f.settle))
	for c, how := range f.settle {
		out = append(out, Settle{Check: c, How: how})
	}
	order := append(slices.Clone(Checks), CheckAppPasswords, CheckPassword, CheckSMTP)
	sort.Slice(out, func(i, j int) bool {
		return slices.Index(order, out[i].Check) < slices.Index(order, out[j].Check)
	})
	return out
}

// howToSettle says what would turn a failed, denied or unlicensed read into an answer.
func (d *diagnosis) howToSettle(status Status, missing, err string) string {
	switch status {
	case StatusDenied:
		return "run apppass as someone with " + orDefault(missing, "a role that can read it") + " (a PIM-eligible admin activates the role first)"
	case StatusLicence:
		how := "the tenant needs " + missing
		if d.service == ServiceSMTP {
			how += "; without it, the SMTP AUTH test of the app password settles the answer"
		}
		return how
	case StatusFailed:
		return "retry the check (" + err + ")"
	}
	return "run the check"
}

// gather answers every fact from the evidence.
func (d *diagnosis) gatherFacts() facts {
	f := facts{settle: map[Check]string{}}
	ev := d.ev
	acct := ev.Account
	switch {
	case acct.Status == StatusMissing || d.kinds[KindNoSuchUser]:
		f.missing, f.disabled = proved, disproved
	case acct.Known():
		f.missing, f.disabled = disproved, factOf(!acct.Value.Enabled)
	default:
		f.need(CheckAccount, d.howToSettle(acct.Status, acct.Missing, acct.Err))
	}
	if d.kinds[KindDisabled] {
		f.disabled = proved
	}

	f.retired = factOf(!d.cal.Open)
	if d.cal.Unsure {
		f.retired = open
		f.need(CheckSharePoint, d.howToSettle(ev.SharePointLegacy.Status, ev.SharePointLegacy.Missing, ev.SharePointLegacy.Err))
	}

	sd := ev.SecurityDefaults
	switch {
	case d.kinds[KindSecurityDefaults] || sd.Known() && sd.Value:
		f.securityDefaults = proved
	case sd.Known():
		f.securityDefaults = disproved
	case d.smtp != nil && d.smtp.Meaning == SMTPAccepted:
		f.securityDefaults = disproved // a legacy sign-in just got through
	default:
		f.need(CheckSecurityDefaults, d.howToSettle(sd.Status, sd.Missing, sd.Err))
	}

	d.caFacts(&f)
	d.smtpFacts(&f)
	d.mfaFacts(&f)
	return f
}

// caFacts: Microsoft's record first (the app's newest legacy sign-in that
// passed the first factor), then the local evaluation of the policies.
func (d *diagnosis) caFacts(f *facts) {
	if newest, ok := d.newestAppCASignIn(); ok {
		for _, a := range newest.Applied {
			if a.Result == "failure" {
				f.caNames = append(f.caNames, a.Name)
			}
		}
		switch {
		case len(f.caNames) > 0 || newest.CAStatus == "failure" || newest.ErrorCode == 53003:
			f.caBlocks, f.caFromLog = proved, true
			return
		case newest.CAStatus == "success" || newest.CAStatus == "notApplied":
			f.caBlocks = disproved
			return
		}
	}
	if d.kinds[KindCABlocked] {
		f.caBlocks = proved
		return
	}
	if d.smtp != nil && d.smtp.Meaning == SMTPAccepted {
		f.caBlocks = disproved
		return
	}
	pol := d.ev.Policies
	switch {
	case !pol.Known():
		f.caBlocks = open
		f.need(CheckConditional, d.howToSettle(pol.Status, pol.Missing, pol.Err))
		return
	case !d.ev.Account.Known():
		f.caBlocks = open // scope needs the account's id; the account's gap says how
		return
	}
	f.caBlocks = disproved
	for _, e := range d.ca {
		switch {
		case e.Counts():
			f.caBlocks = proved
			f.caNames = append(f.caNames, e.Policy.Name)
		case e.Undecided() && f.caBlocks != proved:
			f.caBlocks = open
			m := d.ev.Membership
			f.need(CheckMembership, d.howToSettle(m.Status, m.Missing, m.Err))
		case e.MayBlock() && f.caBlocks != proved:
			// Whether the policy applies depends on something nothing read
			// can place (where the app runs, its platform, device or risk):
			// only the app's own sign-in, past the first factor, says so.
			// Until then the answer is unknown, not "yes" with a warning.
			f.caBlocks = open
			if s := d.ev.SignIns; !s.Known() {
				f.need(CheckSignIns, d.howToSettle(s.Status, s.Missing, s.Err)+"; the app's own sign-ins show whether policy '"+e.Policy.Name+"' applies to it")
			} else {
				f.need(CheckConditional, "policy '"+e.Policy.Name+"' blocks legacy clients "+e.Depends+", which nothing apppass read can place: let the app try again and re-run apppass to read Microsoft's record of its sign-in (the sign-in log names every policy that applied), or run the SMTP AUTH test on the machine the app runs on")
			}
		}
	}
}

// smtpFacts: whether SMTP AUTH is switched off for the app's mailbox. No API
// reads the switches: an SMTP reply settles it; before Microsoft's default-off
// it is on unless an admin turned it off, after it nobody can tell without a test.
func (d *diagnosis) smtpFacts(f *facts) {
	switch {
	case d.service != ServiceSMTP:
		f.smtpOff = disproved
	case d.smtp != nil && d.smtp.Meaning.SwitchedOff():
		f.smtpOff = proved
	case d.smtp != nil && d.smtp.Meaning.PastTheSwitch():
		f.smtpOff = disproved
	case d.smtp != nil && d.smtp.Meaning == SMTPBasicRefused:
		f.smtpOff = open // 550 5.7.30: no switch Microsoft names undoes it (verdict.go)
	case d.exchangeFacts(f):
		// Exchange's switches answered (exchange.go); an SMTP reply above wins.
	case d.ev.Now.After(SMTPAuthLastDefaultOn.AddDate(0, 0, 1)):
		f.smtpOff = open
		f.need(CheckSMTP, "SMTP AUTH Basic is off by default since the end of December 2026 and no Graph API reads the switch: run the SMTP AUTH test (apppass diagnose --user <account> --service smtp --test-smtp, or the wizard's test)")
	case d.tenantCreatedAfterDefaultOff():
		f.smtpOff = open
		f.need(CheckSMTP, "the organisation was created after January 2020, and SMTP AUTH is disabled by default in such organisations unless an Exchange admin turned it on; no Graph API reads the switch: run the SMTP AUTH test (apppass diagnose --user <account> --service smtp --test-smtp, or the wizard's test)")
	case d.ev.TenantCreated.Status != "" && !d.ev.TenantCreated.Known():
		// Gathering read it and failed (evidence built without the read,
		// as older saved reports are, keeps the older presumption).
		f.smtpOff = open
		f.need(CheckSMTP, "apppass could not read when the organisation was created, and SMTP AUTH is disabled by default in organisations created after January 2020; no Graph API reads the switch: run the SMTP AUTH test (apppass diagnose --user <account> --service smtp --test-smtp, or the wizard's test)")
	default:
		f.smtpOff = disproved // an older organisation: on unless an admin turned it off
	}
	if how, ok := f.settle[CheckSMTP]; ok && f.smtpOff == open {
		if gap := d.exchangeGap(); gap != "" {
			f.settle[CheckSMTP] = how + "; " + gap
		}
	}
}

// SMTPAuthDefaultOffForTenantsSince is the first day of the organisations
// whose SMTP AUTH is disabled by default: "This is the default value for
// organizations created after January 2020" (Set-TransportConfig).
var SMTPAuthDefaultOffForTenantsSince = time.Date(2020, 2, 1, 0, 0, 0, 0, time.UTC)

// tenantCreatedAfterDefaultOff reports an organisation created after January 2020.
func (d *diagnosis) tenantCreatedAfterDefaultOff() bool {
	c := d.ev.TenantCreated
	return c.Known() && !c.Value.Before(SMTPAuthDefaultOffForTenantsSince)
}

// mfaFacts: whether per-user MFA is what refuses the app's password, the one
// cause an app password fixes. Only the per-user state, the app's own legacy
// sign-ins, its pasted error or the SMTP test say so; a modern sign-in's
// 50076 (the password check) does not (M365-FACTS.md section 8).
func (d *diagnosis) mfaFacts(f *facts) {
	reg, regKnown := d.registered()
	legacyMFA := d.appMFA
	switch d.perUserState() {
	case "enforced":
		f.mfa = proved
	case "enabled":
		switch {
		case legacyMFA:
			f.mfa = proved
		case regKnown && !reg:
			f.mfa = disproved // legacy apps keep the password until the account registers
		default:
			f.mfa = open
			if d.ev.SignIns.Known() {
				f.need(CheckSMTP, "per-user MFA is Enabled, which does not prove legacy sign-ins need an app password: test the app's current password against SMTP AUTH, or let the app try again and re-run to read its sign-in")
			} else {
				f.need(CheckSignIns, d.howToSettle(d.ev.SignIns.Status, d.ev.SignIns.Missing, d.ev.SignIns.Err)+"; the sign-in log shows whether MFA refuses the app's legacy sign-ins")
			}
		}
	case "disabled":
		f.mfa = disproved
		if legacyMFA {
			f.mfa = open // MFA demanded of legacy sign-ins while per-user MFA is off: the evidence disagrees
			f.need(CheckPerUserMFA, "the sign-in log shows MFA demanded of the app's legacy sign-ins although per-user MFA is disabled: re-run later to read both again")
		}
	default:
		f.mfa = open
		if legacyMFA {
			f.mfa = proved
		} else {
			m := d.ev.PerUserMFA
			f.need(CheckPerUserMFA, d.howToSettle(m.Status, m.Missing, m.Err))
		}
	}
	if d.smtp != nil && d.smtp.Meaning == SMTPPolicyCriteria && f.caBlocks == disproved && f.securityDefaults == disproved && f.mfa == open {
		f.mfa = proved // policy refused a checked password and neither CA nor security defaults did it
		delete(f.settle, CheckPerUserMFA)
		delete(f.settle, CheckSignIns)
		delete(f.settle, CheckSMTP)
	}
}

// blockerOpen reports an open fact that could make the answer "no".
func (f *facts) blockerOpen() bool {
	return f.missing == open || f.disabled == open || f.retired == open || f.securityDefaults == open || f.caBlocks == open
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
