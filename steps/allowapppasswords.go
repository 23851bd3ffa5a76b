package steps

import (
	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/flow"
)

// IDAllow is the "allow app passwords" screen.
const IDAllow = flow.IDAllow

// AllowAppPasswords guides the tenant setting no API can read or set.
type AllowAppPasswords struct {
	base
	role    string
	openErr string
	note    noteView
}

// NewAllowAppPasswords builds the screen.
func NewAllowAppPasswords(c *Common) Step {
	return &AllowAppPasswords{base: newBase(c, IDAllow), role: c.missingRole(diagnose.StepAllowAppPasswords)}
}

// Init implements Step.
func (s *AllowAppPasswords) Init() tea.Cmd { return nil }

// Modal implements Modal: esc closes the note.
func (s *AllowAppPasswords) Modal() bool { return s.note.open }

// Update implements Step.
func (s *AllowAppPasswords) Update(msg tea.Msg) (Step, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return s, nil
	}
	if s.note.open {
		s.note.update(k)
		return s, nil
	}
	switch {
	case key.Matches(k, keys.Open) && s.c.Cloud.MFASettingsURL != "":
		if err := s.c.Open(s.c.Cloud.MFASettingsURL); err != nil {
			s.openErr = "Could not open a browser here: open the address above yourself (c copies it)."
			return s, flash(s.openErr)
		}
		return s, flash("Opening the page in your browser.")
	case key.Matches(k, keys.Confirm):
		if allow := s.c.StandIns.AllowAppPasswords; allow != nil {
			allow() // the simulated admin ticks the box on the portal page
		}
		e := s.c.Session.AllowConfirmed()
		return s, s.finish(e.Outcome, e.Detail, nil)
	case key.Matches(k, keys.Note) && s.role != "":
		s.note.show(s.c)
	case key.Matches(k, keys.Enter):
		return s, s.finish(diagnose.OutcomeDeclined, "left for later", nil)
	}
	return s, nil
}

// View implements Step.
func (s *AllowAppPasswords) View() string {
	st := s.c.Styles
	out := st.Title.Render("Allow app passwords") + st.Subtle.Render("  tenant setting · no API") + "\n\n"
	if s.note.open {
		return out + s.note.view(s.c)
	}
	out += s.c.wrap("Users can create app passwords only if the tenant allows it. No Microsoft Graph API reads or sets this setting, so apppass cannot check it: please look, and change it if needed.") + "\n\n"
	out += s.readiness() + "\n\n"
	out += st.Title.Render("Where") + "\n" + s.c.wrap("Entra admin center › Conditional Access › Named locations › Configure MFA trusted IPs (the legacy multifactor authentication service settings): tick \"Allow users to create app passwords to sign in to non-browser apps\" and save.") + "\n"
	if u := s.c.Cloud.MFASettingsURL; u != "" {
		out += s.c.token(u) + "\n"
	} else {
		out += st.Warning.Render(s.c.wrap("apppass does not know this page's address for "+s.c.Cloud.Description+".")) + "\n"
	}
	out += st.Subtle.Render("Needs at least the Authentication Policy Administrator role.") + "\n"
	if s.role != "" {
		out += "\n" + s.c.roleView(s.role) + "\n"
	}
	out += "\nPress y once the setting is on, or enter to leave it for later."
	if s.openErr != "" {
		out += "\n" + st.Subtle.Render(s.openErr)
	}
	return out
}

// readiness shows the checks that do exist: nothing else blocks app passwords.
func (s *AllowAppPasswords) readiness() string {
	st := s.c.Styles
	ev := s.c.Session.Evidence
	line := func(known, good bool, text string) string {
		switch {
		case !known:
			return st.Warning.Render("? ") + text + st.Subtle.Render(": could not check")
		case good:
			return st.Pass.Render("✓ ") + text
		}
		return st.Problem.Render("✗ ") + text
	}
	blocked, mayBlock := false, false
	if s.c.Session.Report != nil {
		for _, f := range s.c.Session.Report.Findings {
			blocked = blocked || f.ID == "ca-blocks-legacy" || f.ID == "ca-blocks-app" || f.ID == "ca-log-blocks"
			mayBlock = mayBlock || f.ID == "ca-may-block"
		}
	}
	caText := "No Conditional Access policy blocks legacy clients for this account"
	caLine := line(ev.Policies.Known(), !blocked, caText)
	if !blocked && mayBlock && ev.Policies.Known() {
		// a condition apppass cannot see (location, device, risk) decides it
		caLine = st.Warning.Render("! ") + caText + st.Subtle.Render(": a policy may block it, on a condition apppass cannot see")
	}
	return line(ev.SecurityDefaults.Known(), !ev.SecurityDefaults.Value, "Security defaults are off") + "\n" + caLine
}

// KeyMap implements Step.
func (s *AllowAppPasswords) KeyMap() help.KeyMap {
	if s.note.open {
		return s.note.keyMap()
	}
	k := keyMap{keys.Confirm, withHelp(keys.Enter, "leave it for later")}
	if s.c.Cloud.MFASettingsURL != "" {
		k = append(k, keys.Open)
	}
	if s.role != "" {
		k = append(k, keys.Note)
	}
	return k
}
