package steps

import (
	"context"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/flow"
	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/termsafe"
)

// IDCreate is the "create the app password" screen.
const IDCreate = flow.IDCreate

// Created is what the create screen learned.
type Created = flow.Created

// ownerCreated is the simulated owner's new app password.
type ownerCreated string

// CreateAppPassword guides the account owner; no API can create or see app
// passwords, so the screen checks what can be checked and says the rest.
type CreateAppPassword struct {
	base
	mfa       mfaReading
	mfaErr    error
	read      bool
	created   string
	createErr error
	missing   bool // the "I don't see App password" checks are open
}

// NewCreateAppPassword builds the screen.
func NewCreateAppPassword(c *Common) Step {
	return &CreateAppPassword{base: newBase(c, IDCreate)}
}

// Init implements Step: read the live prerequisites that can be read.
func (s *CreateAppPassword) Init() tea.Cmd {
	g, id := s.c.Graph, s.c.Session.Target.User.ID
	return do(&s.base, func(ctx context.Context) (mfaReading, error) { return readMFAState(ctx, g, id) })
}

// Update implements Step.
func (s *CreateAppPassword) Update(msg tea.Msg) (Step, tea.Cmd) {
	if r, ok := mine[mfaReading](&s.base, msg); ok {
		s.mfa, s.mfaErr, s.read = r.value, r.err, true
		return s, nil
	}
	if r, ok := mine[ownerCreated](&s.base, msg); ok {
		s.created, s.createErr = string(r.value), r.err
		s.missing = r.err != nil // the option is not there: show why it may not be
		return s, nil
	}
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return s, nil
	}
	if s.missing {
		switch {
		case key.Matches(k, keys.Remedy) && s.remedyApplies():
			return s, s.finishTo(IDReEnable, diagnose.OutcomeUnknown, "the owner sees no App password option", Created{OptionMissing: true})
		case key.Matches(k, keys.Close):
			s.missing = false
		}
		return s, nil
	}
	switch {
	case key.Matches(k, keys.Create) && s.c.StandIns.CreateAppPassword != nil && s.created == "":
		create, upn := s.c.StandIns.CreateAppPassword, s.c.Session.Target.UPN
		return s, do(&s.base, func(context.Context) (ownerCreated, error) {
			pw, err := create(upn)
			return ownerCreated(pw), err
		})
	case key.Matches(k, keys.Missing):
		s.missing = true
	case key.Matches(k, keys.Open) && s.c.Cloud.SecurityInfoURL != "":
		if err := s.c.Open(s.c.Cloud.SecurityInfoURL); err != nil {
			return s, flash("Could not open a browser here: open the Security info address yourself.")
		}
		return s, flash("Opening Security info in your browser.")
	case key.Matches(k, keys.Confirm):
		detail := "confirmed by the owner; no API can see app passwords"
		if s.created != "" {
			detail = "created by the simulated owner"
		}
		return s, s.finish(diagnose.OutcomeDone, detail, Created{DemoPassword: s.created, At: s.c.Now()})
	case key.Matches(k, keys.Enter):
		if s.created != "" {
			return s, s.finish(diagnose.OutcomeDone, "created by the simulated owner", Created{DemoPassword: s.created, At: s.c.Now()})
		}
		return s, s.finish(diagnose.OutcomeSkipped, "not confirmed; the test shows whether it exists", Created{At: s.c.Now()})
	}
	return s, nil
}

// remedyApplies: the KB's disable-and-re-enable is for an account whose
// per-user MFA reads Enabled.
func (s *CreateAppPassword) remedyApplies() bool {
	return s.read && s.mfaErr == nil && s.mfa.state == graphclient.MFAEnabled
}

// Modal implements Modal: esc closes the checks.
func (s *CreateAppPassword) Modal() bool { return s.missing }

// View implements Step.
func (s *CreateAppPassword) View() string {
	st := s.c.Styles
	out := st.Title.Render("Create the app password") + st.Subtle.Render("  by the account owner · no API") + "\n\n"
	if s.missing {
		return out + s.missingView()
	}
	out += s.prerequisites() + "\n"
	out += s.c.wrap("Signed in as "+termsafe.Clean(s.c.Session.Target.UPN)+", the owner:") + "\n"
	out += "  1. Open " + st.URL.Render(s.securityInfoURL()) + "\n" +
		"  2. + Add sign-in method › App password › Add\n" +
		"  3. A name of at least 8 characters, after the app (\"backup tool\") › Next\n" +
		"  4. Copy the password now: it is shown once. Paste it into the app's\n     password field in place of the regular password.\n\n" +
		s.c.wrap(st.Subtle.Render("If MFA changed just now, sign out and in again first: changes can take time to propagate. No API can create, list or see app passwords, so apppass cannot check this step; the next screen tests the result. An account can have at most 40.")) + "\n"
	if s.c.StandIns.CreateAppPassword != nil {
		switch {
		case s.created != "":
			out += "\n" + s.c.box("Simulated Security info page", "Your app password: "+st.Selected.Render(s.created)+"\nIt will not be shown again.")
		default:
			out += "\n" + st.Subtle.Render("Demo: press c to play the owner and create one.")
		}
	}
	return out + "\n\nPress y when the app password is in the app, m if the option is not there, or enter to go on."
}

