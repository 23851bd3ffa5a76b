package steps

import (
	"slices"

	"github.com/apppass/apppass/diagnose"
)

// Screen is one row of the screen table. A screen is one file plus one
// row here: the wizard derives the flow, the step bar and the plan's
// screens from this table.
type Screen struct {
	ID    ID
	Title string // the step bar's short name
	// Plan is the plan step the screen carries out; empty for screens every
	// path shows.
	Plan diagnose.StepID
	// Offered, when set, shows the screen only when it returns true (a
	// remedy the person asked for); such a screen is not in the step bar
	// until then.
	Offered func(*Session) bool
	New     func(*Common) Step
}

// Screens is every screen after the demo's picker, in flow order. (A
// function, because the summary's screen reads the table it is in.)
func Screens() []Screen {
	return []Screen{
		{ID: IDWelcome, Title: "Welcome", New: NewWelcome},
		{ID: IDSignIn, Title: "Sign in", New: NewSignIn},
		{ID: IDConnection, Title: "Connection", New: NewConnection},
		{ID: IDDiagnosis, Title: "Diagnosis", New: NewDiagnosis},
		{ID: IDAllow, Title: "Allow", Plan: diagnose.StepAllowAppPasswords, New: NewAllowAppPasswords},
		{ID: IDEnable, Title: "Enable MFA", Plan: diagnose.StepEnableMFA, New: NewEnableMFA},
		{ID: IDEnforce, Title: "Enforce MFA", Plan: diagnose.StepEnforceMFA, New: NewEnforceMFA},
		{ID: IDSignOut, Title: "Sign-out", Plan: diagnose.StepSignOut, New: NewSignOut},
		{ID: IDCreate, Title: "App password", Plan: diagnose.StepCreateAppPassword, New: NewCreateAppPassword},
		{ID: IDReEnable, Title: "Re-enable MFA", Offered: func(s *Session) bool { return s.OptionMissing }, New: NewReEnable},
		{ID: IDTest, Title: "Test", Plan: diagnose.StepTestAppPassword, New: NewTestAppPassword},
		{ID: IDTestOAuth, Title: "OAuth test", Offered: OAuthTestOffered, New: NewTestOAuth},
		{ID: IDWaitApp, Title: "At the app", Offered: WaitForAppOffered, New: NewWaitForApp},
		{ID: IDSummary, Title: "Summary", New: NewSummary},
	}
}

// ScreenByID finds a screen's row.
func ScreenByID(id ID) (Screen, bool) {
	all := Screens()
	i := slices.IndexFunc(all, func(s Screen) bool { return s.ID == id })
	if i < 0 {
		return Screen{}, false
	}
	return all[i], true
}

// Needed says whether the flow shows a screen in this session: every
// path's screens, the plan's, and remedies once offered.
func (sc Screen) Needed(s *Session) bool {
	switch {
	case sc.Offered != nil:
		return sc.Offered(s)
	case sc.Plan == "":
		return true
	}
	return s.Report != nil && slices.Contains(s.Plan, sc.Plan)
}

// ReportSoFar is the diagnosis report with what this run has done: the
// plan being walked, each plan step's outcome, and the SMTP test's reply
// as evidence.
func (s *Session) ReportSoFar() diagnose.Report {
	ev := s.Evidence
	if s.SMTPReply != "" {
		ev.SMTPTest, ev.SMTPTestedAppPassword = diagnose.OK(s.SMTPReply), true
	}
	if s.OAuthResult != "" {
		ev.SMTPOAuthTest = diagnose.OK(s.OAuthResult)
	}
	ev.AppWatch = s.AppWatch
	r := diagnose.Diagnose(ev)
	if s.Rollout {
		r.Plan = s.Plan
	}
	for _, sc := range Screens() {
		if e, ok := s.Outcomes[sc.ID]; ok && sc.Plan != "" {
			r.Results = append(r.Results, diagnose.StepResult{Step: sc.Plan, Outcome: e.Outcome, Detail: e.Detail})
		}
	}
	return r
}

// LeftByHand lists what the summary must say remains: every plan step this
// run did not do, with why, and the plan's steps no screen carries out.
func (s *Session) LeftByHand() []string {
	var left []string
	all := Screens()
	for _, step := range s.Plan {
		i := slices.IndexFunc(all, func(sc Screen) bool { return sc.Plan == step })
		if i < 0 {
			left = append(left, step.Title())
			continue
		}
		e, reached := s.Outcomes[all[i].ID]
		switch {
		case !reached:
			left = append(left, step.Title()+": not reached")
		case e.Outcome != diagnose.OutcomeDone:
			left = append(left, step.Title()+": "+string(e.Outcome)+prefixed(" — ", e.Detail))
		}
	}
	if w := s.AppWatch; w != nil && w.Result != diagnose.WatchThrough {
		left = append(left, "At the app: "+w.Advice())
	}
	return left
}

func prefixed(prefix, s string) string {
	if s == "" {
		return ""
	}
	return prefix + s
}
