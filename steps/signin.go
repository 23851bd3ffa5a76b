package steps

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/termsafe"
)

// IDSignIn is the sign-in screen.
const IDSignIn ID = "sign-in"

// SignedIn is what the sign-in screen learned.
type SignedIn struct {
	Account graphclient.Account
	Me      graphclient.User
	Tenant  graphclient.Organization
	Roles   []graphclient.DirectoryRole
}

func (r SignedIn) record(s *Session) {
	s.Account, s.Me, s.Tenant = r.Account, r.Me, r.Tenant
	s.Roles = nil
	for _, role := range r.Roles {
		s.Roles = append(s.Roles, role.TemplateID)
	}
}

type signInPhase int

const (
	signInCache signInPhase = iota
	signInCode
	signInWaiting
	signInProfile
	signInSigned
	signInFailed
)

// The sign-in's typed replies.
type (
	cachedAccount   struct{ graphclient.Account }
	approvedAccount struct{ graphclient.Account }
)

// SignIn signs the person in: from the cache, else with a device code.
type SignIn struct {
	base
	spin  spinner.Model
	phase signInPhase
	code  *graphclient.DeviceCode
	who   SignedIn
	err   error
	note  string
}

// NewSignIn builds the sign-in screen.
func NewSignIn(c *Common) Step {
	return &SignIn{base: newBase(c, IDSignIn), spin: c.newSpinner()}
}

// Init implements Step.
func (s *SignIn) Init() tea.Cmd {
	auth := s.c.Auth
	return tea.Batch(s.spin.Tick, do(&s.base, func(ctx context.Context) (cachedAccount, error) {
		a, err := auth.SignInSilent(ctx)
		return cachedAccount{a}, err
	}))
}

func (s *SignIn) startCode() tea.Cmd {
	s.phase, s.err, s.note = signInCode, nil, ""
	auth := s.c.Auth
	return do(&s.base, func(ctx context.Context) (*graphclient.DeviceCode, error) { return auth.StartDeviceCode(ctx) })
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
	if r, ok := mine[cachedAccount](&s.base, msg); ok {
		if r.err != nil {
			return s, s.startCode()
		}
		return s, s.profile(r.value.Account)
	}
	if r, ok := mine[*graphclient.DeviceCode](&s.base, msg); ok {
		if r.err != nil {
			s.phase, s.err = signInFailed, r.err
			return s, nil
		}
		s.code, s.phase = r.value, signInWaiting
		auth, dc := s.c.Auth, s.code
		return s, do(&s.base, func(ctx context.Context) (approvedAccount, error) {
			a, err := auth.FinishDeviceCode(ctx, dc)
			return approvedAccount{a}, err
		})
	}
	if r, ok := mine[approvedAccount](&s.base, msg); ok {
		if r.err != nil {
			if !errors.Is(r.err, context.Canceled) {
				s.phase, s.err, s.code = signInFailed, r.err, nil
			}
			return s, nil
		}
		return s, s.profile(r.value.Account)
	}
	if r, ok := mine[SignedIn](&s.base, msg); ok {
		if r.err != nil {
			s.phase, s.err = signInFailed, r.err
			return s, nil
		}
		s.who, s.phase = r.value, signInSigned
		return s, nil
	}
	if k, ok := msg.(tea.KeyPressMsg); ok {
		return s, s.key(k)
	}
	return s, nil
}

func (s *SignIn) key(k tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(k, keys.Enter) && s.phase == signInSigned:
		return s.finish(diagnose.OutcomeDone, "", s.who)
	case key.Matches(k, keys.Retry) && s.phase == signInFailed:
		return s.startCode()
	case key.Matches(k, keys.Open) && s.code != nil:
		if err := s.c.Open(s.code.VerificationURL); err != nil {
			s.note = "Could not open a browser here: open " + s.code.VerificationURL + " on any device."
		}
	case key.Matches(k, keys.Copy) && s.code != nil:
		s.note = "Code copied to the clipboard (where the terminal allows it)."
		return tea.SetClipboard(s.code.UserCode)
	case key.Matches(k, keys.Approve) && s.phase == signInWaiting && s.c.StandIns.ApproveSignIn != nil:
		s.c.StandIns.ApproveSignIn()
		s.note = "Approved, as if you had signed in in the browser."
	}
	return nil
}

// View implements Step.
func (s *SignIn) View() string {
	st := s.c.Styles
	out := st.Title.Render("Sign in to Microsoft 365") + "\n\n"
	switch s.phase {
	case signInCache:
		out += s.spin.View() + " Checking for a saved sign-in…"
	case signInCode:
		out += s.spin.View() + " Asking Entra ID for a sign-in code…"
	case signInProfile:
		out += s.spin.View() + " Reading who you are…"
	case signInWaiting:
		out += "On any device, open " + st.URL.Render(s.code.VerificationURL) + " and enter this code:\n\n" +
			st.Code.Render(s.code.UserCode) + "\n\n" +
			s.c.wrap(fmt.Sprintf("You are approving %s, the app apppass signs in as. The code %s.", s.c.AppName, expiry(s.code.ExpiresAt))) + "\n\n" +
			s.spin.View() + " Waiting for you to sign in…"
		if s.c.StandIns.ApproveSignIn != nil {
			out += "\n" + st.Subtle.Render("Demo: the code approves itself in a few seconds, or press a.")
		}
	case signInSigned:
		out += st.Pass.Render("✓ Signed in") + "\n\n" + s.whoView()
		out += "\n\nPress enter to describe the failing connection."
	case signInFailed:
		out += s.failureView()
	}
	if s.note != "" {
		out += "\n\n" + st.Subtle.Render(s.note)
	}
	return out
}

// expiry says when a device code stops working.
func expiry(at time.Time) string {
	left := time.Until(at).Round(time.Minute)
	if left <= 0 {
		return "has expired: press r for a new one"
	}
	return fmt.Sprintf("expires at %s (in %d minutes)", at.Local().Format("15:04"), int(left.Minutes()))
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

func (s *SignIn) failureView() string {
	headline, next := SignInTrouble(s.err, s.c.ConsentURL)
	out := s.c.Styles.Error.Render(s.c.wrap("✗ "+headline)) + "\n" + s.c.wrap(next)
	if id := graphclient.RequestID(s.err); id != "" {
		out += "\n" + s.c.Styles.Subtle.Render("request-id "+id)
	}
	return out + "\n\nPress r to try again."
}

// KeyMap implements Step.
func (s *SignIn) KeyMap() help.KeyMap {
	switch s.phase {
	case signInWaiting:
		k := keyMap{keys.Open, keys.Copy}
		if s.c.StandIns.ApproveSignIn != nil {
			k = append(k, keys.Approve)
		}
		return k
	case signInFailed:
		return keyMap{keys.Retry}
	case signInSigned:
		return keyMap{keys.Enter}
	}
	return nil
}
