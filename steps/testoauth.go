package steps

import (
	"context"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/flow"
	"github.com/apppass/apppass/termsafe"
)

// IDTestOAuth is the OAuth test screen.
const IDTestOAuth = flow.IDTestOAuth

// OAuthTested is the OAuth test's result (never the token).
type OAuthTested = flow.OAuthTested

type oauthPhase int

const (
	oauthIntro oauthPhase = iota
	oauthSigningIn
	oauthTesting
	oauthResult
	oauthNoAnswer
)

// oauthReply is the OAuth test's classified reply.
type oauthReply struct{ flow.OAuthResult }

// TestOAuth has the account owner sign in for SMTP.Send and runs SMTP AUTH
// with XOAUTH2, then explains the reply: the way forward, tested. The test
// is flow's; this screen draws it.
type TestOAuth struct {
	base
	spin   spinner.Model
	phase  oauthPhase
	client OAuthClient
	flow   signInFlow
	result flow.OAuthResult
	err    error
}

// NewTestOAuth builds the screen.
func NewTestOAuth(c *Common) Step {
	return &TestOAuth{base: newBase(c, IDTestOAuth), spin: c.newSpinner()}
}

// Init implements Step.
func (s *TestOAuth) Init() tea.Cmd { return s.spin.Tick }

func (s *TestOAuth) owner() string { return s.c.Session.Target.UPN }

func (s *TestOAuth) test() flow.OAuthTest {
	return flow.OAuthTest{SMTP: s.c.OAuth, Way: s.c.SignIn, UPN: s.owner()}
}

// signIn starts the owner's sign-in on a client of its own.
func (s *TestOAuth) signIn() tea.Cmd {
	test := s.test()
	client, err := test.Connect()
	if err != nil {
		s.phase, s.err = oauthNoAnswer, err
		return nil
	}
	s.client, s.phase = client, oauthSigningIn
	s.flow.end() // a sign-in of an earlier try, if any
	s.flow = newSignInFlow(&s.base, test.SignIn(client))
	if as := s.c.StandIns.SignInAs; as != nil {
		s.flow.person, s.flow.role = as(ModeEndUser), "account owner"
	}
	return s.flow.start(s.flow.via)
}

// try runs SMTP AUTH with the owner's token, used once and dropped.
func (s *TestOAuth) try() tea.Cmd {
	s.phase = oauthTesting
	test, client := s.test(), s.client
	return do(&s.base, func(ctx context.Context) (oauthReply, error) {
		res, err := test.Try(ctx, client)
		return oauthReply{res}, err
	})
}

// Update implements Step.
func (s *TestOAuth) Update(msg tea.Msg) (Step, tea.Cmd) {
	if cmd, ok := tick(&s.spin, msg); ok {
		return s, cmd
	}
	if r, ok := mine[oauthReply](&s.base, msg); ok {
		if r.err != nil {
			s.phase, s.err = oauthNoAnswer, r.err
			return s, nil
		}
		s.phase, s.result = oauthResult, r.value.OAuthResult
		return s, nil
	}
	if k, ok := msg.(tea.KeyPressMsg); ok {
		return s, s.key(k)
	}
	if s.phase == oauthSigningIn {
		cmd, acct := s.flow.update(msg)
		if acct != nil {
			return s, s.try()
		}
		return s, cmd
	}
	return s, nil
}

