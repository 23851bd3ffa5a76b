package steps

import (
	"context"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/termsafe"
)

// Tested is the outcome of the test screen: the server's reply, never the secret.
type Tested struct {
	Reply string
}

// TestAppPassword tests the app password against the service's real endpoint.
type TestAppPassword struct {
	base
	input textinput.Model
	spin  spinner.Model
	phase string // input, testing, result, failed, untestable
	reply diagnose.SMTPReply
	err   error
}

// NewTestAppPassword builds the screen.
func NewTestAppPassword(c *Common) Step {
	in := textinput.New()
	in.EchoMode = textinput.EchoPassword
	in.Placeholder = "the 16-letter app password"
	in.CharLimit = 256
	in.SetWidth(40)
	s := &TestAppPassword{base: newBase(c, IDTest), input: in, spin: spinner.New(spinner.WithSpinner(spinner.Dot)), phase: "input"}
	if c.Session.Target.Service != diagnose.ServiceSMTP {
		s.phase = "untestable"
	}
	return s
}

// Init implements Step.
func (s *TestAppPassword) Init() tea.Cmd {
	if s.phase == "input" {
		return s.input.Focus()
	}
	return nil
}

// Update implements Step.
func (s *TestAppPassword) Update(msg tea.Msg) (Step, tea.Cmd) {
	if r, ok := s.mine(msg); ok {
		if r.err != nil {
			s.phase, s.err = "failed", r.err
			return s, nil
		}
		s.reply, _ = diagnose.ParseSMTPReply(r.value.(string))
		s.phase = "result"
		return s, nil
	}
	if cmd, ok := tick(&s.spin, msg); ok {
		return s, cmd
	}
	k, isKey := msg.(tea.KeyPressMsg)
	switch s.phase {
	case "input":
		switch {
		case isKey && key.Matches(k, Keys.Enter):
			return s, s.test(s.input.Value())
		case isKey && k.String() == "ctrl+d" && s.c.Session.DemoAppPassword != "":
			return s, s.test(s.c.Session.DemoAppPassword)
		}
		var cmd tea.Cmd
		s.input, cmd = s.input.Update(msg)
		return s, cmd
	case "result", "untestable":
		if isKey && key.Matches(k, Keys.Enter) {
			return s, s.finish(Tested{Reply: s.reply.String()})
		}
		if isKey && key.Matches(k, Keys.Retry) && s.phase == "result" {
			s.phase = "input"
			return s, s.input.Focus()
		}
	case "failed":
		if isKey && key.Matches(k, Keys.Retry) {
			s.phase = "input"
			return s, s.input.Focus()
		}
	}
	return s, nil
}

// test sends the secret once and forgets it: the field is cleared at once.
func (s *TestAppPassword) test(secret string) tea.Cmd {
	s.input.SetValue("")
	s.input.Blur()
	if secret == "" {
		return s.input.Focus()
	}
	s.phase = "testing"
	smtp, upn := s.c.SMTP, s.c.Session.Target.UPN
	return tea.Batch(s.spin.Tick, s.run("smtp", func(ctx context.Context) (any, error) { return smtp(ctx, upn, secret) }))
}

// View implements Step.
func (s *TestAppPassword) View() string {
	st := s.c.Styles
	t := s.c.Session.Target
	out := st.Title.Render("Test the app password") + st.Subtle.Render("  "+termsafe.Clean(t.UPN)+" · SMTP AUTH "+s.c.Cloud.SMTPHost) + "\n\n"
	switch s.phase {
	case "untestable":
		cal := diagnose.CalendarFor(t.Service, s.c.Now(), s.c.Session.Evidence.SharePointLegacy)
		return out + s.c.wrap("apppass can only test against SMTP AUTH, the one Basic-auth endpoint left; this app uses "+t.Service.Label()+". "+cal.Note) + "\n\nPress enter to continue."
	case "input":
		out += s.c.wrap("Paste the app password. apppass signs in once over SMTP AUTH (STARTTLS), sends no mail, and keeps nothing.") + "\n\n" + s.input.View()
		if s.c.Session.DemoAppPassword != "" {
			out += "\n" + st.Subtle.Render("Demo: ctrl+d uses the app password the simulated owner just created.")
		}
		return out
	case "testing":
		return out + s.spin.View() + " Signing in over SMTP AUTH…"
	case "failed":
		return out + st.Error.Render("✗ No verdict: "+termsafe.Clean(s.err.Error())) + "\nPress r to try again."
	}
	mark := st.Problem.Render("✗ ")
	if s.reply.Meaning == diagnose.SMTPAccepted {
		mark = st.Pass.Render("✓ ")
	}
	return out + mark + termsafe.Clean(s.reply.String()) + "\n\n" + s.c.wrap(s.reply.Explain()) + "\n\nPress enter to continue, or r to test another."
}

// Keys implements Step.
func (s *TestAppPassword) Keys() []key.Binding {
	switch s.phase {
	case "input", "untestable":
		return []key.Binding{Keys.Enter}
	case "result":
		return []key.Binding{Keys.Enter, Keys.Retry}
	case "failed":
		return []key.Binding{Keys.Retry}
	}
	return nil
}

// Typing reports that printable keys go to a text field.
func (s *TestAppPassword) Typing() bool { return s.phase == "input" }
