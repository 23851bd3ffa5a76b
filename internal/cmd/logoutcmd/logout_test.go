package logoutcmd

import (
	"strings"
	"testing"

	"github.com/apppass/apppass/internal/cmdutil"
	"github.com/apppass/apppass/internal/cmdutil/cmdtest"
)

func TestLogoutWithoutACachedAccount(t *testing.T) {
	cmdtest.Isolate(t)
	code, out, errOut := cmdtest.Run(t, Run, "", "--cloud", "gcc-high")
	if code != cmdutil.ExitOK || !strings.Contains(out, "Signed out of") || !strings.Contains(out, "msal-gcc-high.json") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

func TestLogoutRefusesAnUnknownCloud(t *testing.T) {
	cmdtest.Isolate(t)
	if code, _, errOut := cmdtest.Run(t, Run, "", "--cloud", "mars"); code != cmdutil.ExitError || !strings.Contains(errOut, "mars") {
		t.Fatalf("exit %d, %q", code, errOut)
	}
}
