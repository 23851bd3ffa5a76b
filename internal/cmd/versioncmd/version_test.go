package versioncmd

import (
	"strings"
	"testing"

	"github.com/apppass/apppass/internal/cmdutil"
	"github.com/apppass/apppass/internal/cmdutil/cmdtest"
)

func TestVersion(t *testing.T) {
	if code, out, _ := cmdtest.Run(t, Run, ""); code != cmdutil.ExitOK || out != "apppass test\n" {
		t.Fatalf("exit %d, %q", code, out)
	}
	if code, _, errOut := cmdtest.Run(t, Run, "", "extra"); code != cmdutil.ExitError || !strings.Contains(errOut, `unexpected "extra"`) {
		t.Fatalf("version extra: exit %d, %q", code, errOut)
	}
}
