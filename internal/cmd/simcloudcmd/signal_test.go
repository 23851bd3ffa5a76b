//go:build unix

package simcloudcmd

import (
	"os"
	"syscall"
	"testing"

	"github.com/apppass/apppass/internal/cmdutil"
)

// Issue 22, case 8: simcloud left its certificate after SIGHUP (a closed
// terminal). SIGHUP and SIGTERM both stop it cleanly, file removed.
func TestSignalsRemoveTheCertificate(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGHUP, syscall.SIGTERM} {
		r := start(t, "--scenario", "classic")
		if _, err := os.Stat(r.desc.CACertificate); err != nil {
			t.Fatal(err)
		}
		// The server is listening for the signal before it prints its line.
		syscall.Kill(os.Getpid(), sig)
		if code := <-r.done; code != cmdutil.ExitOK && code != cmdutil.ExitError {
			t.Fatalf("%v: exit %d", sig, code)
		}
		if _, err := os.Stat(r.desc.CACertificate); !os.IsNotExist(err) {
			t.Fatalf("%v: the certificate is left behind: %v", sig, err)
		}
	}
}
