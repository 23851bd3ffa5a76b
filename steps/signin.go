package steps

import (
	"context"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/flow"
	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/termsafe"
)

// IDSignIn is the sign-in screen.
const IDSignIn = flow.IDSignIn

// SignedIn is what the sign-in screen learned.
type SignedIn = flow.SignedIn

type signInPhase int

const (
	signInCache signInPhase = iota
	signInFlowing
	signInProfile
	signInSigned
)

// SignIn signs the person in: from the cache, else in the browser, or
// with a device code when asked or when no browser can open here (the
// flow, shared with the OAuth test); then reads who they are.
type SignIn struct {
	base
	spin  spinner.Model
	phase signInPhase
	flow  signInFlow
	who   SignedIn
}

// NewSignIn builds the sign-in screen.
func NewSignIn(c *Common) Step {
	s := &SignIn{base: newBase(c, IDSignIn), spin: c.newSpinner()}
	s.flow = newSignInFlow(&s.base, flow.SignIn{Auth: c.Auth, Way: c.SignIn})
	return s
}

// Init implements Step.
func (s *SignIn) Init() tea.Cmd {
	if as := s.c.StandIns.SignInAs; as != nil && s.c.Session != nil {
		s.flow.person, s.flow.role = as(s.c.Session.Mode), "admin"
		if s.c.Session.Mode == ModeEndUser {
			s.flow.role = "account owner"
		}
	}
	return tea.Batch(s.spin.Tick, s.flow.run())
}

func (s *SignIn) profile(acct graphclient.Account) tea.Cmd {
	s.phase = signInProfile
	g := s.c.Graph
	return do(&s.base, func(ctx context.Context) (SignedIn, error) {
		me, err := g.Me(ctx)
		if err != nil {
			return SignedIn{}, err
		}
		org, err := g.Organization(ctx)
		if err != nil {
			return SignedIn{}, err
		}
		roles, _ := g.MyDirectoryRoles(ctx) // an end user may not read them; no roles then
		return SignedIn{Account: acct, Me: me, Tenant: org, Roles: roles}, nil
	})
}

// Update implements Step.
func (s *SignIn) Update(msg tea.Msg) (Step, tea.Cmd) {
	if cmd, ok := tick(&s.spin, msg); ok {
		return s, cmd
	}
	if r, ok := mine[SignedIn](&s.base, msg); ok {
		if r.err != nil {
			s.phase = signInFlowing // r signs in again
			s.flow.fail(r.err)
			return s, nil
		}
		s.who, s.phase = r.value, signInSigned
		return s, nil
	}
	if k, ok := msg.(tea.KeyPressMsg); ok {
		if key.Matches(k, keys.Enter) && s.phase == signInSigned {
			return s, s.finish(diagnose.OutcomeDone, "", s.who)
		}
		return s, s.flow.key(k)
	}
	cmd, acct := s.flow.update(msg)
	if acct != nil {
		return s, s.profile(*acct)
	}
	if s.phase == signInCache && s.flow.phase != flowIdle {
		s.phase = signInFlowing // no saved sign-in: the person takes part
	}
	return s, cmd
}

// View implements Step.
func (s *SignIn) View() string {
	st := s.c.Styles
	out := st.Title.Render("Sign in to Microsoft 365") + "\n\n"
	switch s.phase {
	case signInCache:
		out += s.spin.View() + " Checking for a saved sign-in…"
	case signInFlowing:
		out += s.flow.view(s.spin)
	case signInProfile:
		out += s.spin.View() + " Reading who you are…"
	case signInSigned:
		out += st.Pass.Render("✓ Signed in") + "\n\n" + s.whoView()
		out += "\n\nPress enter to describe the failing connection."
		if s.flow.note != "" {
			out += "\n\n" + st.Subtle.Render(s.c.wrap(s.flow.note))
		}
	}
	return out
}

func (s *SignIn) whoView() string {
	st := s.c.Styles
	roles := "none (that is fine for your own connection)"
	var names []string
	for _, r := range s.who.Roles {
		names = append(names, termsafe.Clean(r.DisplayName))
	}
	if len(names) > 0 {
		roles = strings.Join(names, ", ")
	}
	return s.c.wrap(fmt.Sprintf("%s %s (%s)\n%s %s\n%s %s", st.Subtle.Render("Who:   "), termsafe.Clean(s.who.Me.DisplayName), termsafe.Clean(s.who.Me.UserPrincipalName),
		st.Subtle.Render("Tenant:"), termsafe.Clean(s.who.Tenant.DisplayName), st.Subtle.Render("Roles: "), roles))
}

// KeyMap implements Step.
func (s *SignIn) KeyMap() help.KeyMap {
	switch s.phase {
	case signInSigned:
		return keyMap{keys.Enter}
	case signInFlowing:
		return s.flow.keyMap()
	}
	return nil
}
