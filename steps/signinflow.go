package steps

import (
	"context"
	"fmt"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/apppass/apppass/flow"
	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/termsafe"
)

// flowPhase is where a sign-in the person takes part in stands, as drawn.
type flowPhase int

const (
	flowIdle flowPhase = iota
	flowStarting
	flowBrowser // waiting for the person to sign in in the browser
	flowCode    // waiting for the person to enter the code
	flowFailed
)

// signInEvent is one state of flow's sign-in driver, tagged with the
// attempt that reported it, so a sign-in abandoned for the other way never
// lands; more is false once the attempt has ended.
type signInEvent struct {
	attempt int
	event   flow.SignInEvent
	more    bool
}

// eventsTo is the driver's reporter for the full screen: each state goes
// over a channel to the screen's Update; the keys choose the next way.
type eventsTo struct {
	ctx    context.Context
	events chan<- flow.SignInEvent
}

// Show implements flow.SignInReporter.
func (e eventsTo) Show(ev flow.SignInEvent) error {
	select {
	case e.events <- ev:
		return nil
	case <-e.ctx.Done():
		return e.ctx.Err()
	}
}

// Next implements flow.SignInReporter: the screen waits for r, d or b.
func (eventsTo) Next(context.Context, flow.SignInEvent) (flow.Via, bool, error) {
	return 0, false, nil
}

// signInFlow draws flow's sign-in driver: the browser page (the default)
// or a device code, either way switching to the other on a key, each
// refusal explained. The sign-in screen and the OAuth test's sign-in of the
// account owner both use it.
type signInFlow struct {
	b       *base
	driver  flow.SignIn
	phase   flowPhase
	via     flow.Via
	attempt int
	// try is the current attempt's context; stop ends it.
	try    context.Context
	stop   context.CancelFunc
	events chan flow.SignInEvent
	page   *graphclient.BrowserSignIn
	code   *graphclient.DeviceCode
	err    error
	note   string
	// person is the demo's simulated person and role, for its hint.
	person, role string
}

func newSignInFlow(b *base, driver flow.SignIn) signInFlow {
	return signInFlow{b: b, driver: driver, via: driver.Way.First()}
}

// run starts the whole sign-in: the saved one, else the way the run asks.
func (f *signInFlow) run() tea.Cmd {
	driver := f.driver
	return f.begin(func(ctx context.Context, r flow.SignInReporter) { driver.Run(ctx, r) })
}

// start begins a sign-in the given way, ending any attempt in progress.
func (f *signInFlow) start(via flow.Via) tea.Cmd {
	f.via, f.phase = via, flowStarting
	driver := f.driver
	return f.begin(func(ctx context.Context, r flow.SignInReporter) { driver.Attempt(ctx, via, r) })
}

// begin runs the driver in the background for a new attempt and listens
// for its first state. The driver's answers all arrive as events.
func (f *signInFlow) begin(drive func(ctx context.Context, r flow.SignInReporter)) tea.Cmd {
	f.end()
	f.attempt++
	f.try, f.stop = context.WithCancel(f.b.ctx)
	f.events = make(chan flow.SignInEvent)
	f.err, f.note, f.page, f.code = nil, "", nil, nil
	try, events := f.try, f.events
	go func() {
		defer close(events)
		drive(try, eventsTo{ctx: try, events: events})
	}()
	return f.listen()
}

// listen waits for the current attempt's next state.
func (f *signInFlow) listen() tea.Cmd {
	n, try, events := f.attempt, f.try, f.events
	return do(f.b, func(context.Context) (signInEvent, error) {
		select {
		case ev, more := <-events:
			return signInEvent{attempt: n, event: ev, more: more}, nil
		case <-try.Done():
			return signInEvent{attempt: n}, nil
		}
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

// update takes the driver's states; signedIn is set once the person has
// signed in.
func (f *signInFlow) update(msg tea.Msg) (cmd tea.Cmd, signedIn *graphclient.Account) {
	r, ok := mine[signInEvent](f.b, msg)
	if !ok || r.value.attempt != f.attempt || !r.value.more {
		return nil, nil
	}
	ev := r.value.event
	f.via = ev.Via
	switch ev.State {
	case flow.SignInStarting:
		f.phase = flowStarting
	case flow.SignInWaitingForBrowser:
		f.page, f.phase = ev.Page, flowBrowser
	case flow.SignInShowingCode:
		f.code, f.phase = ev.Code, flowCode
	case flow.SignInDone:
		f.phase = flowIdle
		return nil, &ev.Account
	case flow.SignInFailed:
		f.phase, f.err = flowFailed, ev.Err
		return nil, nil
	}
	return f.listen(), nil
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
		return f.start(flow.ViaDeviceCode)
	case key.Matches(k, keys.UseBrowser) && (f.phase == flowCode || f.phase == flowFailed):
		return f.start(flow.ViaBrowser)
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
		if f.via == flow.ViaDeviceCode {
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
	if why := f.driver.Way.DeviceCodeWhy; why != "" {
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
	headline, next := flow.SignInTrouble(f.err, c.ConsentURL, f.via == flow.ViaDeviceCode)
	out := c.Styles.Error.Render(c.wrap("✗ "+headline)) + "\n" + c.wrap(next)
	if id := graphclient.RequestID(f.err); id != "" {
		out += "\n" + c.Styles.Subtle.Render("request-id "+id)
	}
	other := "Press d to sign in with a code on any device instead."
	if f.via == flow.ViaDeviceCode {
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
		if f.via == flow.ViaDeviceCode {
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
