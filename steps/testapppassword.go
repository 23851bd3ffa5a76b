package steps

import (
	"context"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/flow"
	"github.com/apppass/apppass/termsafe"
)

// IDTest is the test screen.
const IDTest = flow.IDTest

// Tested is the outcome of the test screen: the server's reply, never the secret.
type Tested = flow.Tested

type testPhase int

const (
	testInput testPhase = iota
	testRunning
	testResult
	testNoAnswer
	testUntestable
)

// smtpReplyLine is the SMTP server's reply line.
type smtpReplyLine string

// TestAppPassword tests the app password against the service's real endpoint.
type TestAppPassword struct {
	base
	input textinput.Model
	spin  spinner.Model
	phase testPhase
	reply diagnose.SMTPReply
	err   error
	// testedAt is when the last test signed in.
	testedAt time.Time
}

// NewTestAppPassword builds the screen.
func NewTestAppPassword(c *Common) Step {
	in := c.newInput("the 16-letter app password", 256, 40)
	in.EchoMode = textinput.EchoPassword
	s := &TestAppPassword{base: newBase(c, IDTest), input: in, spin: c.newSpinner()}
	if c.Session.Target.Service != diagnose.ServiceSMTP {
		s.phase = testUntestable
	}
	return s
}

// Init implements Step.
func (s *TestAppPassword) Init() tea.Cmd {
	if s.phase == testInput {
		return s.input.Focus()
	}
	return nil
}

// Update implements Step.
func (s *TestAppPassword) Update(msg tea.Msg) (Step, tea.Cmd) {
	if r, ok := mine[smtpReplyLine](&s.base, msg); ok {
		if r.err != nil {
			s.phase, s.err = testNoAnswer, r.err
			return s, nil
		}
		s.reply, _ = diagnose.ParseSMTPReply(string(r.value))
		s.phase = testResult
		return s, nil
	}
	if cmd, ok := tick(&s.spin, msg); ok {
		return s, cmd
	}
	k, isKey := msg.(tea.KeyPressMsg)
	switch s.phase {
	case testInput:
		switch {
		case isKey && key.Matches(k, keys.Enter) && s.input.Value() == "":
			return s, s.finish(diagnose.OutcomeSkipped, "not tested", nil)
		case isKey && key.Matches(k, keys.Enter):
			return s, s.test(s.input.Value())
		case isKey && key.Matches(k, keys.UseDemo) && s.c.Session.DemoAppPassword != "":
			return s, s.test(s.c.Session.DemoAppPassword)
		}
		var cmd tea.Cmd
		s.input, cmd = s.input.Update(msg)
		return s, cmd
	case testResult:
		switch {
		case isKey && key.Matches(k, keys.Enter):
			outcome := diagnose.OutcomeFailed
			switch s.reply.Meaning {
			case diagnose.SMTPAccepted:
				outcome = diagnose.OutcomeDone
			case diagnose.SMTPUnknown:
				outcome = diagnose.OutcomeUnknown
			}
			return s, s.finish(outcome, s.reply.String(), Tested{Reply: s.reply.String(), At: s.testedAt})
		case isKey && key.Matches(k, keys.Retry):
			s.phase = testInput
			return s, s.input.Focus()
		}
	case testNoAnswer:
		switch {
		case isKey && key.Matches(k, keys.Retry):
			s.phase = testInput
			return s, s.input.Focus()
		case isKey && key.Matches(k, keys.Enter):
			return s, s.finish(diagnose.OutcomeUnknown, "the SMTP server did not answer: "+termsafe.Clean(s.err.Error()), nil)
		}
	case testUntestable:
		if isKey && key.Matches(k, keys.Enter) {
			return s, s.finish(diagnose.OutcomeSkipped, "no test can pass for "+s.c.Session.Target.Service.Label(), nil)
		}
	}
	return s, nil
}

// test sends the secret once and forgets it: the field is cleared at once.
func (s *TestAppPassword) test(secret string) tea.Cmd {
	s.input.SetValue("")
	s.input.Blur()
	s.phase, s.testedAt = testRunning, s.c.Now()
	smtp, upn := s.c.SMTP, s.c.Session.Target.UPN
	return tea.Batch(s.spin.Tick, do(&s.base, func(ctx context.Context) (smtpReplyLine, error) {
		line, err := smtp(ctx, upn, secret)
		return smtpReplyLine(line), err
	}))
}

// View implements Step.
func (s *TestAppPassword) View() string {
	st := s.c.Styles
	t := s.c.Session.Target
	out := st.Title.Render("Test the app password") + st.Subtle.Render("  "+termsafe.Clean(t.UPN)+" · SMTP AUTH "+s.c.Cloud.SMTPHost) + "\n\n"
	switch s.phase {
	case testUntestable:
		cal := diagnose.CalendarFor(t.Service, s.c.Now(), s.c.Session.Evidence.SharePointLegacy)
		return out + s.c.wrap("apppass can only test against SMTP AUTH, the one Basic-auth endpoint left; this app uses "+t.Service.Label()+". "+cal.Note) + "\n\nPress enter to continue."
	case testInput:
		out += s.c.wrap("Paste the app password. apppass signs in once over SMTP AUTH (STARTTLS), sends no mail, and keeps nothing. Enter on an empty field goes on without a test (for example when the owner typed the app password straight into the app: the next screen watches for the app's own sign-in).") + "\n\n" + s.input.View()
		if s.c.Session.DemoAppPassword != "" {
			out += "\n" + st.Subtle.Render("Demo: ctrl+d uses the app password the simulated owner just created.")
		}
		return out
	case testRunning:
		return out + s.spin.View() + " Signing in over SMTP AUTH…"
	case testNoAnswer:
		return out + st.Warning.Render("? No verdict: ") + s.c.wrap(termsafe.Clean(s.err.Error())) + "\nPress r to try again, or enter to go on without a verdict."
	}
	mark := st.Problem.Render("✗ ")
	switch s.reply.Meaning {
	case diagnose.SMTPAccepted:
		mark = st.Pass.Render("✓ ")
	case diagnose.SMTPUnknown:
		mark = st.Warning.Render("? ")
	}
	return out + mark + termsafe.Clean(s.reply.String()) + "\n\n" + s.c.wrap(s.reply.Explain()) + "\n\nPress enter to continue, or r to test another."
}

// KeyMap implements Step.
func (s *TestAppPassword) KeyMap() help.KeyMap {
	switch s.phase {
	case testInput:
		k := keyMap{withHelp(keys.Enter, "test (empty: skip)")}
		if s.c.Session.DemoAppPassword != "" {
			k = append(k, keys.UseDemo)
		}
		return k
	case testUntestable:
		return keyMap{keys.Enter}
	case testResult:
		return keyMap{keys.Enter, withHelp(keys.Retry, "test another")}
	case testNoAnswer:
		return keyMap{keys.Retry, withHelp(keys.Enter, "go on without a verdict")}
	}
	return nil
}

// Typing reports that printable keys go to a text field.
func (s *TestAppPassword) Typing() bool { return s.phase == testInput }
