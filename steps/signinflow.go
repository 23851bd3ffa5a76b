package steps

import (
	"context"
	"errors"
	"fmt"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/termsafe"
)

// flowPhase is where a sign-in the person takes part in stands.
type flowPhase int

const (
	flowIdle flowPhase = iota
	flowStarting
	flowBrowser // waiting for the person to sign in in the browser
	flowCode    // waiting for the person to enter the code
	flowFailed
)

// signInMethod is a way of signing in.
type signInMethod int

const (
	viaBrowser signInMethod = iota
	viaCode
)

// The flow's typed replies, each tagged with the attempt that asked, so a
// sign-in abandoned for the other way never lands.
type (
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

// signInFlow is the part of a sign-in the person takes part in: the
// browser page (the default) or a device code, either way switching to
// the other, each refusal explained. The sign-in screen and the OAuth
// test's sign-in of the account owner both use it.
type signInFlow struct {
	b       *base
	auth    Authenticator
	phase   flowPhase
	via     signInMethod
	attempt int
	// try is the current attempt's context; stop ends it.
	try  context.Context
	stop context.CancelFunc
	page *graphclient.BrowserSignIn
	code *graphclient.DeviceCode
	err  error
	note string
	// person is the demo's simulated person and role, for its hint.
	person, role string
}

func newSignInFlow(b *base, auth Authenticator) signInFlow {
	f := signInFlow{b: b, auth: auth}
	if b.c.SignIn.DeviceCodeWhy != "" {
		f.via = viaCode
	}
	return f
}

// start begins a sign-in the given way, ending any attempt in progress.
func (f *signInFlow) start(via signInMethod) tea.Cmd {
	f.end()
	f.attempt++
	f.try, f.stop = context.WithCancel(f.b.ctx)
	f.via, f.phase, f.err, f.note, f.page, f.code = via, flowStarting, nil, "", nil, nil
	auth, try, n := f.auth, f.try, f.attempt
	if via == viaCode {
		return do(f.b, func(context.Context) (codeStarted, error) {
			dc, err := auth.StartDeviceCode(try)
			return codeStarted{n, dc}, err
		})
	}
	open := f.b.c.SignIn.Open
	if open == nil {
		open = func(string) error { return errNoOpener }
	}
	return do(f.b, func(context.Context) (browserStarted, error) {
		page, err := auth.StartBrowserSignIn(try, open)
		return browserStarted{n, page}, err
	})
}

// end stops the attempt in progress, if any.
func (f *signInFlow) end() {
	if f.stop != nil {
		f.stop()
	}
}

// fail shows a refusal and ends the attempt.
func (f *signInFlow) fail(err error) {
	f.phase, f.err = flowFailed, err
	f.end()
}

// wait waits for the started sign-in to be approved.
func (f *signInFlow) wait(finish func(ctx context.Context) (graphclient.Account, error)) tea.Cmd {
	try, n := f.try, f.attempt
	return do(f.b, func(context.Context) (approvedAccount, error) {
		a, err := finish(try)
		return approvedAccount{n, a}, err
	})
}

// update takes the flow's replies; signedIn is set once the person has
// signed in.
func (f *signInFlow) update(msg tea.Msg) (cmd tea.Cmd, signedIn *graphclient.Account) {
	if r, ok := mine[browserStarted](f.b, msg); ok && r.value.attempt == f.attempt {
		if r.err != nil {
			f.fail(r.err)
			return nil, nil
		}
		f.page, f.phase = r.value.page, flowBrowser
		auth, page := f.auth, f.page
		return f.wait(func(ctx context.Context) (graphclient.Account, error) { return auth.FinishBrowserSignIn(ctx, page) }), nil
	}
	if r, ok := mine[codeStarted](f.b, msg); ok && r.value.attempt == f.attempt {
		if r.err != nil {
			f.fail(r.err)
			return nil, nil
		}
		f.code, f.phase = r.value.code, flowCode
		auth, dc := f.auth, f.code
		return f.wait(func(ctx context.Context) (graphclient.Account, error) { return auth.FinishDeviceCode(ctx, dc) }), nil
	}
	if r, ok := mine[approvedAccount](f.b, msg); ok && r.value.attempt == f.attempt {
		switch {
		case errors.Is(r.err, context.Canceled):
		case r.err != nil:
			f.fail(r.err)
		default:
			f.phase = flowIdle
			return nil, &r.value.account
		}
	}
	return nil, nil
}

// key handles the flow's keys: r after a refusal tries the same way
// again, d and b switch ways, o, c and a act on the page or code shown.
func (f *signInFlow) key(k tea.KeyPressMsg) tea.Cmd {
	c := f.b.c
	waiting := f.phase == flowBrowser || f.phase == flowCode
	switch {
	case key.Matches(k, keys.Retry) && f.phase == flowFailed:
		return f.start(f.via)
	case key.Matches(k, keys.UseCode) && (f.phase == flowBrowser || f.phase == flowFailed):
		return f.start(viaCode)
	case key.Matches(k, keys.UseBrowser) && (f.phase == flowCode || f.phase == flowFailed):
		return f.start(viaBrowser)
	case key.Matches(k, keys.Open) && f.phase == flowBrowser:
		if open := c.SignIn.Open; open == nil || open(f.page.URL) != nil {
			f.note = "Could not open a browser here: copy the address (c) into a browser on this computer."
		}
	case key.Matches(k, keys.Open) && f.phase == flowCode:
		if err := c.Open(f.code.VerificationURL); err != nil {
			f.note = "Could not open a browser here: open " + f.code.VerificationURL + " on any device."
		}
	case key.Matches(k, keys.Copy) && f.phase == flowBrowser:
		return CopyText(f.page.URL, "the sign-in address")
	case key.Matches(k, keys.Copy) && f.phase == flowCode:
		return CopyText(f.code.UserCode, "the code "+f.code.UserCode)
	case key.Matches(k, keys.Approve) && waiting && c.StandIns.ApproveSignIn != nil:
		c.StandIns.ApproveSignIn()
		f.note = "Approved, as if you had signed in in the browser."
	}
	return nil
}

// view renders the flow; spin is the screen's spinner.
func (f *signInFlow) view(spin spinner.Model) string {
	out := ""
	switch f.phase {
	case flowStarting:
		if f.via == viaCode {
			out = spin.View() + " Asking Entra ID for a sign-in code…"
		} else {
			out = spin.View() + " Opening the sign-in page in your browser…"
		}
	case flowBrowser:
		out = f.browserView(spin)
	case flowCode:
		out = f.codeView(spin)
	case flowFailed:
		out = f.failureView()
	}
	if f.note != "" && f.phase != flowIdle {
		out += "\n\n" + f.b.c.Styles.Subtle.Render(f.b.c.wrap(f.note))
	}
	return out
}

func (f *signInFlow) browserView(spin spinner.Model) string {
	c := f.b.c
	st := c.Styles
	out := spin.View() + " Waiting for you to sign in in the browser…\n\n"
	approving := fmt.Sprintf("You are approving %s, the app apppass signs in as; the browser hands the answer back to apppass on this computer.", c.AppName)
	if err := f.page.OpenErr; err != nil {
		out += st.Warning.Render(c.wrap("! Could not open a browser here: "+termsafe.Clean(err.Error())+".")) + "\n" + c.wrap(approving)
	} else {
		out += c.wrap("Sign in in the browser window that opened. " + approving)
	}
	if c.StandIns.ApproveSignIn != nil {
		out += "\n" + st.Subtle.Render(c.wrap(f.demoHint()))
	}
	return out + "\n\n" + c.wrap("Open this address in a browser on this computer (c copies it), or press d to sign in with a code on any device:") + "\n\n" +
		c.token(f.page.URL)
}

func (f *signInFlow) codeView(spin spinner.Model) string {
	c := f.b.c
	st := c.Styles
	out := ""
	if why := c.SignIn.DeviceCodeWhy; why != "" {
		out += st.Subtle.Render(c.wrap("Signing in with a code: "+why+".")) + "\n\n"
	}
	out += c.wrap("On any device, open this address and enter this code:") + "\n" + c.token(f.code.VerificationURL) + "\n\n" +
		st.Code.Render(f.code.UserCode) + "\n\n" +
		c.wrap(fmt.Sprintf("You are approving %s, the app apppass signs in as. The code %s.", c.AppName, expiry(f.code.ExpiresAt))) + "\n\n" +
		spin.View() + " Waiting for you to sign in…"
	if c.StandIns.ApproveSignIn != nil {
		out += "\n" + st.Subtle.Render(c.wrap(f.demoHint()))
	}
	return out
}

// demoHint says who the simulated person is and how to hurry them.
func (f *signInFlow) demoHint() string {
	who := "the simulated person"
	if f.person != "" {
		who = "the simulated " + f.role + " (" + termsafe.Clean(f.person) + ")"
	}
	return "Demo: " + who + " signs in by themselves in a few seconds, or press a."
}

func (f *signInFlow) failureView() string {
	c := f.b.c
	headline, next := SignInTrouble(f.err, c.ConsentURL, f.via == viaCode)
	out := c.Styles.Error.Render(c.wrap("✗ "+headline)) + "\n" + c.wrap(next)
	if id := graphclient.RequestID(f.err); id != "" {
		out += "\n" + c.Styles.Subtle.Render("request-id "+id)
	}
	other := "Press d to sign in with a code on any device instead."
	if f.via == viaCode {
		other = "Press b to sign in with the browser instead."
	}
	return out + "\n\n" + c.wrap("Press r to try again. "+other)
}

// keyMap is the flow's keys in its phase (nil when it shows nothing).
func (f *signInFlow) keyMap() keyMap {
	var k keyMap
	switch f.phase {
	case flowBrowser:
		k = keyMap{keys.Open, withHelp(keys.Copy, "copy the address"), keys.UseCode}
	case flowCode:
		k = keyMap{keys.Open, keys.Copy, keys.UseBrowser}
	case flowFailed:
		if f.via == viaCode {
			return keyMap{keys.Retry, keys.UseBrowser}
		}
		return keyMap{keys.Retry, keys.UseCode}
	default:
		return nil
	}
	if f.b.c.StandIns.ApproveSignIn != nil {
		k = append(k, keys.Approve)
	}
	return k
}

// expiry says when a device code stops working.
func expiry(at time.Time) string {
	left := time.Until(at).Round(time.Minute)
	if left <= 0 {
		return "has expired: press r for a new one"
	}
	return fmt.Sprintf("expires at %s (in %d minutes)", at.Local().Format("15:04"), int(left.Minutes()))
}
