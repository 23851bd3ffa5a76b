package steps

import (
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/styles"
)

// Wrap breaks at spaces only: never at a hyphen, never inside a word; a
// word wider than the width keeps a line of its own, and Fit cuts it with
// a visible mark.
func TestWrapNeverSplitsAWord(t *testing.T) {
	text := "For the whole organisation: Set-TransportConfig -SmtpClientAuthenticationDisabled $false, then https://account.activedirectory.windowsazure.com/usermanagement/mfasettings.aspx and done."
	for _, width := range []int{20, 33, 40, 76} {
		got := Wrap(text, width)
		for _, word := range strings.Fields(text) {
			if !strings.Contains(got, word) {
				t.Errorf("width %d: %q was split:\n%s", width, word, got)
			}
		}
		for _, line := range strings.Split(got, "\n") {
			if ansi.StringWidth(line) > width && strings.Contains(line, " ") {
				t.Errorf("width %d: %q is wider and could have been broken", width, line)
			}
		}
		for _, line := range strings.Split(Fit(text, width), "\n") {
			if w := ansi.StringWidth(line); w > width {
				t.Errorf("Fit at %d: %q is %d wide", width, line, w)
			}
		}
	}
	if got := Fit("see https://example.com/a/long/path/that/goes/on", 20); !strings.Contains(got, "https://example.com…") {
		t.Errorf("a long address is not cut with a visible mark:\n%s", got)
	}
	if text := "short\n  indented line\nend"; Wrap(text, 40) != text {
		t.Errorf("text that fits changed: %q", Wrap(text, 40))
	}
}

// A command or an address inside prose goes on a line of its own, whole,
// and is what c copies; an address carries its OSC 8 link.
func TestCommandsAndAddressesOnLinesOfTheirOwn(t *testing.T) {
	st := styles.New(true, true)
	c := &Common{Styles: &st, Width: 76}
	got := c.wrap(diagnose.EnableSMTPAuthHow + " See https://learn.microsoft.com/exchange/x.")
	lines := strings.Split(ansi.Strip(got), "\n")
	for _, want := range []string{
		"Set-CASMailbox -Identity <upn> -SmtpClientAuthenticationDisabled $false",
		"Set-TransportConfig -SmtpClientAuthenticationDisabled $false",
		"https://learn.microsoft.com/exchange/x",
	} {
		found := false
		for _, line := range lines {
			if strings.TrimSpace(line) == "." {
				t.Errorf("a full stop on a line of its own:\n%s", strings.Join(lines, "\n"))
			}
			found = found || strings.TrimSpace(line) == want
		}
		if !found {
			t.Errorf("%q is not on a line of its own:\n%s", want, strings.Join(lines, "\n"))
		}
	}
	if len(c.Shown) != 4 || c.Shown[3] != "https://learn.microsoft.com/exchange/x" {
		t.Errorf("the tokens c copies: %q", c.Shown)
	}
	if !strings.Contains(got, ansi.SetHyperlink("https://learn.microsoft.com/exchange/x")) {
		t.Errorf("the address has no OSC 8 link: %q", got)
	}
}

// A command's values are part of it: the account, the service and the
// duration of apppass's own commands, the mailbox of a PowerShell command,
// never the sentence's punctuation around them.
func TestTokensKeepTheirValues(t *testing.T) {
	text := "Check again later with apppass diagnose --user backup@contoso.onmicrosoft.com --service smtp --watch-app 15m, or look. " +
		"By hand: Set-CASMailbox -Identity backup@contoso.onmicrosoft.com -SmtpClientAuthenticationDisabled $false."
	want := []string{
		"apppass diagnose --user backup@contoso.onmicrosoft.com --service smtp --watch-app 15m",
		"Set-CASMailbox -Identity backup@contoso.onmicrosoft.com -SmtpClientAuthenticationDisabled $false",
	}
	if got := Tokens(text); !slices.Equal(got, want) {
		t.Fatalf("tokens %q, want %q", got, want)
	}
}

// A list item's continuation lines keep its indent.
func TestWrapKeepsTheIndent(t *testing.T) {
	got := Wrap("    one two three four five six", 14)
	want := "    one two\n    three four\n    five six"
	if got != want {
		t.Fatalf("wrapped %q, want %q", got, want)
	}
}
