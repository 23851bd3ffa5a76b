package logoutcmd

import (
	"strings"
	"testing"

	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/internal/cmdutil"
	"github.com/apppass/apppass/internal/cmdutil/cmdtest"
)

// Logout names the cloud's own cache file, in the isolated home, and says
// how this platform protects it.
func TestLogoutWithoutACachedAccount(t *testing.T) {
	home := cmdtest.Isolate(t)
	path, err := graphclient.DefaultCachePath("gcc-high")
	if err != nil || !strings.HasPrefix(path, home) || !strings.Contains(path, "msal-gcc-high.") {
		t.Fatalf("cache path %q, %v: not the cloud's file in the test's home %s", path, err, home)
	}
	code, out, errOut := cmdtest.Run(t, Run, "", "--cloud", "gcc-high")
	if code != cmdutil.ExitOK || !strings.Contains(out, "Signed out of") || !strings.Contains(out, path) {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if said := graphclient.CacheProtection(); !strings.HasSuffix(out, said+"\n") {
		t.Fatalf("logout does not say how the cache is protected (%q):\n%s", said, out)
	}
}

func TestLogoutRefusesAnUnknownCloud(t *testing.T) {
	cmdtest.Isolate(t)
	if code, _, errOut := cmdtest.Run(t, Run, "", "--cloud", "mars"); code != cmdutil.ExitError || !strings.Contains(errOut, "mars") {
		t.Fatalf("exit %d, %q", code, errOut)
	}
}
