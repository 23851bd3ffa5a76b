package journal

import (
	"strings"
	"testing"

	"github.com/apppass/apppass/appdirs"
)

// Every platform's journal, tested on any machine.
func TestPathPerPlatform(t *testing.T) {
	vars := map[string]string{"HOME": "/home/ann", "LOCALAPPDATA": `C:\Users\ann\AppData\Local`}
	getenv := func(k string) string { return vars[k] }
	for goos, want := range map[string]string{
		"linux":   "/home/ann/.local/state/apppass/journal-global.jsonl",
		"darwin":  "/home/ann/Library/Application Support/apppass/journal-global.jsonl",
		"windows": `C:\Users\ann\AppData\Local\apppass\journal-global.jsonl`,
	} {
		if got, err := PathIn(appdirs.Env{GOOS: goos, Getenv: getenv}, "global"); err != nil || got != want {
			t.Errorf("%s: %q, %v; want %q", goos, got, err, want)
		}
	}
	vars["XDG_STATE_HOME"] = "/srv/state"
	if got, _ := PathIn(appdirs.Env{GOOS: "linux", Getenv: getenv}, "china"); got != "/srv/state/apppass/journal-china.jsonl" {
		t.Errorf("with XDG_STATE_HOME: %q", got)
	}
	delete(vars, "HOME")
	if _, err := PathIn(appdirs.Env{GOOS: "darwin", Getenv: getenv}, "global"); err == nil || !strings.Contains(err.Error(), "$HOME") {
		t.Errorf("no home: %v", err)
	}
}
