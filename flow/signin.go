package flow

import (
	"context"
	"errors"

	"github.com/apppass/apppass/graphclient"
)

// Authenticator signs a person in (graphclient.Client satisfies it).
type Authenticator interface {
	SignInSilent(ctx context.Context) (graphclient.Account, error)
	StartBrowserSignIn(ctx context.Context, open func(url string) error) (*graphclient.BrowserSignIn, error)
	FinishBrowserSignIn(ctx context.Context, b *graphclient.BrowserSignIn) (graphclient.Account, error)
	StartDeviceCode(ctx context.Context) (*graphclient.DeviceCode, error)
	FinishDeviceCode(ctx context.Context, dc *graphclient.DeviceCode) (graphclient.Account, error)
}

// SignInWay is how a person signs in: in the browser (the default, like
// Microsoft's own tools), or with a device code.
type SignInWay struct {
	// DeviceCodeWhy says why a device code comes first (--device-code, an
	// SSH session, no display); "" signs in with the browser.
	DeviceCodeWhy string
	// Open shows the sign-in page: $BROWSER or the platform's opener live,
	// the simulated person's browser in the demo.
	Open func(url string) error
}

// First is the way a sign-in starts.
func (w SignInWay) First() Via {
	if w.DeviceCodeWhy != "" {
		return ViaDeviceCode
	}
	return ViaBrowser
}

// Via is one way of signing in with the person taking part.
type Via int

const (
	// ViaBrowser opens Entra's sign-in page; the browser hands the answer
	// back to a loopback address on this computer.
	ViaBrowser Via = iota
	// ViaDeviceCode shows a code to enter on any device.
	ViaDeviceCode
)

// Other is the other way.
func (v Via) Other() Via {
	if v == ViaDeviceCode {
		return ViaBrowser
	}
	return ViaDeviceCode
}

// SignInState is where a sign-in stands.
type SignInState int

const (
	// SignInStarting: asking for the sign-in page or the code.
	SignInStarting SignInState = iota
	// SignInWaitingForBrowser: the page is open (or could not open, Page.OpenErr)
	// and the person signs in there.
	SignInWaitingForBrowser
	// SignInShowingCode: the person enters Code on any device.
	SignInShowingCode
	// SignInDone: Account is signed in (Silent: from the saved sign-in).
	SignInDone
	// SignInFailed: Err says why; Trouble explains it.
	SignInFailed
)

// SignInEvent is one state of a sign-in, for a front end to draw.
type SignInEvent struct {
	State SignInState
	Via   Via
	// Page is the browser's sign-in page (SignInWaitingForBrowser).
	Page *graphclient.BrowserSignIn
	// Code is the device code to show (SignInShowingCode).
	Code *graphclient.DeviceCode
	// Account is who signed in (SignInDone).
	Account graphclient.Account
	// Silent: signed in from the saved sign-in, with no one taking part.
	Silent bool
	// Err is Entra's (or the network's) refusal (SignInFailed).
	Err error
}

// Trouble explains a failed sign-in: what went wrong, what to do next.
func (e SignInEvent) Trouble(consentURL string) (headline, next string) {
	return SignInTrouble(e.Err, consentURL, e.Via == ViaDeviceCode)
}

// SignInReporter is a front end of the sign-in: the full screen draws each
// state, plain mode and the commands print them as lines.
type SignInReporter interface {
	// Show draws a state; a non-nil error (the person quit) ends the
	// sign-in with it.
	Show(ev SignInEvent) error
	// Next is asked after a failed way (ev is its SignInFailed): the way
	// to try now, or false to give up with the failure.
	Next(ctx context.Context, ev SignInEvent) (Via, bool, error)
}

// ErrNoOpener is the browser sign-in's failure when nothing can open a page.
var ErrNoOpener = errors.New("no way to open a browser")

// SignIn is the one sign-in driver: from the saved sign-in, else in the
// browser (or with a device code when the way says so), and after a
// failure the way the reporter chooses. It draws nothing.
type SignIn struct {
	Auth Authenticator
	Way  SignInWay
	// Anew skips the saved sign-in: a client with no token cache (the
	// OAuth test's) has none.
	Anew bool
}

// Run signs the person in, reporting every state to r. A cancelled
// context ends it with the context's error and no failure shown.
func (s SignIn) Run(ctx context.Context, r SignInReporter) (graphclient.Account, error) {
	if !s.Anew {
		if acct, err := s.Auth.SignInSilent(ctx); err == nil {
			return acct, r.Show(SignInEvent{State: SignInDone, Account: acct, Silent: true})
		}
	}
	via := s.Way.First()
	for {
		acct, err := s.Attempt(ctx, via, r)
		var failed *failure
		if !errors.As(err, &failed) {
			return acct, err
		}
		next, again, qerr := r.Next(ctx, failed.ev)
		if qerr != nil {
			return graphclient.Account{}, qerr
		}
		if !again {
			return graphclient.Account{}, failed.ev.Err
		}
		via = next
	}
}

// failure is a failed way, already shown, carrying its event for Next.
type failure struct{ ev SignInEvent }

func (f *failure) Error() string { return f.ev.Err.Error() }
func (f *failure) Unwrap() error { return f.ev.Err }

// Attempt signs in one way, reporting its states to r: starting, waiting
// for the browser or showing the code, then done or failed. A failure's
// error wraps Entra's; a cancelled context ends it with the context's
// error and no failure shown (the person switched ways, or quit).
func (s SignIn) Attempt(ctx context.Context, via Via, r SignInReporter) (graphclient.Account, error) {
	if err := r.Show(SignInEvent{State: SignInStarting, Via: via}); err != nil {
		return graphclient.Account{}, err
	}
	acct, err := s.attempt(ctx, via, r)
	if err == nil {
		return acct, r.Show(SignInEvent{State: SignInDone, Via: via, Account: acct})
	}
	var quit *quitting
	switch {
	case errors.As(err, &quit):
		return graphclient.Account{}, quit.err
	case ctx.Err() != nil:
		return graphclient.Account{}, ctx.Err()
	}
	ev := SignInEvent{State: SignInFailed, Via: via, Err: err}
	if serr := r.Show(ev); serr != nil {
		return graphclient.Account{}, serr
	}
	return graphclient.Account{}, &failure{ev}
}

// quitting is the reporter's own error, passed through untouched.
type quitting struct{ err error }

func (q *quitting) Error() string { return q.err.Error() }

func (s SignIn) attempt(ctx context.Context, via Via, r SignInReporter) (graphclient.Account, error) {
	if via == ViaDeviceCode {
		dc, err := s.Auth.StartDeviceCode(ctx)
		if err != nil {
			return graphclient.Account{}, err
		}
		if err := r.Show(SignInEvent{State: SignInShowingCode, Via: via, Code: dc}); err != nil {
			return graphclient.Account{}, &quitting{err}
		}
		return s.Auth.FinishDeviceCode(ctx, dc)
	}
	open := s.Way.Open
	if open == nil {
		open = func(string) error { return ErrNoOpener }
	}
	page, err := s.Auth.StartBrowserSignIn(ctx, open)
	if err != nil {
		return graphclient.Account{}, err
	}
	if err := r.Show(SignInEvent{State: SignInWaitingForBrowser, Via: via, Page: page}); err != nil {
		return graphclient.Account{}, &quitting{err}
	}
	return s.Auth.FinishBrowserSignIn(ctx, page)
}
