package flow

import (
	"slices"

	"github.com/apppass/apppass/diagnose"
)

// ID names a stage (a screen of the full-screen wizard, a section of plain mode).
type ID string

// The stages, in flow order (Screens).
const (
	IDWelcome    ID = "welcome"
	IDSignIn     ID = "sign-in"
	IDConnection ID = "connection"
	IDDiagnosis  ID = "diagnosis"
	IDSMTPAuth   ID = "enable-smtp-auth"
	IDAllow      ID = "allow-app-passwords"
	IDEnable     ID = "enable-mfa"
	IDEnforce    ID = "enforce-mfa"
	IDSignOut    ID = "sign-out"
	IDCreate     ID = "create-app-password"
	IDReEnable   ID = "re-enable-mfa"
	IDTest       ID = "test-app-password"
	IDTestOAuth  ID = "test-oauth-smtp"
	IDWaitApp    ID = "wait-for-app"
	IDSummary    ID = "summary"
)

// Screen is one row of the stage table: the flow, the step bar and the
// plan's stages derive from it. A front end adds only how it shows each.
type Screen struct {
	ID    ID
	Title string // the step bar's short name
	// Plan is the plan step the stage carries out; empty for stages every
	// path shows.
	Plan diagnose.StepID
	// Offered, when set, shows the stage only when it returns true (a
	// remedy the person asked for); such a stage is not in the step bar
	// until then.
	Offered func(*Session) bool
}

// Screens is every stage after the demo's picker, in flow order.
func Screens() []Screen {
	return []Screen{
		{ID: IDWelcome, Title: "Welcome"},
		{ID: IDSignIn, Title: "Sign in"},
		{ID: IDConnection, Title: "Connection"},
		{ID: IDDiagnosis, Title: "Diagnosis"},
		{ID: IDSMTPAuth, Title: "SMTP AUTH", Plan: diagnose.StepEnableSMTPAuth},
		{ID: IDAllow, Title: "Allow", Plan: diagnose.StepAllowAppPasswords},
		{ID: IDEnable, Title: "Enable MFA", Plan: diagnose.StepEnableMFA},
		{ID: IDEnforce, Title: "Enforce MFA", Plan: diagnose.StepEnforceMFA},
		{ID: IDSignOut, Title: "Sign-out", Plan: diagnose.StepSignOut},
		{ID: IDCreate, Title: "App password", Plan: diagnose.StepCreateAppPassword},
		{ID: IDReEnable, Title: "Re-enable MFA", Offered: func(s *Session) bool { return s.OptionMissing }},
		{ID: IDTest, Title: "Test", Plan: diagnose.StepTestAppPassword},
		{ID: IDTestOAuth, Title: "OAuth test", Offered: OAuthTestOffered},
		{ID: IDWaitApp, Title: "At the app", Offered: WaitForAppOffered},
		{ID: IDSummary, Title: "Summary"},
	}
}

// ScreenByID finds a stage's row.
func ScreenByID(id ID) (Screen, bool) {
	all := Screens()
	i := slices.IndexFunc(all, func(s Screen) bool { return s.ID == id })
	if i < 0 {
		return Screen{}, false
	}
	return all[i], true
}

// Needed says whether the flow shows a stage in this session: every
// path's stages, the plan's, and remedies once offered.
func (sc Screen) Needed(s *Session) bool {
	switch {
	case sc.Offered != nil:
		return sc.Offered(s)
	case sc.Plan == "":
		return true
	}
	return s.Report != nil && slices.Contains(s.Plan, sc.Plan)
}

// Next is the stage after from that the flow shows in this session; ok is
// false after the last.
func (s *Session) Next(from ID) (ID, bool) {
	all := Screens()
	i := slices.IndexFunc(all, func(sc Screen) bool { return sc.ID == from })
	for _, sc := range all[i+1:] {
		if sc.Needed(s) {
			return sc.ID, true
		}
	}
	return "", false
}

// Previous is the stage esc goes back to from from: the nearest earlier
// stage the flow shows that is not an offered remedy.
func (s *Session) Previous(from ID) (ID, bool) {
	all := Screens()
	i := slices.IndexFunc(all, func(sc Screen) bool { return sc.ID == from })
	for j := i - 1; j >= 0; j-- {
		if all[j].Needed(s) && all[j].Offered == nil {
			return all[j].ID, true
		}
	}
	return "", false
}

// OAuthTestOffered offers the OAuth route's test where the plan is to move an
// SMTP app to modern authentication (from the diagnosis, or since a test
// reply decided the verdict again).
func OAuthTestOffered(s *Session) bool {
	return s.Report != nil && s.Target.Service == diagnose.ServiceSMTP && slices.Contains(s.Plan, diagnose.StepModernAuth)
}

// WaitForAppOffered offers the watch for the app's own sign-in where the plan
// puts an app password into the app and no reply has ruled it out since.
func WaitForAppOffered(s *Session) bool {
	return !s.RuledOut && (slices.Contains(s.Plan, diagnose.StepCreateAppPassword) || slices.Contains(s.Plan, diagnose.StepTestAppPassword))
}

// AllowConfirmed is the allow stage's decision when the person says the
// tenant setting is on: no API reads it, so it is done on their word, and
// the record names them, since the note is read by someone else.
func (s *Session) AllowConfirmed() Ended {
	who := s.Me.DisplayName
	if who == "" {
		who = s.Me.UserPrincipalName
	}
	if who == "" {
		who = "the person who ran apppass"
	}
	return Ended{Outcome: diagnose.OutcomeDone, Detail: "confirmed by " + who + "; no API can read this setting"}
}
