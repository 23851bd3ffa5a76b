package wizard

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// exported reads the reports the summary's export wrote: the Markdown,
// the JSON's run record and the note.
func exported(t *testing.T, dir string) (md string, run map[string][]map[string]any, note string) {
	t.Helper()
	read := func(pattern string) string {
		files, _ := filepath.Glob(filepath.Join(dir, pattern))
		if len(files) != 1 {
			t.Fatalf("%d files match %s", len(files), pattern)
		}
		data, err := os.ReadFile(files[0])
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	var doc struct {
		Run map[string]json.RawMessage `json:"run"`
	}
	if err := json.Unmarshal([]byte(read("apppass-report-*.json")), &doc); err != nil {
		t.Fatal(err)
	}
	run = map[string][]map[string]any{}
	for _, k := range []string{"changesMade", "triedFailed", "outcomeUnknown"} {
		var list []map[string]any
		if err := json.Unmarshal(doc.Run[k], &list); err != nil {
			t.Fatalf("run.%s: %v", k, err)
		}
		run[k] = list
	}
	return read("apppass-report-*.md"), run, read("apppass-admin-note-*.txt")
}

// Issue 21, case 1: a change made, then walked back over with esc and the
// screen walked again, is still the change made: in the summary, the
// exported report (Markdown and JSON) and the undo offered.
func TestChangeMadeSurvivesGoingBack(t *testing.T) {
	l := &testLauncher{t: t, dir: t.TempDir(), export: true}
	h := newHarnessWith(t, l, "classic")
	h.toEnforce() // y on Allow
	h.press("y")
	h.waitFor("Verified")
	h.press("esc") // back, before enter: the screen never reported its change
	h.waitFor("tenant setting · no API")
	h.press("y")
	h.waitFor("already enforced")
	h.press("enter")
	h.waitFor("Sign the account out everywhere?")
	h.press("n")
	h.waitFor("No change made")
	h.press("enter")
	h.waitFor("by the account owner")
	h.ownerCreatesAndTests()
	const change = "backup@contoso.onmicrosoft.com · per-user MFA: enabled → enforced"
	f := h.frame()
	if !strings.Contains(f, change) || strings.Contains(f, "Changes made\n  None.") {
		t.Fatalf("the summary lost the change:\n%s", f)
	}
	if !strings.Contains(f, "u undo") {
		t.Fatalf("no undo offered for the change:\n%s", f)
	}
	h.press("e")
	h.waitFor("Exported")
	md, run, _ := exported(t, l.dir)
	made, _, _ := strings.Cut(strings.SplitN(md, "## Changes made", 2)[1], "##")
	if !strings.Contains(made, "per-user MFA: enabled → enforced (done") {
		t.Fatalf("the report's changes lack it:\n%s", md)
	}
	if len(run["changesMade"]) != 1 || run["changesMade"][0]["after"] != "enforced" {
		t.Fatalf("the JSON's changes: %+v", run)
	}
}

// Case 1 in plain mode: the same walk (plain mode has no going back), the
// same summary and the same export, from the same record.
func TestPlainChangeMadeIsInEveryEnding(t *testing.T) {
	l := &testLauncher{t: t, dir: t.TempDir(), export: true}
	// admin, sign in, connection defaults, allow y, enforce y, sign-out n, create (demo) y, test y,
	// not typed into the app, no watch, no undo, export y
	_, out, err := runPlainWith(t, l, "classic", "y", "", "", "", "", "y", "y", "n", "y", "y", "n", "", "n", "y")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !strings.Contains(out, "Changes made: backup@contoso.onmicrosoft.com · per-user MFA: enabled → enforced") || !strings.Contains(out, "Exported: ") {
		t.Fatalf("plain summary:\n%s", out)
	}
	md, run, _ := exported(t, l.dir)
	if !strings.Contains(md, "per-user MFA: enabled → enforced (done") || len(run["changesMade"]) != 1 {
		t.Fatalf("plain export:\n%s\n%+v", md, run)
	}
}

// Issue 21, case 3: the test's "535 5.7.139 ... basic authentication is
// disabled" decides the verdict again: the OAuth test is offered right
// there, and the summary and the note no longer say "App password: Yes";
// what is left names the move to OAuth.
func TestBasicOffReplyDecidesAgain(t *testing.T) {
	h := newHarness(t, "smtp-basic-off")
	h.toDiagnosis()
	h.press("enter")
	h.waitFor("tenant setting · no API")
	h.press("y")
	h.waitFor("by the account owner")
	h.press("c")
	h.waitFor("Simulated Security info page")
	h.press("y")
	h.waitFor("Paste the app password")
	h.press("ctrl+d")
	h.waitFor("535 5.7.139")
	h.press("enter")
	h.waitFor("Test the way forward: SMTP AUTH with OAuth")
	h.press("enter")
	h.waitFor("simulated account owner (backup@")
	h.press("a")
	h.waitFor("235 2.7.0")
	h.press("enter")
	h.waitFor("Changes made")
	f := strings.Join(strings.Fields(ansi.Strip(h.m.body.GetContent())), " ") // the whole summary, not the part in view
	if strings.Contains(f, "App password: Yes") || !strings.Contains(f, "App password: No") || !strings.Contains(f, "Switch the app to modern authentication (OAuth)") {
		t.Fatalf("the summary does not follow the test:\n%s", f)
	}
	note := h.m.session.AdminNote()
	if strings.Contains(note, "fix this? Yes") || !strings.Contains(note, "fix this? No") {
		t.Fatalf("the note does not follow the test:\n%s", note)
	}
}

// Case 3 in plain mode: the same stages from the same flow.
func TestPlainBasicOffReplyDecidesAgain(t *testing.T) {
	// admin, sign in, connection defaults, allow y, create (demo) y, test y, OAuth test y, its browser, no export
	_, out, err := runPlain(t, "smtp-basic-off", "y", "", "", "", "", "y", "y", "y", "y", "", "")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	summary := out[strings.Index(out, "== Summary =="):]
	for _, want := range []string{"== OAuth test ==", "✓ OAuth test: done", "App password: No", "Left to do by hand: Switch the app to modern authentication (OAuth)", "fix this? No"} {
		if !strings.Contains(out, want) {
			t.Fatalf("plain output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(summary, "App password: Yes") || strings.Contains(out, "== At the app ==") {
		t.Fatalf("plain summary still says yes, or watches for an app no password can sign in:\n%s", out)
	}
}

// wholeBody is the current screen's whole content, spaces folded, for
// checks of a long summary or note (not just the part in view).
func (h *harness) wholeBody() string {
	var b strings.Builder
	for _, line := range strings.Split(ansi.Strip(h.m.body.GetContent()), "\n") {
		b.WriteString(" " + strings.Trim(line, " │"))
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// checkOwnerNote is case 4's and case 5's promise for the note and the
// summary after the owner created and tested an app password (235):
// nothing asked that is done, no "fails with 401", the note addressed to
// the admin, and the move to OAuth before the fix's end left to do.
func checkOwnerNote(t *testing.T, summary, note string) {
	t.Helper()
	// The owner's walk had no Allow step: neither the note nor the summary
	// says it was done in this run.
	if strings.Contains(note, "Already done in this run") || strings.Contains(summary, "Allow: done") {
		t.Errorf("the note or summary claims the run did what it found in place:\n%s\n---\n%s", summary, note)
	}
	for _, bad := range []string{"fails with \"401", "Could you please", "confirmed by you", "Left to do by hand: nothing", "Nothing."} {
		if strings.Contains(note, bad) || strings.Contains(summary, bad) {
			t.Errorf("%q in the summary or note:\n%s\n---\n%s", bad, summary, note)
		}
	}
	if !strings.Contains(summary, "Move the app to OAuth before 31 December 2026") || !strings.Contains(note, "move the app to OAuth (modern authentication) before 31 December 2026") {
		t.Errorf("the end of the fix is not left to do:\n%s\n---\n%s", summary, note)
	}
}

// Issue 21, cases 4 and 5: "My own connection", an app password created
// and tested (235): the note asks the admin for nothing done, and the
// fix's end date leaves the move to OAuth to do.
func TestOwnersNoteAsksNothingDone(t *testing.T) {
	h := newHarness(t, "classic")
	h.waitFor("Whose connection")
	h.press("enter") // my own connection
	h.waitFor("Waiting for you to sign in")
	h.press("a")
	h.waitFor("Signed in")
	h.press("enter")
	h.waitFor("The failing connection")
	h.press("enter")
	h.waitFor("Can an app password fix this?")
	h.press("enter")
	h.waitFor("Create the app password")
	h.ownerCreatesAndTests()
	summary := h.wholeBody()
	h.press("n")
	h.waitFor("Note for an admin")
	checkOwnerNote(t, summary, h.wholeBody())
}

// Cases 4 and 5 in plain mode.
func TestPlainOwnersNoteAsksNothingDone(t *testing.T) {
	// own connection, sign in, connection defaults, create (demo) y, test y, typed into the app y, no watch, no export
	_, out, err := runPlain(t, "classic", "n", "", "", "", "y", "y", "y", "", "")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	summary, note, _ := strings.Cut(out[strings.Index(out, "== Summary =="):], "Note for an admin:")
	checkOwnerNote(t, summary, note)
}
