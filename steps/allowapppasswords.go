package steps

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/apppass/apppass/diagnose"
)

// Manual is the outcome of a step no API can do: did the person confirm it?
type Manual struct {
	Step      diagnose.StepID
	Confirmed bool
}

// AllowAppPasswords guides the tenant setting no API can read or set.
type AllowAppPasswords struct {
	base
	role string
	note string
	show string // "", "note"
}

// NewAllowAppPasswords builds the screen.
func NewAllowAppPasswords(c *Common) Step {
	return &AllowAppPasswords{base: newBase(c, IDAllow), role: c.missingRole(diagnose.StepAllowAppPasswords)}
}

// Init implements Step.
func (s *AllowAppPasswords) Init() tea.Cmd { return nil }

// Update implements Step.
func (s *AllowAppPasswords) Update(msg tea.Msg) (Step, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return s, nil
	}
	switch {
	case key.Matches(k, Keys.Open) && s.c.Cloud.MFASettingsURL != "":
		if err := s.c.Open(s.c.Cloud.MFASettingsURL); err != nil {
			s.note = "Could not open a browser here: open the address above yourself."
		}
	case key.Matches(k, Keys.Confirm):
		if s.c.Demo != nil {
			s.c.Demo.AllowAppPasswords() // the simulated tenant plays the portal
		}
		return s, s.finish(Manual{Step: diagnose.StepAllowAppPasswords, Confirmed: true})
	case key.Matches(k, Keys.Note) && s.role != "":
		s.show = "note"
	case key.Matches(k, Keys.Enter):
		return s, s.finish(Manual{Step: diagnose.StepAllowAppPasswords})
	}
	return s, nil
}

// View implements Step.
func (s *AllowAppPasswords) View() string {
	st := s.c.Styles
	out := st.Title.Render("Allow app passwords") + st.Subtle.Render("  tenant setting · no API") + "\n\n"
	if s.show == "note" {
		return out + st.Box.Render(s.c.adminNote())
	}
	out += s.c.wrap("Users can create app passwords only if the tenant allows it. No Microsoft Graph API reads or sets this setting, so apppass cannot check it: please look, and change it if needed.") + "\n\n"
	out += s.readiness() + "\n"
	out += st.Title.Render("Where") + "\n" + s.c.wrap("On the legacy multifactor authentication service settings page, tick \"Allow users to create app passwords to sign in to non-browser apps\" and save.") + "\n"
	if u := s.c.Cloud.MFASettingsURL; u != "" {
		out += st.URL.Render(u) + "\n"
	} else {
		out += st.Warning.Render(s.c.wrap("apppass does not know this page's address for "+s.c.Cloud.Description+".")) + "\n"
	}
	out += st.Subtle.Render("Needs at least the Authentication Policy Administrator role.") + "\n"
	if s.role != "" {
		out += "\n" + s.c.roleView(s.role) + "\n"
	}
	out += "\nPress y once the setting is on, or enter to leave it for later."
	if s.note != "" {
		out += "\n" + st.Subtle.Render(s.note)
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
			return st.Subtle.Render("· " + text + ": not checked")
		case good:
			return st.Pass.Render("✓ ") + text
		}
		return st.Problem.Render("✗ ") + text
	}
	blocked := false
	if s.c.Session.Report != nil {
		for _, f := range s.c.Session.Report.Findings {
			blocked = blocked || f.ID == "ca-blocks-legacy" || f.ID == "ca-blocks-app"
		}
	}
	return line(ev.SecurityDefaults.Known(), !ev.SecurityDefaults.Value, "Security defaults are off") + "\n" +
		line(ev.Policies.Known(), !blocked, "No Conditional Access policy blocks legacy clients for this account")
}

// Keys implements Step.
func (s *AllowAppPasswords) Keys() []key.Binding {
	keys := []key.Binding{Keys.Confirm, Keys.Enter}
	if s.c.Cloud.MFASettingsURL != "" {
		keys = append(keys, Keys.Open)
	}
	if s.role != "" {
		keys = append(keys, Keys.Note)
	}
	return keys
}
