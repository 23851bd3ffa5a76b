package steps

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/termsafe"
)

// SignedIn is what the sign-in screen learned.
type SignedIn struct {
	Account graphclient.Account
	Me      graphclient.User
	Tenant  graphclient.Organization
	Roles   []graphclient.DirectoryRole
}

// SignIn signs the person in: from the cache, else with a device code.
type SignIn struct {
	base
	spin    spinner.Model
	phase   string // cache, code, waiting, profile, signed, failed
	code    *graphclient.DeviceCode
	who     SignedIn
	err     error
	note    string
	consent string
}

// NewSignIn builds the sign-in screen; consentURL is the admin-consent page
// for the wizard's client.
func NewSignIn(c *Common, consentURL string) Step {
	return &SignIn{base: newBase(c, IDSignIn), spin: spinner.New(spinner.WithSpinner(spinner.Dot)), phase: "cache", consent: consentURL}
}

// Init implements Step.
func (s *SignIn) Init() tea.Cmd {
	auth := s.c.Auth
	return tea.Batch(s.spin.Tick, s.run("cache", func(ctx context.Context) (any, error) { return auth.SignInSilent(ctx) }))
}

func (s *SignIn) startCode() tea.Cmd {
	s.phase, s.err, s.note = "code", nil, ""
	auth := s.c.Auth
	return s.run("code", func(ctx context.Context) (any, error) { return auth.StartDeviceCode(ctx) })
}

func (s *SignIn) profile() tea.Cmd {
	s.phase = "profile"
	g := s.c.Graph
	return s.run("profile", func(ctx context.Context) (any, error) {
		me, err := g.Me(ctx)
		if err != nil {
			return nil, err
		}
		org, err := g.Organization(ctx)
		if err != nil {
			return nil, err
		}
		roles, _ := g.MyDirectoryRoles(ctx) // an end user may not read them; no roles then
		return SignedIn{Me: me, Tenant: org, Roles: roles}, nil
	})
}

// Update implements Step.
func (s *SignIn) Update(msg tea.Msg) (Step, tea.Cmd) {
	if r, ok := s.mine(msg); ok {
		return s, s.handle(r)
	}
	if cmd, ok := tick(&s.spin, msg); ok {
		return s, cmd
	}
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, Keys.Enter) && s.phase == "signed":
			return s, s.finish(s.who)
		case key.Matches(msg, Keys.Retry) && s.phase == "failed":
			return s, s.startCode()
		case key.Matches(msg, Keys.Open) && s.code != nil:
			if err := s.c.Open(s.code.VerificationURL); err != nil {
				s.note = "Could not open a browser here: open " + s.code.VerificationURL + " on any device."
			}
		case key.Matches(msg, Keys.Copy) && s.code != nil:
			s.note = "Code copied to the clipboard (where the terminal allows it)."
			return s, tea.SetClipboard(s.code.UserCode)
		case key.Matches(msg, Keys.Approve) && s.c.Demo != nil && s.phase == "waiting":
			s.c.Demo.ApproveDeviceCodes()
			s.note = "Approved, as if you had signed in in the browser."
		}
	}
	return s, nil
}

func (s *SignIn) handle(r result) tea.Cmd {
	switch r.kind {
	case "cache":
		if r.err != nil {
			return s.startCode()
		}
		s.who.Account = r.value.(graphclient.Account)
		return s.profile()
	case "code":
		if r.err != nil {
			s.phase, s.err = "failed", r.err
			return nil
		}
		s.code, s.phase = r.value.(*graphclient.DeviceCode), "waiting"
		auth, dc := s.c.Auth, s.code
		return s.run("finish", func(ctx context.Context) (any, error) { return auth.FinishDeviceCode(ctx, dc) })
	case "finish":
		if r.err != nil {
			if errors.Is(r.err, context.Canceled) {
				return nil
			}
			s.phase, s.err, s.code = "failed", r.err, nil
			return nil
		}
		s.who.Account = r.value.(graphclient.Account)
		return s.profile()
	case "profile":
		if r.err != nil {
			s.phase, s.err = "failed", r.err
			return nil
		}
		acct := s.who.Account
		s.who = r.value.(SignedIn)
		s.who.Account = acct
		s.phase = "signed"
	}
	return nil
}

// View implements Step.
func (s *SignIn) View() string {
	st := s.c.Styles
	out := st.Title.Render("Sign in to Microsoft 365") + "\n\n"
	switch s.phase {
	case "cache", "code", "profile":
		out += s.spin.View() + " " + map[string]string{"cache": "Checking for a saved sign-in…", "code": "Asking Entra ID for a sign-in code…", "profile": "Reading who you are…"}[s.phase]
	case "waiting":
		out += "On any device, open " + st.URL.Render(s.code.VerificationURL) + " and enter this code:\n\n" +
			st.Code.Render(spaced(s.code.UserCode)) + "\n\n" + s.spin.View() + " Waiting for you to sign in…"
		if s.c.Demo != nil {
			out += "\n" + st.Subtle.Render("Demo: the code approves itself in a few seconds, or press a.")
		}
	case "signed":
		out += st.Pass.Render("✓ Signed in") + "\n\n" + s.whoView()
		out += "\n\nPress enter to describe the failing connection."
	case "failed":
		out += s.failureView()
	}
	if s.note != "" {
		out += "\n\n" + st.Subtle.Render(s.note)
	}
	return out
}

func spaced(code string) string { return strings.Join(strings.Split(code, ""), " ") }

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
	st := s.c.Styles
	var ee *graphclient.EntraError
	if errors.As(s.err, &ee) {
		switch {
		case ee.HasCode(53003):
			return st.Error.Render("✗ Conditional Access blocks this sign-in (AADSTS53003).") + "\n" +
				s.c.wrap("Your organisation does not allow signing in with a device code from here. Sign in from a compliant device, or ask an admin to allow the device-code flow for apppass. Press r to try again.")
		case ee.HasCode(65001) || ee.HasCode(90094):
			return st.Error.Render("✗ apppass's permissions have not been consented to in this tenant.") + "\n" +
				s.c.wrap("An admin must grant consent once at:") + "\n" + st.URL.Render(s.consent) + "\n" +
				s.c.wrap("Then press r to try again.")
		case ee.OAuthError == "expired_token":
			return st.Warning.Render("The code expired before it was used.") + "\nPress r for a new code."
		case ee.OAuthError == "authorization_declined":
			return st.Warning.Render("The sign-in was declined in the browser.") + "\nPress r to try again."
		}
	}
	return s.c.errorView(s.err) + "\nPress r to try again."
}

// Keys implements Step.
func (s *SignIn) Keys() []key.Binding {
	switch s.phase {
	case "waiting":
		keys := []key.Binding{Keys.Open, Keys.Copy}
		if s.c.Demo != nil {
			keys = append(keys, Keys.Approve)
		}
		return keys
	case "failed":
		return []key.Binding{Keys.Retry}
	case "signed":
		return []key.Binding{Keys.Enter}
	}
	return nil
}
