package wizard

import (
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/apppass/apppass/simcloud"
)

// A full demo run with a canary regular password and a canary app password:
// afterwards no file anywhere under the home, cache, config, state and temp
// folders, no exported report and no frame drawn holds either canary, and
// the token cache (mode 0600) is the only file with tokens (on Windows,
// encrypted by DPAPI, none is).
func TestSecretsNeverLeave(t *testing.T) {
	const regular, appPassword = "Canary-Regular-77361", "Canary-AppPw-55210"
	home := t.TempDir()
	for env, sub := range map[string]string{"HOME": "", "XDG_CACHE_HOME": ".cache", "XDG_CONFIG_HOME": ".config",
		"XDG_STATE_HOME": ".local/state", "TMPDIR": "tmp"} {
		dir := filepath.Join(home, sub)
		os.MkdirAll(dir, 0o700)
		t.Setenv(env, dir)
	}
	cache := filepath.Join(home, ".cache", "apppass", "msal-demo.json")
	l := &testLauncher{t: t, dir: filepath.Join(home, ".local", "state", "apppass"), cachePath: cache, export: true,
		mutate: func(sc *simcloud.Scenario) {
			for i := range sc.Users {
				if sc.Users[i].UserPrincipalName == backup {
					sc.Users[i].Password = regular
				}
			}
		}}
	os.MkdirAll(l.dir, 0o700)
	h := newHarnessWith(t, l, "classic")
	h.record = true

	h.toDiagnosis()
	h.press("p")
	h.waitFor("[y/N]")
	h.press("y")
	h.typeText(regular)
	h.press("enter")
	h.waitFor("the password was correct")
	h.press("enter")
	h.waitFor("tenant setting · no API")
	h.press("y")
	h.waitFor("[y/N]")
	h.press("y")
	h.waitFor("Verified")
	h.press("enter")
	h.waitFor("everywhere?")
	h.press("y")
	h.waitFor("sign-in sessions: valid from")
	h.press("enter")
	h.waitFor("by the account owner")
	h.press("y")
	h.waitFor("Paste the app password")
	h.typeText(appPassword)
	h.press("enter")
	h.waitFor("535 5.7.3")
	h.press("enter")
	h.waitFor("Waiting for the app")
	h.press("s")
	h.waitFor("Changes made")
	h.press("e")
	h.waitFor("Exported")
	h.press("enter")
	h.settle()

	for i, f := range h.frames {
		if strings.Contains(f, regular) || strings.Contains(f, appPassword) {
			t.Fatalf("frame %d shows a canary:\n%s", i, f)
		}
	}
	files, tokens := 0, 0
	filepath.WalkDir(home, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		files++
		data, _ := os.ReadFile(path)
		if strings.Contains(string(data), regular) || strings.Contains(string(data), appPassword) {
			t.Errorf("%s holds a canary", path)
		}
		if strings.Contains(string(data), "simAT.") || strings.Contains(string(data), "simRT.") {
			tokens++
			if path != cache {
				t.Errorf("%s holds tokens; only the token cache may", path)
			}
		}
		return nil
	})
	// Where the cache's mode is its protection it holds the tokens, and is
	// the only file that does; on Windows DPAPI encrypts them: no file does.
	info, err := os.Stat(cache)
	if err != nil {
		t.Fatal(err)
	}
	wantTokenFiles := 1
	if runtime.GOOS == "windows" {
		wantTokenFiles = 0
	}
	if tokens != wantTokenFiles || runtime.GOOS != "windows" && info.Mode().Perm() != 0o600 {
		t.Fatalf("token cache mode %v, files with tokens %d (want %d)", info.Mode().Perm(), tokens, wantTokenFiles)
	}
	reports, _ := filepath.Glob(filepath.Join(l.dir, "apppass-report-*"))
	if len(reports) != 2 || files < 5 {
		t.Fatalf("expected exported reports and a journal to check, found %d reports in %d files", len(reports), files)
	}
	t.Logf("checked %d frames and %d files", len(h.frames), files)
}