func (s *TestOAuth) key(k tea.KeyPressMsg) tea.Cmd {
	switch {
	case s.phase == oauthIntro && key.Matches(k, keys.Enter):
		return s.signIn()
	case s.phase == oauthIntro && key.Matches(k, keys.Skip):
		return s.finish(diagnose.OutcomeSkipped, "not tested", nil)
	case s.phase == oauthSigningIn && s.flow.phase == flowFailed && key.Matches(k, keys.Record):
		// Entra's refusal of the token request is the test's answer.
		result := firstLine(s.flow.err)
		if res, ok := flow.OAuthRefusal(s.flow.err); ok {
			result = res.Reply
		}
		return s.finish(diagnose.OutcomeFailed, result, OAuthTested{Result: result})
	case s.phase == oauthSigningIn:
		return s.flow.key(k)
	case s.phase == oauthResult && key.Matches(k, keys.Enter):
		return s.finish(s.result.Outcome(), s.result.Reply, OAuthTested{Result: s.result.Reply})
	case s.phase == oauthNoAnswer && key.Matches(k, keys.Retry):
		s.phase, s.err = oauthIntro, nil
	case s.phase == oauthNoAnswer && key.Matches(k, keys.Enter):
		return s.finish(diagnose.OutcomeUnknown, "no answer: "+firstLine(s.err), nil)
	}
	return nil
}

// View implements Step.
func (s *TestOAuth) View() string {
	st := s.c.Styles
	out := st.Title.Render("Test the way forward: SMTP AUTH with OAuth") + "  " + st.Subtle.Render(termsafe.Clean(s.owner())+" · "+s.c.Cloud.SMTPHost) + "\n\n"
	switch s.phase {
	case oauthIntro:
		out += s.c.wrap("An app password cannot help here, but OAuth can: Microsoft's modern sign-in for SMTP (XOAUTH2), which security defaults and policies against legacy authentication do not block. Test it now: the account owner signs in for SMTP.Send, and apppass tries SMTP AUTH with that token and explains the reply. The token is used once, never stored, logged or shown.") +
			"\n\n" + s.routesView() + "\n\nPress enter to test, or s to skip."
	case oauthSigningIn:
		out += s.c.wrap("The account owner, "+termsafe.Clean(s.owner())+", signs in for SMTP.Send:") + "\n\n" + s.flow.view(s.spin)
		if s.flow.phase == flowFailed {
			out += "\n" + s.c.wrap("Press enter to record this refusal as the test's result.")
		}
	case oauthTesting:
		out += s.spin.View() + " Trying SMTP AUTH with XOAUTH2…"
	case oauthResult:
		out += s.resultView() + "\n\nPress enter to continue."
	case oauthNoAnswer:
		text, next := explain(s.err)
		out += st.Error.Render(s.c.wrap("? No answer: "+text)) + "\n" + s.c.wrap(next) + "\n\nPress r to try again, or enter to go on without a result."
	}
	return out
}

// resultView shows the reply and what it means, in diagnose's words.
func (s *TestOAuth) resultView() string {
	st := s.c.Styles
	f := s.result.Finding
	mark := st.Problem.Render("✗ " + termsafe.Clean(s.result.Reply))
	if s.result.Works() {
		mark = st.Pass.Render("✓ " + termsafe.Clean(s.result.Reply))
	}
	out := mark + "\n\n" + s.c.wrap(f.Detail)
	if f.Fix != "" {
		out += "\n\n" + s.c.wrap("Fix: "+f.Fix)
	}
	return out
}

// routesView lists the ways forward and when each fits.
func (s *TestOAuth) routesView() string {
	out := "The ways forward for SMTP:"
	for _, r := range diagnose.Routes(diagnose.ServiceSMTP) {
		out += "\n" + s.c.bullet("•", r.Name+": when "+r.FitsWhen+".")
	}
	return out
}

// FocusLine implements Focus: the top, where the screen says what it is
// doing (a refusal's keys follow it closely).
func (s *TestOAuth) FocusLine() int { return 0 }

// KeyMap implements Step.
func (s *TestOAuth) KeyMap() help.KeyMap {
	switch s.phase {
	case oauthIntro:
		return keyMap{withHelp(keys.Enter, "test now"), keys.Skip}
	case oauthSigningIn:
		k := s.flow.keyMap()
		if s.flow.phase == flowFailed {
			k = append(k, keys.Record)
		}
		return k
	case oauthResult:
		return keyMap{keys.Enter}
	case oauthNoAnswer:
		return keyMap{keys.Retry, withHelp(keys.Enter, "go on without a result")}
	}
	return nil
}
