package appdirs

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/apppass/apppass/internal/tempdir"
)

// environ is an environment of the given variables only.
func environ(vars map[string]string) func(string) string {
	return func(key string) string { return vars[key] }
}

// Each platform's folders, whatever machine runs the test.
func TestFoldersPerPlatform(t *testing.T) {
	linuxHome := map[string]string{"HOME": "/home/ann"}
	xdg := map[string]string{"HOME": "/home/ann", "XDG_CACHE_HOME": "/var/cache/ann", "XDG_STATE_HOME": "/var/state/ann"}
	relativeXDG := map[string]string{"HOME": "/home/ann", "XDG_CACHE_HOME": "cache", "XDG_STATE_HOME": "state"}
	windows := map[string]string{"LOCALAPPDATA": `C:\Users\ann\AppData\Local`, "HOME": `C:\Users\ann`, "XDG_CACHE_HOME": "/ignored"}
	mac := map[string]string{"HOME": "/Users/ann", "XDG_CACHE_HOME": "/ignored", "XDG_STATE_HOME": "/ignored"}
	cases := []struct {
		name, goos   string
		vars         map[string]string
		cache, state string
	}{
		{"linux defaults", "linux", linuxHome, "/home/ann/.cache/apppass", "/home/ann/.local/state/apppass"},
		{"linux XDG", "linux", xdg, "/var/cache/ann/apppass", "/var/state/ann/apppass"},
		{"linux relative XDG is ignored", "linux", relativeXDG, "/home/ann/.cache/apppass", "/home/ann/.local/state/apppass"},
		{"freebsd", "freebsd", linuxHome, "/home/ann/.cache/apppass", "/home/ann/.local/state/apppass"},
		{"macOS", "darwin", mac, "/Users/ann/Library/Caches/apppass", "/Users/ann/Library/Application Support/apppass"},
		{"windows", "windows", windows, `C:\Users\ann\AppData\Local\apppass`, `C:\Users\ann\AppData\Local\apppass`},
		{"windows trailing separator", "windows", map[string]string{"LOCALAPPDATA": `D:\Local\`}, `D:\Local\apppass`, `D:\Local\apppass`},
		{"root home", "linux", map[string]string{"HOME": "/"}, "/.cache/apppass", "/.local/state/apppass"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := Env{GOOS: tc.goos, Getenv: environ(tc.vars)}
			if got, err := env.Cache(); err != nil || got != tc.cache {
				t.Errorf("Cache: %q, %v; want %q", got, err, tc.cache)
			}
			if got, err := env.State(); err != nil || got != tc.state {
				t.Errorf("State: %q, %v; want %q", got, err, tc.state)
			}
		})
	}
}

// With no home (or, on Windows, no %LOCALAPPDATA%) there is no folder, and
// the error names the variable to set.
func TestNoFolderWithoutItsVariable(t *testing.T) {
	cases := map[string]struct {
		env  Env
		want string
	}{
		"linux":   {Env{GOOS: "linux", Getenv: environ(map[string]string{"XDG_STATE_HOME": "relative"})}, "$HOME"},
		"macOS":   {Env{GOOS: "darwin", Getenv: environ(nil)}, "$HOME"},
		"windows": {Env{GOOS: "windows", Getenv: environ(map[string]string{"HOME": `C:\Users\ann`})}, "%LOCALAPPDATA%"},
	}
	for name, tc := range cases {
		if _, err := tc.env.Cache(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s Cache: %v, want an error naming %s", name, err, tc.want)
		}
		if _, err := tc.env.State(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s State: %v, want an error naming %s", name, err, tc.want)
		}
	}
}

// On the machine running the test, the cache folder is inside the one the
// standard library names, and the paths use the system's separator.
func TestSystemCacheIsTheUsersCacheFolder(t *testing.T) {
	home := tempdir.New(t)
	t.Setenv("HOME", home)
	t.Setenv("XDG_CACHE_HOME", filepath.Join(home, "xdg-cache"))
	t.Setenv("LOCALAPPDATA", filepath.Join(home, "AppData", "Local"))
	if System().GOOS != runtime.GOOS {
		t.Fatalf("System is %q on %q", System().GOOS, runtime.GOOS)
	}
	userCache, err := os.UserCacheDir()
	if err != nil {
		t.Fatal(err)
	}
	if got, err := System().Cache(); err != nil || got != filepath.Join(userCache, Name) {
		t.Fatalf("Cache %q, %v; want %q", got, err, filepath.Join(userCache, Name))
	}
}
