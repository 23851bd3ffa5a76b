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
	"github.com/charmbracelet/x/ansi"

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
	signInStarting
	signInBrowser // waiting for the person to sign in in the browser
	signInCode    // waiting for the person to enter the code
	signInProfile
	signInSigned
	signInFailed
)

// signInMethod is a way of signing in.
type signInMethod int

const (
	viaBrowser signInMethod = iota
	viaCode
)

// The sign-in's typed replies. All but the first carry the attempt that
// asked, so a sign-in abandoned for the other way never lands.
type (
	cachedAccount  struct{ graphclient.Account }
	browserStarted struct {
		attempt int
		page    *graphclient.BrowserSignIn
	}
	codeStarted struct {
		attempt int
		code    *graphclient.DeviceCode
	}
	approvedAccount struct {
		attempt int
		account graphclient.Account
	}
)

// errNoOpener is the browser sign-in's answer when nothing can open a page.
var errNoOpener = errors.New("no way to open a browser")

// SignIn signs the person in: from the cache, else in the browser, or
// with a device code when asked or when no browser can open here; either
// way can switch to the other.
type SignIn struct {
	base
	spin    spinner.Model
	phase   signInPhase
	via     signInMethod
	attempt int
	// try is the current attempt's context; stop ends it.
	try    context.Context
	stop   context.CancelFunc
	page   *graphclient.BrowserSignIn
	code   *graphclient.DeviceCode
	person string // the demo's person at the browser
	who    SignedIn
	err    error
	note   string
}

// NewSignIn builds the sign-in screen.
func NewSignIn(c *Common) Step {
	s := &SignIn{base: newBase(c, IDSignIn), spin: c.newSpinner()}
	if c.SignIn.DeviceCodeWhy != "" {
		s.via = viaCode
	}
	return s
}

// Init implements Step.
func (s *SignIn) Init() tea.Cmd {
	if as := s.c.StandIns.SignInAs; as != nil && s.c.Session != nil {
		s.person = as(s.c.Session.Mode)
	}
	auth := s.c.Auth
	return tea.Batch(s.spin.Tick, do(&s.base, func(ctx context.Context) (cachedAccount, error) {
		a, err := auth.SignInSilent(ctx)
		return cachedAccount{a}, err
	}))
}

// start begins a sign-in the given way, ending any attempt in progress.
func (s *SignIn) start(via signInMethod) tea.Cmd {
	if s.stop != nil {
		s.stop()
	}
	s.attempt++
	s.try, s.stop = context.WithCancel(s.ctx)
	s.via, s.phase, s.err, s.note, s.page, s.code = via, signInStarting, nil, "", nil, nil
	auth, try, n := s.c.Auth, s.try, s.attempt
	if via == viaCode {
		return do(&s.base, func(context.Context) (codeStarted, error) {
			dc, err := auth.StartDeviceCode(try)
			return codeStarted{n, dc}, err
		})
	}
	open := s.c.SignIn.Open
	if open == nil {
		open = func(string) error { return errNoOpener }
	}
	return do(&s.base, func(context.Context) (browserStarted, error) {
		page, err := auth.StartBrowserSignIn(try, open)
		return browserStarted{n, page}, err
	})
}

// wait waits for the started sign-in to be approved.
func (s *SignIn) wait(finish func(ctx context.Context) (graphclient.Account, error)) tea.Cmd {
	try, n := s.try, s.attempt
	return do(&s.base, func(context.Context) (approvedAccount, error) {
		a, err := finish(try)
		return approvedAccount{n, a}, err
	})
}

