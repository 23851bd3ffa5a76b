package wizard

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// esc while the ? help is open closes the help and stays on the screen:
// it does not also go back a screen.
func TestEscClosesTheHelpOnly(t *testing.T) {
	h := newHarness(t, "classic")
	h.waitFor("Whose connection is it?")
	h.press("down", "enter")
	h.waitFor("Waiting for you to sign in")
	h.press("a")
	h.waitFor("Signed in")
	on := h.m.current.ID()
	h.press("?")
	if !h.m.showHelp {
		t.Fatal("? did not open the help")
	}
	h.press("esc")
	h.settle()
	if h.m.showHelp || h.m.current.ID() != on {
		t.Fatalf("esc with the help open: help %v, screen %s (was %s)", h.m.showHelp, h.m.current.ID(), on)
	}
	h.press("esc") // with the help closed, esc goes back as ever
	h.waitFor("Whose connection is it?")
}

// A Flash answers a key on one screen: when the screen changes without a
// key (the person signs in in the browser), it is gone.
func TestFlashEndsWithItsScreen(t *testing.T) {
	h := newHarness(t, "classic")
	h.waitFor("Whose connection is it?")
	h.press("down", "enter")
	h.waitFor("Waiting for you to sign in")
	h.press("c")
	h.waitFor("Copied to the clipboard")
	h.m.common.StandIns.ApproveSignIn() // the person signs in, no key pressed
	h.waitFor("Signed in")
	if strings.Contains(h.frame(), "Copied to the clipboard") {
		t.Fatalf("the copy's answer stayed on the next screen:\n%s", h.frame())
	}
}

// exportedFlash checks the export's answer: one footer line in the frame
// that names the files itself (a shared name said once) and their folder,
// cut, if at all, at the folder's start, never in a file's name.
func (h *harness) exportedFlash() {
	h.t.Helper()
	h.answered("Exported apppass-")
	var line string
	for l := range strings.SplitSeq(h.frame(), "\n") {
		if l = strings.TrimSpace(l); strings.HasPrefix(l, "Exported apppass-") {
			line = l
		}
	}
	h.t.Logf("the export's answer at %d columns: %s", h.m.width, line)
	names, dir, ok := strings.Cut(line, " to ")
	if !ok || strings.Contains(line, "listed below") || ansi.StringWidth(line) > h.m.width-2 {
		h.t.Fatalf("the export's answer %q at %d columns", line, h.m.width)
	}
	if !strings.HasPrefix(names, "Exported apppass-admin-note-") || !strings.Contains(names, ".txt, apppass-report-") || !strings.HasSuffix(names, ".json and .md") {
		h.t.Fatalf("the answer does not name the files: %q", line)
	}
	if full := h.launcher.dir; dir != full && !(strings.HasPrefix(dir, "…") && strings.HasSuffix(full, strings.TrimPrefix(dir, "…"))) {
		h.t.Fatalf("the folder %q is not %s or its end", dir, full)
	}
}
