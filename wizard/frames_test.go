package wizard

import (
	"flag"

	"github.com/charmbracelet/x/ansi"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// updating reads -update, which teatest defines for its own golden files.
func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// golden compares the current frame with testdata/frames/NAME.txt.
func (h *harness) golden(name string) {
	h.t.Helper()
	got := h.frame()
	path := filepath.Join("testdata", "frames", name+".txt")
	if updating() {
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			h.t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		h.t.Fatalf("%v (go test ./wizard -update)", err)
	}
	if string(want) != got {
		h.t.Errorf("frame %s differs:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

// The classic admin path, every screen it shows, as golden frames.
func TestClassicAdminFrames(t *testing.T) {
	h := newHarness(t, "classic")
	h.waitFor("Whose connection is it?")
	h.golden("01-welcome")
	h.press("down", "enter")
	h.waitFor("enter this code")
	h.golden("02-sign-in-code")
	h.press("a")
	h.waitFor("Signed in")
	h.golden("03-sign-in-done")
	h.press("enter")
	h.waitFor("The failing connection")
	h.golden("04-connection")
	h.press("enter")
	h.waitFor("Can an app password fix this?")
	h.golden("05-diagnosis")
	h.press("enter")
	h.waitFor("tenant setting · no API")
	h.golden("06-allow-app-passwords")
	h.press("y")
	h.waitFor("Make this change? [y/N]")
	h.golden("07-enforce-confirm")
	h.press("y")
	h.waitFor("Verified")
	h.golden("08-enforce-verified")
	h.press("enter")
	h.waitFor("Sign the account out everywhere?")
	h.golden("09-sign-out-confirm")
	h.press("y")
	h.waitFor("Verified: sessions")
	h.golden("10-sign-out-verified")
	h.press("enter")
	h.waitFor("by the account owner · no API")
	h.settle()
	h.golden("11-create")
	h.press("c")
	h.waitFor("Simulated Security info page")
	h.press("y")
	h.waitFor("Paste the app password")
	h.golden("12-test-input")
	h.press("ctrl+d")
	h.waitFor("235 2.7.0")
	h.golden("13-test-result")
	h.press("enter")
	h.waitFor("Changes made")
	h.golden("14-summary")
	h.press("n")
	h.golden("15-admin-note")
}

func TestOtherScreensFrames(t *testing.T) {
	t.Run("picker", func(t *testing.T) {
		h := newHarness(t, "")
		h.waitFor("Choose a simulated tenant")
		h.golden("20-picker")
	})
	t.Run("no-app-password verdict", func(t *testing.T) {
		h := newHarness(t, "security-defaults")
		h.signInAsAdmin()
		h.press("enter")
		h.waitFor("Can an app password fix this?")
		h.golden("21-diagnosis-security-defaults")
		h.press("enter")
		h.waitFor("Changes made")
		h.golden("22-summary-no-changes")
	})
	t.Run("missing role", func(t *testing.T) {
		h := newHarness(t, "admin-lacks-revoke")
		h.signInAsAdmin()
		h.press("enter")
		h.waitFor("Can an app password fix this?")
		h.press("enter")
		h.waitFor("tenant setting · no API")
		h.press("y")
		h.waitFor("Make this change?")
		h.press("y")
		h.waitFor("Verified")
		h.press("enter")
		h.waitFor("role this step needs")
		h.golden("23-sign-out-missing-role")
	})
	t.Run("too small", func(t *testing.T) {
		h := newHarness(t, "classic")
		h.waitFor("Whose connection")
		h.deliver(windowSize(60, 20))
		h.golden("24-too-small")
	})
}

// signInAsAdmin takes the admin path to the connection screen.
func (h *harness) signInAsAdmin() {
	h.t.Helper()
	h.waitFor("Whose connection is it?")
	h.press("down", "enter")
	h.waitFor("enter this code")
	h.press("a")
	h.waitFor("Signed in")
	h.press("enter")
	h.waitFor("The failing connection")
}

// Every golden frame fits the 100×32 terminal it was drawn for.
func TestFramesFitTheTerminal(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "frames", "*.txt"))
	if len(files) < 20 {
		t.Fatalf("only %d golden frames", len(files))
	}
	for _, f := range files {
		data, _ := os.ReadFile(f)
		lines := strings.Split(string(data), "\n")
		if len(lines) > 32 {
			t.Errorf("%s: %d lines", f, len(lines))
		}
		for i, line := range lines {
			if w := ansi.StringWidth(line); w > 100 {
				t.Errorf("%s line %d is %d cells wide: %q", filepath.Base(f), i+1, w, line)
			}
		}
	}
}