func (s *SignIn) fail(err error) {
	s.phase, s.err = signInFailed, err
	if s.stop != nil {
		s.stop()
	}
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
			return s, s.start(s.via)
		}
		return s, s.profile(r.value.Account)
	}
	if r, ok := mine[browserStarted](&s.base, msg); ok && r.value.attempt == s.attempt {
		if r.err != nil {
			s.fail(r.err)
			return s, nil
		}
		s.page, s.phase = r.value.page, signInBrowser
		auth, page := s.c.Auth, s.page
		return s, s.wait(func(ctx context.Context) (graphclient.Account, error) { return auth.FinishBrowserSignIn(ctx, page) })
	}
	if r, ok := mine[codeStarted](&s.base, msg); ok && r.value.attempt == s.attempt {
		if r.err != nil {
			s.fail(r.err)
			return s, nil
		}
		s.code, s.phase = r.value.code, signInCode
		auth, dc := s.c.Auth, s.code
		return s, s.wait(func(ctx context.Context) (graphclient.Account, error) { return auth.FinishDeviceCode(ctx, dc) })
	}
	if r, ok := mine[approvedAccount](&s.base, msg); ok && r.value.attempt == s.attempt {
		switch {
		case errors.Is(r.err, context.Canceled):
		case r.err != nil:
			s.fail(r.err)
		default:
			return s, s.profile(r.value.account)
		}
		return s, nil
	}
	if r, ok := mine[SignedIn](&s.base, msg); ok {
		if r.err != nil {
			s.fail(r.err)
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
	waiting := s.phase == signInBrowser || s.phase == signInCode
	switch {
	case key.Matches(k, keys.Enter) && s.phase == signInSigned:
		return s.finish(diagnose.OutcomeDone, "", s.who)
	case key.Matches(k, keys.Retry) && s.phase == signInFailed:
		return s.start(s.via)
	case key.Matches(k, keys.UseCode) && (s.phase == signInBrowser || s.phase == signInFailed):
		return s.start(viaCode)
	case key.Matches(k, keys.UseBrowser) && (s.phase == signInCode || s.phase == signInFailed):
		return s.start(viaBrowser)
	case key.Matches(k, keys.Open) && s.phase == signInBrowser:
		if open := s.c.SignIn.Open; open == nil || open(s.page.URL) != nil {
			s.note = "Could not open a browser here: copy the address (c) into a browser on this computer."
		}
	case key.Matches(k, keys.Open) && s.phase == signInCode:
		if err := s.c.Open(s.code.VerificationURL); err != nil {
			s.note = "Could not open a browser here: open " + s.code.VerificationURL + " on any device."
		}
	case key.Matches(k, keys.Copy) && s.phase == signInBrowser:
		s.note = "Address copied to the clipboard (where the terminal allows it)."
		return tea.SetClipboard(s.page.URL)
	case key.Matches(k, keys.Copy) && s.phase == signInCode:
		s.note = "Code copied to the clipboard (where the terminal allows it)."
		return tea.SetClipboard(s.code.UserCode)
	case key.Matches(k, keys.Approve) && waiting && s.c.StandIns.ApproveSignIn != nil:
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
	case signInStarting:
		if s.via == viaCode {
			out += s.spin.View() + " Asking Entra ID for a sign-in code…"
		} else {
			out += s.spin.View() + " Opening the sign-in page in your browser…"
		}
	case signInProfile:
		out += s.spin.View() + " Reading who you are…"
	case signInBrowser:
		out += s.browserView()
	case signInCode:
		out += s.codeView()
	case signInSigned:
		out += st.Pass.Render("✓ Signed in") + "\n\n" + s.whoView()
		out += "\n\nPress enter to describe the failing connection."
	case signInFailed:
		out += s.failureView()
	}
	if s.note != "" {
		out += "\n\n" + st.Subtle.Render(s.c.wrap(s.note))
	}
	return out
}

func (s *SignIn) browserView() string {
	st := s.c.Styles
	out := s.spin.View() + " Waiting for you to sign in in the browser…\n\n"
	approving := fmt.Sprintf("You are approving %s, the app apppass signs in as; the browser hands the answer back to apppass on this computer.", s.c.AppName)
	if err := s.page.OpenErr; err != nil {
		out += st.Warning.Render(s.c.wrap("! Could not open a browser here: "+termsafe.Clean(err.Error())+".")) + "\n" + s.c.wrap(approving)
	} else {
		out += s.c.wrap("Sign in in the browser window that opened. " + approving)
	}
	if s.c.StandIns.ApproveSignIn != nil {
		out += "\n" + st.Subtle.Render(s.c.wrap(s.demoHint()))
	}
	return out + "\n\n" + s.c.wrap("Open this address in a browser on this computer (c copies it), or press d to sign in with a code on any device:") + "\n\n" +
		st.URL.Render(ansi.Hardwrap(s.page.URL, max(s.c.Width, 20), false))
}

func (s *SignIn) codeView() string {
	st := s.c.Styles
	out := ""
	if why := s.c.SignIn.DeviceCodeWhy; why != "" {
		out += st.Subtle.Render(s.c.wrap("Signing in with a code: "+why+".")) + "\n\n"
	}
	out += "On any device, open " + st.URL.Render(s.code.VerificationURL) + " and enter this code:\n\n" +
		st.Code.Render(s.code.UserCode) + "\n\n" +
		s.c.wrap(fmt.Sprintf("You are approving %s, the app apppass signs in as. The code %s.", s.c.AppName, expiry(s.code.ExpiresAt))) + "\n\n" +
		s.spin.View() + " Waiting for you to sign in…"
	if s.c.StandIns.ApproveSignIn != nil {
		out += "\n" + st.Subtle.Render(s.c.wrap(s.demoHint()))
	}
	return out
}

// demoHint says who the simulated person is and how to hurry them.
func (s *SignIn) demoHint() string {
	who := "the simulated person"
	if s.person != "" {
		who = "the simulated " + s.personRole() + " (" + termsafe.Clean(s.person) + ")"
	}
	return "Demo: " + who + " signs in by themselves in a few seconds, or press a."
}

// personRole names the demo's person by the path taken.
func (s *SignIn) personRole() string {
	if s.c.Session != nil && s.c.Session.Mode == ModeEndUser {
		return "account owner"
	}
	return "admin"
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
	headline, next := SignInTrouble(s.err, s.c.ConsentURL, s.via == viaCode)
	out := s.c.Styles.Error.Render(s.c.wrap("✗ "+headline)) + "\n" + s.c.wrap(next)
	if id := graphclient.RequestID(s.err); id != "" {
		out += "\n" + s.c.Styles.Subtle.Render("request-id "+id)
	}
	other := "Press d to sign in with a code on any device instead."
	if s.via == viaCode {
		other = "Press b to sign in with the browser instead."
	}
	return out + "\n\n" + s.c.wrap("Press r to try again. "+other)
}

// KeyMap implements Step.
func (s *SignIn) KeyMap() help.KeyMap {
	var k keyMap
	switch s.phase {
	case signInBrowser:
		k = keyMap{keys.Open, withHelp(keys.Copy, "copy the address"), keys.UseCode}
	case signInCode:
		k = keyMap{keys.Open, keys.Copy, keys.UseBrowser}
	case signInFailed:
		other := keys.UseCode
		if s.via == viaCode {
			other = keys.UseBrowser
		}
		return keyMap{keys.Retry, other}
	case signInSigned:
		return keyMap{keys.Enter}
	default:
		return nil
	}
	if s.c.StandIns.ApproveSignIn != nil {
		k = append(k, keys.Approve)
	}
	return k
}
