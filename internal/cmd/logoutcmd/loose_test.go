//go:build !windows

package logoutcmd

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/internal/cmdutil"
	"github.com/apppass/apppass/internal/cmdutil/cmdtest"
)

// Issue 22, case 8: a token cache already at 0644 stayed so while logout
// said 0600. Logout now leaves it 0600, as it says.
func TestLogoutTightensALooseCache(t *testing.T) {
	cmdtest.Isolate(t)
	path, _ := graphclient.DefaultCachePath("global")
	os.MkdirAll(filepath.Dir(path), 0o700)
	os.WriteFile(path, []byte(`{"Account":{},"RefreshToken":{}}`), 0o644)
	os.Chmod(path, 0o644)
	code, out, errOut := cmdtest.Run(t, Run, "")
	if code != cmdutil.ExitOK || !strings.Contains(out, "0600") {
		t.Fatalf("exit %d: %s%s", code, out, errOut)
	}
	if info, _ := os.Stat(path); info.Mode().Perm() != 0o600 {
		t.Fatalf("logout says 0600, the file is %v", info.Mode().Perm())
	}
}

// Issue 22, case 7: logout with the token cache a FIFO hung; it now says
// what is wrong.
func TestLogoutRefusesAFIFOCache(t *testing.T) {
	cmdtest.Isolate(t)
	path, _ := graphclient.DefaultCachePath("global")
	os.MkdirAll(filepath.Dir(path), 0o700)
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := cmdtest.Run(t, Run, "")
	if code == cmdutil.ExitOK || !strings.Contains(errOut, "not a regular file") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
}
