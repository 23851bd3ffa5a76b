package steps

import (
	"context"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/termsafe"
)

// Created is the outcome of the create screen; DemoPassword is set only in the demo.
type Created struct {
	Manual
	DemoPassword string
}

// CreateAppPassword guides the account owner; no API can create or see app passwords.
type CreateAppPassword struct {
	base
	state    graphclient.MFAState
	stateErr error
	created  string
	err      error
}

// NewCreateAppPassword builds the screen.
func NewCreateAppPassword(c *Common) Step {
	return &CreateAppPassword{base: newBase(c, IDCreate)}
}

// Init implements Step: read the live prerequisite that can be read.
func (s *CreateAppPassword) Init() tea.Cmd {
	g, id := s.c.Graph, s.c.Session.Target.User.ID
	return s.run("state", func(ctx context.Context) (any, error) { return g.PerUserMFAState(ctx, id) })
}

// Update implements Step.
func (s *CreateAppPassword) Update(msg tea.Msg) (Step, tea.Cmd) {
	if r, ok := s.mine(msg); ok {
		switch {
		case r.kind == "create" && r.err != nil:
			s.err = r.err
		case r.kind == "create":
			s.created = r.value.(string)
		case r.err != nil:
			s.stateErr = r.err
		default:
			s.state = r.value.(graphclient.MFAState)
		}
		return s, nil
	}
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return s, nil
	}
	switch {
	case key.Matches(k, Keys.Create) && s.c.Demo != nil && s.created == "":
		demo, upn := s.c.Demo, s.c.Session.Target.UPN
		return s, s.run("create", func(context.Context) (any, error) { return demo.CreateAppPassword(upn) })
	case key.Matches(k, Keys.Open) && s.c.Cloud.SecurityInfoURL != "":
		s.c.Open(s.c.Cloud.SecurityInfoURL)
	case key.Matches(k, Keys.Confirm):
		return s, s.finish(Created{Manual: Manual{Step: diagnose.StepCreateAppPassword, Confirmed: true}, DemoPassword: s.created})
	case key.Matches(k, Keys.Enter):
		return s, s.finish(Created{Manual: Manual{Step: diagnose.StepCreateAppPassword, Confirmed: s.created != ""}, DemoPassword: s.created})
	}
	return s, nil
}

// View implements Step.
func (s *CreateAppPassword) View() string {
	st := s.c.Styles
	t := s.c.Session.Target
	out := st.Title.Render("Create the app password") + st.Subtle.Render("  by the account owner · no API") + "\n\n"
	switch {
	case s.stateErr != nil:
		out += st.Subtle.Render("· Per-user MFA state: not checked ("+firstLine(s.stateErr)+")") + "\n"
	case s.state == graphclient.MFADisabled:
		out += st.Problem.Render("✗ Per-user MFA is disabled: the App password option will not appear. Enable it first (esc).") + "\n"
	case s.state != "":
		out += st.Pass.Render("✓ Per-user MFA is "+string(s.state)+": the App password option can appear") + "\n"
	}
	out += st.Subtle.Render("· The tenant setting \"allow app passwords\" has no API: confirmed on the earlier screen, or check it.") + "\n\n"
	out += s.c.wrap("Signed in as "+termsafe.Clean(t.UPN)+", the owner:") + "\n"
	url := s.c.Cloud.SecurityInfoURL
	if url == "" {
		url = "(apppass does not know the Security info address for " + s.c.Cloud.Description + ")"
	}
	out += "  1. Open " + st.URL.Render(url) + "\n" +
		"  2. Add sign-in method › App password\n" +
		"  3. Name it after the app (e.g. \"backup tool\") › Next\n" +
		"  4. Copy the password now: it is shown once. Paste it into the app's password field.\n\n" +
		s.c.wrap(st.Subtle.Render("No API can create, list or see app passwords, so apppass cannot check this step; the next screen tests the result. An account can have at most 40.")) + "\n"
	if s.c.Demo != nil {
		switch {
		case s.err != nil:
			out += "\n" + st.Warning.Render(s.c.wrap("Security info does not offer it: "+termsafe.Clean(s.err.Error())))
		case s.created != "":
			out += "\n" + st.Box.Render("Simulated Security info page\nYour app password: "+st.Selected.Render(s.created)+"\nIt will not be shown again.")
		default:
			out += "\n" + st.Subtle.Render("Demo: press c to play the owner and create one.")
		}
	}
	return out + "\n\nPress y when the app password is in the app, or enter to go on."
}

func firstLine(err error) string {
	text, _ := explain(err)
	return text
}

// Keys implements Step.
func (s *CreateAppPassword) Keys() []key.Binding {
	keys := []key.Binding{Keys.Confirm, Keys.Enter}
	if s.c.Cloud.SecurityInfoURL != "" {
		keys = append(keys, Keys.Open)
	}
	if s.c.Demo != nil && s.created == "" {
		keys = append(keys, Keys.Create)
	}
	return keys
}
