package flow

import (
	"context"
	"fmt"
)

// SignInLines is the sign-in as printed lines, for plain mode and the
// commands without screens: each state a line or two, the sign-in page's
// address on a line of its own (copyable whole), each refusal explained.
type SignInLines struct {
	// Say prints one line (the caller cleans it for its terminal).
	Say func(line string)
	// Way is the sign-in's way; its DeviceCodeWhy is said once.
	Way SignInWay
	// ConsentURL is the admin-consent page, for a missing consent.
	ConsentURL string
	// AppName is the app the person approves ("" leaves it unsaid).
	AppName string
	// Waiting is called once the page or the code is shown (the demo asks
	// for enter to play the person at the browser); an error ends the
	// sign-in with it.
	Waiting func() error
	// Ask is asked after a failed browser sign-in whether to use a code
	// instead; nil uses one without asking. A failed code ends the sign-in.
	Ask func(ctx context.Context, question string) (bool, error)
	// QuietDone says nothing on signing in (the caller says who).
	QuietDone bool

	saidWhy bool
}

func (l *SignInLines) say(format string, args ...any) { l.Say(fmt.Sprintf(format, args...)) }

// Show implements SignInReporter.
func (l *SignInLines) Show(ev SignInEvent) error {
	approving := ""
	if l.AppName != "" {
		approving = "You are approving " + l.AppName + ". "
	}
	switch ev.State {
	case SignInStarting:
		if ev.Via == ViaDeviceCode && l.Way.DeviceCodeWhy != "" && !l.saidWhy {
			l.saidWhy = true
			l.say("Signing in with a code: %s.", l.Way.DeviceCodeWhy)
		}
	case SignInWaitingForBrowser:
		if ev.Page.OpenErr != nil {
			l.say("Could not open a browser here (%v). To sign in, open this address in a browser on this computer:", ev.Page.OpenErr)
		} else {
			l.say("To sign in, use the browser window that opened, or open this address in a browser on this computer:")
		}
		l.say("%s", ev.Page.URL)
		l.say("%sWaiting for you to sign in (ctrl+c stops; --device-code signs in with a code instead).", approving)
		return l.waiting()
	case SignInShowingCode:
		l.say("To sign in, open %s and enter the code %s", ev.Code.VerificationURL, ev.Code.UserCode)
		l.say("%sThe code expires at %s.", approving, ev.Code.ExpiresAt.Local().Format("15:04"))
		return l.waiting()
	case SignInDone:
		if !ev.Silent && !l.QuietDone {
			l.say("Signed in as %s.", ev.Account.UserPrincipalName)
		}
	case SignInFailed:
		headline, next := ev.Trouble(l.ConsentURL)
		l.say("%s\n%s", headline, next)
	}
	return nil
}

func (l *SignInLines) waiting() error {
	if l.Waiting == nil {
		return nil
	}
	return l.Waiting()
}

// Next implements SignInReporter: after the browser, a code (asked first
// when Ask is set); after a code, nothing more.
func (l *SignInLines) Next(ctx context.Context, ev SignInEvent) (Via, bool, error) {
	if ev.Via == ViaDeviceCode {
		return 0, false, nil
	}
	if l.Ask == nil {
		l.say("Signing in with a code instead.")
		return ViaDeviceCode, true, nil
	}
	yes, err := l.Ask(ctx, "Sign in with a code on any device instead?")
	return ViaDeviceCode, yes && err == nil, err
}
