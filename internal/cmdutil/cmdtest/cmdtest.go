// Package cmdtest runs apppass's commands in tests as main runs them: on a
// Factory of the given streams, with the same exit codes, in a private
// home folder.
package cmdtest

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apppass/apppass/internal/cmdutil"
	"github.com/apppass/apppass/internal/tempdir"
)

// Command is a command's Run.
type Command func(ctx context.Context, f *cmdutil.Factory, args []string) error

// Isolate points the user's home, cache and state folders, on every
// platform, at a temporary folder, so no test touches the real token cache
// or journal. It returns the home.
func Isolate(t testing.TB) string {
	t.Helper()
	home := tempdir.New(t)
	t.Setenv("HOME", home)
	t.Setenv("XDG_CACHE_HOME", filepath.Join(home, ".cache"))
	t.Setenv("XDG_STATE_HOME", filepath.Join(home, ".local", "state"))
	t.Setenv("LOCALAPPDATA", filepath.Join(home, "AppData", "Local"))
	t.Setenv("BROWSER", "") // the demo's simulated person opens sign-in pages, not the developer's browser
	return home
}

// Exec runs cmd on the given streams and returns its exit code; an error
// is reported on errOut as main reports it.
func Exec(ctx context.Context, cmd Command, in io.Reader, out, errOut io.Writer, args ...string) int {
	f := cmdutil.New("test", cmdutil.Streams(in, out, errOut))
	return cmdutil.ExitCode(ctx, cmd(ctx, f, args), errOut)
}

// Run runs cmd with stdin as its input and returns the exit code, stdout
// and stderr.
func Run(t testing.TB, cmd Command, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = Exec(context.Background(), cmd, strings.NewReader(stdin), &out, &errOut, args...)
	return code, out.String(), errOut.String()
}
