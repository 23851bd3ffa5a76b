package wizard

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
