package wizard

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/apppass/apppass/internal/testkit"
	"github.com/apppass/apppass/steps"
)

// Issue 21's case 8: commands, addresses and codes are never wrapped
// inside a token, `c` copies each with an answer inside the 24-line frame,
// and the footer is never cut, at 80×24 and 120×40, along the classic
// admin walk, the no-app-password walk and the screens that print Exchange
// commands.
func TestCopyableTextStaysWhole(t *testing.T) {
	sized(t, func(t *testing.T, start func(string) *harness) {
		t.Run("classic", func(t *testing.T) {
			h := start("classic")
			h.waitFor("Whose connection is it?")
			h.press("down", "enter")
			h.waitFor("Waiting for you to sign in")
			h.wholeTokens()
			h.press("c")
			h.answered("Copied to the clipboard (where the terminal allows it): the code")
			h.press("b")
			h.waitFor("Open this address in a browser")
			h.wholeTokens()
			h.press("c")
			h.answered("Copied to the clipboard (where the terminal allows it): the sign-in address")
			h.press("a")
			h.waitFor("Signed in")
			h.press("enter")
			h.waitFor("The failing connection")
			h.press("enter")
			h.waitFor("Can an app password fix this?")
			h.wholeTokens()
			h.press("enter")
			h.waitFor("tenant setting · no API")
			h.wholeTokens()
			if !strings.Contains(h.frame(), "c copy the address") {
				t.Fatalf("the Allow screen offers no copy key:\n%s", h.frame())
			}
			// The address, cut at 80 columns, links to the whole of it, and
			// the link passes termsafe.Frame.
			if link := ansi.SetHyperlink("https://account.activedirectory.windowsazure.com/usermanagement/mfasettings.aspx"); !strings.Contains(h.m.View().Content, link) {
				t.Errorf("no OSC 8 link to the whole address in the frame:\n%q", h.m.View().Content)
			}
			h.press("c")
			h.answered("Copied to the clipboard (where the terminal allows it): https://account.")
			h.press("o")
			h.answered("Could not open a browser here")
			h.press("y")
			h.waitFor("Make this change? [y/N]")
			h.wholeTokens()
			h.press("y")
			h.waitFor("Verified")
			h.press("enter")
			h.waitFor("Sign the account out everywhere?")
			h.press("y")
			h.waitFor("sign-in sessions: valid from")
			h.press("enter")
			h.waitFor("App password option can appear")
			h.wholeTokens()
			h.press("c")
			h.waitFor("Simulated Security info page")
			h.press("y")
			h.waitFor("Paste the app password")
			h.press("ctrl+d")
			h.waitFor("235 2.7.0")
			h.wholeTokens()
			h.press("enter")
			h.waitFor("Nothing from the app yet")
			h.press("s")
			h.waitFor("Changes made")
			h.wholeTokens()
			h.press("e")
			h.exportedFlash()
		})
		t.Run("no app password", func(t *testing.T) {
			h := start("security-defaults")
			h.toDiagnosis()
			h.wholeTokens()
			h.press("enter")
			h.waitFor("Test the way forward")
			h.wholeTokens()
			h.press("s")
			h.waitFor("Changes made")
			h.wholeTokens()
			h.press("c", "c")
			h.answered("Copied to the clipboard (where the terminal allows it): 2 of ")
		})
		for _, sc := range []string{"post-2020-tenant", "smtp-basic-off", "mailbox-smtp-off"} {
			t.Run(sc, func(t *testing.T) {
				h := start(sc)
				h.signInAsAdmin()
				h.press("enter")
				h.waitForBody("Can an app password fix this?") // below a long cause at 80×24
				h.wholeTokens()
			})
		}
	})
}

// wholeTokens fails when a command or an address on the screen (anywhere
// in the scrolling body) is split across lines, or when the footer is cut.
func (h *harness) wholeTokens() {
	h.t.Helper()
	lines := strings.Split(ansi.Strip(h.m.body.GetContent()), "\n")
	for i := range lines {
		lines[i] = strings.TrimSpace(lines[i])
	}
	joined := strings.Join(lines, " ")
	for _, tok := range steps.Tokens(joined) {
		if !onOneLine(lines, tok) {
			h.t.Errorf("%q is split across lines:\n%s", tok, strings.Join(lines, "\n"))
		}
	}
	for _, tok := range h.m.common.Shown {
		if !onOneLine(lines, tok) {
			h.t.Errorf("the copyable %q is not on a line of its own:\n%s", tok, strings.Join(lines, "\n"))
		}
	}
	h.footerWhole()
}

// onOneLine reports that tok is whole on one line, or, wider than the
// body, begins a line that is cut with a visible "…".
func onOneLine(lines []string, tok string) bool {
	for _, line := range lines {
		if strings.Contains(line, tok) {
			return true
		}
		if cut, ok := strings.CutSuffix(line, "…"); ok && len(cut) > 10 && strings.HasPrefix(tok, cut[strings.LastIndex(cut, " ")+1:]) {
			return true
		}
	}
	return false
}

// footerWhole fails when the footer's keys were cut (" …").
func (h *harness) footerWhole() {
	h.t.Helper()
	frame := h.frame()
	if strings.HasSuffix(strings.TrimRight(frame, " \n"), "…") {
		h.t.Errorf("the footer is cut at %dx%d:\n%s", h.m.width, h.m.height, frame)
	}
}

// answered waits for the answer to a key, and fails unless it is inside
// the frame, whatever the body's scroll.
func (h *harness) answered(text string) {
	h.t.Helper()
	h.waitFor(text)
	lines := strings.Split(h.frame(), "\n")
	if len(lines) > h.m.height {
		h.t.Fatalf("the frame is %d lines, the terminal %d", len(lines), h.m.height)
	}
	h.footerWhole()
}

// waitForBody processes messages until the scrolling body, in view or
// not, contains text.
func (h *harness) waitForBody(text string) {
	h.t.Helper()
	deadline := time.After(testkit.Patience(h.t))
	for !strings.Contains(ansi.Strip(h.m.body.GetContent()), text) {
		h.deliver(h.next(deadline, fmt.Sprintf("%q in the body", text)))
	}
}

// The ? help, its marks legend included, fits 80 columns and lists c where
// c copies (its legend was one 98-cell line, cut by the terminal).
func TestHelpFitsAt80x24(t *testing.T) {
	l := &testLauncher{t: t, dir: t.TempDir(), deviceCode: true}
	h := newHarnessWith(t, l, "classic")
	h.deliver(windowSize(80, 24))
	h.toDiagnosis()
	h.press("enter")
	h.waitFor("tenant setting · no API")
	h.press("?")
	frame := h.frame()
	lines := strings.Split(frame, "\n")
	if len(lines) > 24 {
		t.Errorf("the help makes the frame %d lines:\n%s", len(lines), frame)
	}
	for i, line := range lines {
		if w := ansi.StringWidth(line); w > 80 {
			t.Errorf("line %d is %d cells wide: %q", i+1, w, line)
		}
	}
	for _, want := range []string{"struck out: not needed", "c     copy the address", "ctrl+c quit"} {
		if !strings.Contains(flatten(frame), flatten(want)) {
			t.Errorf("%q missing from the help:\n%s", want, frame)
		}
	}
}