func (s *CreateAppPassword) securityInfoURL() string {
	if u := s.c.Cloud.SecurityInfoURL; u != "" {
		return u
	}
	return "(apppass does not know the Security info address for " + s.c.Cloud.Description + ")"
}

// prerequisites are the live checks that can be made.
func (s *CreateAppPassword) prerequisites() string {
	st := s.c.Styles
	var out string
	switch {
	case !s.read:
		out += st.Subtle.Render("· Reading per-user MFA…") + "\n"
	case s.mfaErr != nil:
		out += st.Warning.Render("? Per-user MFA state: could not check ("+firstLine(s.mfaErr)+")") + "\n"
	case s.mfa.state == graphclient.MFADisabled:
		out += st.Problem.Render("✗ Per-user MFA is disabled: the App password option will not appear. Enable it first (esc).") + "\n"
	default:
		out += st.Pass.Render("✓ Per-user MFA is "+string(s.mfa.state)+": the App password option can appear") + "\n"
	}
	if s.read && s.mfaErr == nil && !s.mfa.registered {
		out += st.Warning.Render(s.c.wrap("! No MFA method registered yet: at the next sign-in the owner registers one (for example Microsoft Authenticator) before Security info offers App password.")) + "\n"
	}
	return out + s.tenantSettingLine() + "\n"
}

// tenantSettingLine says what is known of the setting no API can read.
func (s *CreateAppPassword) tenantSettingLine() string {
	st := s.c.Styles
	if e, ok := s.c.Session.Outcomes[IDAllow]; ok && e.Outcome == diagnose.OutcomeDone {
		return st.Subtle.Render("· \"Allow app passwords\": you confirmed it on the Allow screen (no API can read it).")
	}
	return st.Warning.Render("? \"Allow app passwords\" (tenant setting): no API can read it; check it if the option is missing.")
}

// missingView is the KB's checks for "I don't see App password".
func (s *CreateAppPassword) missingView() string {
	st := s.c.Styles
	out := st.Title.Render("I don't see \"App password\"") + "\n"
	if s.createErr != nil {
		out += st.Warning.Render(s.c.wrap("Security info does not offer it: "+termsafe.Clean(s.createErr.Error()))) + "\n"
	}
	out += "\n" + s.prerequisites() + "\n"
	out += s.c.bullet("·", "Sign out of every Microsoft 365 page and sign in again, then wait a few minutes: MFA changes take time to propagate.") + "\n" +
		s.c.bullet("·", "Security defaults or Conditional Access MFA leave per-user MFA Disabled, and then no App password option appears at all.") + "\n" +
		s.c.bullet("·", "Use Security info ("+s.securityInfoURL()+"), signed in as the account itself.") + "\n\n"
	if s.remedyApplies() {
		out += s.c.wrap("Per-user MFA reads Enabled and the option is still missing. Microsoft's remedy: disable per-user MFA and enable it again, then sign out and in. Press d for it (an admin's change, confirmed and read back first).") + "\n"
	} else if s.read && s.mfaErr == nil && s.mfa.state == graphclient.MFAEnforced {
		out += s.c.wrap("Per-user MFA reads Enforced, so the option should appear once the owner has registered a method and the tenant allows app passwords.") + "\n"
	}
	return out + "\n" + st.Subtle.Render("esc closes these checks.")
}

// FocusLine implements Focus: the screen from its top, and the simulated
// owner's new app password once it is there.
func (s *CreateAppPassword) FocusLine() int {
	if s.created != "" {
		return -1
	}
	return 0
}

// KeyMap implements Step.
func (s *CreateAppPassword) KeyMap() help.KeyMap {
	if s.missing {
		k := keyMap{withHelp(keys.Close, "close the checks")}
		if s.remedyApplies() {
			k = append(keyMap{keys.Remedy}, k...)
		}
		return k
	}
	k := keyMap{keys.Confirm, keys.Missing, keys.Enter}
	if s.c.Cloud.SecurityInfoURL != "" {
		k = append(k, keys.Open)
	}
	if s.c.StandIns.CreateAppPassword != nil && s.created == "" {
		k = append(k, keys.Create)
	}
	return k
}
