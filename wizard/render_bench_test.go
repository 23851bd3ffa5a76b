package wizard

import (
	"testing"
	"time"
)

// BenchmarkRenderScreens lays out and renders each screen of the classic
// run at 120x40 (budget: under 2 ms a frame).
func BenchmarkRenderScreens(b *testing.B) {
	for _, colour := range []bool{true, false} {
		name := "colour"
		if !colour {
			name = "no-colour"
		}
		b.Run(name, func(b *testing.B) { renderScreens(b, colour) })
	}
}

// renderScreens walks the classic demo at 120x40 and times a frame of each
// screen, in colour as a person's terminal draws it, or without.
func renderScreens(b *testing.B, colour bool) {
	h := newHarnessWith(b, &testLauncher{t: b, dir: b.TempDir(), colour: colour}, "classic")
	h.deliver(windowSize(120, 40))
	bench := func(name string) {
		b.Run(name, func(b *testing.B) {
			for range b.N {
				h.m.syncBody() // laying the screen into the scrolling body is part of a frame
				h.m.render()
			}
			b.ReportMetric(float64(b.Elapsed())/float64(b.N)/float64(time.Millisecond), "ms/frame")
		})
	}
	h.waitFor("Whose connection is it?")
	bench("welcome")
	h.press("down", "enter")
	h.waitFor("Waiting for you to sign in")
	bench("sign-in")
	h.press("a")
	h.waitFor("Signed in")
	h.press("enter")
	h.waitFor("The failing connection")
	bench("connection")
	h.press("enter")
	h.waitFor("Can an app password fix this?")
	bench("diagnosis")
	h.press("enter")
	h.waitFor("tenant setting · no API")
	bench("allow-app-passwords")
	h.press("y")
	h.waitFor("Make this change? [y/N]")
	bench("enforce-mfa")
	h.press("y")
	h.waitFor("Verified")
	h.press("enter")
	h.waitFor("Sign the account out everywhere?")
	bench("sign-out")
	h.press("y")
	h.waitFor("sign-in sessions: valid from")
	h.press("enter")
	h.waitFor("by the account owner")
	bench("create-app-password")
	h.press("c")
	h.waitFor("Simulated Security info page")
	h.press("y")
	h.waitFor("Paste the app password")
	bench("test-app-password")
	h.press("ctrl+d")
	h.waitFor("235 2.7.0")
	h.press("enter")
	h.waitFor("Waiting for the app")
	bench("wait-for-app")
	h.press("s")
	h.waitFor("Changes made")
	bench("summary")
}
