package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"testing"

	"github.com/apppass/apppass/internal/cmdutil"
	"github.com/apppass/apppass/internal/cmdutil/cmdtest"
)

// Exit codes, named as the tests have always named them.
const (
	exitOK        = cmdutil.ExitOK
	exitError     = cmdutil.ExitError
	exitCancelled = cmdutil.ExitCancelled
)

var isolate = cmdtest.Isolate

// runCLI runs one apppass command line as main does.
func runCLI(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), cmdutil.New("test", cmdutil.Streams(strings.NewReader(stdin), &out, &errOut)), args)
	return code, out.String(), errOut.String()
}

func TestBadInputGetsOneLine(t *testing.T) {
	home := isolate(t)
	invalid := filepath.Join(home, "invalid.json")
	os.WriteFile(invalid, []byte(`{"name": "x", "surprise": 1}`), 0o600)
	cases := map[string][]string{
		"malformed UPN":        {"diagnose", "--user", "not an address", "--service", "smtp"},
		"unknown service":      {"diagnose", "--user", "a@contoso.com", "--service", "fax"},
		"unknown scenario":     {"diagnose", "--demo", "--scenario", "atlantis"},
		"unreadable file":      {"diagnose", "--scenario-file", filepath.Join(home, "missing.json")},
		"invalid file":         {"diagnose", "--scenario-file", invalid},
		"unknown cloud":        {"diagnose", "--user", "a@contoso.com", "--service", "smtp", "--cloud", "mars"},
		"invalid tenant":       {"diagnose", "--user", "a@contoso.com", "--service", "smtp", "--tenant", "not/a/tenant"},
		"unknown fault":        {"diagnose", "--demo", "--fault", "earthquake"},
		"sloppy fault count":   {"diagnose", "--demo", "--fault", "throttle:me:3abc"},
		"hex fault count":      {"demo", "--fault", "latency:me:0x10"},
		"inert fault":          {"diagnose", "--demo", "--fault", "throttle:token"},
		"device as scenario":   {"diagnose", "--scenario-file", "/dev/zero"},
		"unknown command":      {"frobnicate"},
		"unknown flag":         {"diagnose", "--colour"},
		"missing user/service": {"diagnose"},
	}
	for name, args := range cases {
		t.Run(name, func(t *testing.T) {
			code, _, errOut := runCLI(t, "", args...)
			if code != exitError {
				t.Fatalf("exit %d, want %d", code, exitError)
			}
			first, _, _ := strings.Cut(errOut, "\n")
			if !strings.HasPrefix(first, "apppass: ") || strings.Contains(errOut, "goroutine") || strings.Contains(errOut, "panic") {
				t.Fatalf("stderr = %q", errOut)
			}
		})
	}
}

// Every command answers -h and --help (and apppass help CMD) with its usage
// and flags on stdout, and exits 0.
func TestHelpForEveryCommand(t *testing.T) {
	for _, c := range commands {
		asks := [][]string{{c.name, "--help"}, {c.name, "-h"}, {"help", c.name}}
		if c.name == "" { // the wizard: apppass --help is every command's usage, beginning with its own
			asks = [][]string{{"--help"}, {"-h"}, {"--accessible", "--help"}}
		}
		for _, args := range asks {
			code, out, errOut := runCLI(t, "", args...)
			if code != exitOK || errOut != "" || !strings.HasPrefix(out, "Usage:\n"+c.usage) {
				t.Errorf("%q: exit %d, stderr %q, stdout:\n%s", args, code, errOut, out)
			}
		}
	}
	for _, args := range [][]string{{"help"}, {"--help"}, {"-h"}} {
		code, out, _ := runCLI(t, "", args...)
		if code != exitOK || !strings.Contains(out, "apppass diagnose --user UPN") || !strings.Contains(out, "Exit codes:") {
			t.Errorf("%q: exit %d:\n%s", args, code, out)
		}
	}
	// The wizard's own flags have help too.
	if code, out, _ := runCLI(t, "", "--tenant", "contoso.com", "--help"); code != exitOK || !strings.Contains(out, "--accessible") {
		t.Errorf("wizard help: exit %d:\n%s", code, out)
	}
}

// apppass help lists every exit code a command returns, scan's 3 and 5
// and the wizard's 1 and 3 among them; each command's usage lines name
// every flag its --help lists (the demo's own flags behind "--demo ...").
func TestHelpIsComplete(t *testing.T) {
	_, out, _ := runCLI(t, "", "help")
	if !strings.HasSuffix(out, cmdutil.ExitCodesHelp) {
		t.Fatalf("apppass help does not end with the exit codes:\n%s", out)
	}
	for _, want := range []string{"\n  0  done", "\n  1  an error; in the wizard, a change was tried and did not land", "\n  2  cancelled",
		"\n  3  unknown", "with scan,\n     some accounts' verdicts", "in the wizard, a change was sent\n     and its outcome could not be read",
		"\n  4  sign-in failed", "\n  5  scan --compare"} {
		if !strings.Contains(out, want) {
			t.Errorf("apppass help lacks %q:\n%s", want, out)
		}
	}
	demoOnly := map[string]bool{"demo": true, "fault": true, "scenario": true, "scenario-file": true}
	for _, c := range commands {
		args := []string{c.name, "--help"}
		if c.name == "" {
			args = []string{"--tenant", "contoso.com", "--help"}
		}
		_, out, _ := runCLI(t, "", args...)
		_, flags, _ := strings.Cut(out, "\nFlags:\n")
		for _, line := range strings.Split(flags, "\n") {
			name, ok := strings.CutPrefix(line, "  --")
			if !ok {
				continue
			}
			name, _, _ = strings.Cut(name, " ")
			if demoOnly[name] && strings.Contains(c.usage, "--demo") {
				continue
			}
			if !strings.Contains(c.usage, "--"+name) {
				t.Errorf("apppass %s: --%s is a flag but not in the usage lines:\n%s", c.name, name, c.usage)
			}
		}
	}
}

// apppass --version is apppass version.
func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}} {
		if code, out, _ := runCLI(t, "", args...); code != exitOK || out != "apppass test\n" {
			t.Errorf("%q: exit %d, %q", args, code, out)
		}
	}
}

// A release build prints the version GoReleaser stamped; `go install
// …@v1.4.0` prints the module's version; a plain build from a clone says dev.
func TestVersionOf(t *testing.T) {
	installed := &debug.BuildInfo{Main: debug.Module{Path: "github.com/apppass/apppass", Version: "v1.4.0"}}
	local := &debug.BuildInfo{Main: debug.Module{Path: "github.com/apppass/apppass", Version: "(devel)"}}
	cases := []struct {
		stamped string
		info    *debug.BuildInfo
		want    string
	}{
		{"1.4.0", installed, "1.4.0"},
		{"1.4.0", nil, "1.4.0"},
		{"dev", installed, "v1.4.0"},
		{"dev", local, "dev"},
		{"dev", nil, "dev"},
	}
	for _, tc := range cases {
		if got := versionOf(tc.stamped, tc.info); got != tc.want {
			t.Errorf("versionOf(%q, %+v) = %q, want %q", tc.stamped, tc.info, got, tc.want)
		}
	}
}

// watchedWriter tells when a text has been written (a prompt shown).
type watchedWriter struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	text  string
	shown chan struct{}
}

func watchFor(text string) *watchedWriter {
	return &watchedWriter{text: text, shown: make(chan struct{})}
}

func (w *watchedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	had := strings.Contains(w.buf.String(), w.text)
	w.buf.Write(p)
	if !had && strings.Contains(w.buf.String(), w.text) {
		close(w.shown)
	}
	return len(p), nil
}

// runCancelledAt runs a command whose stdin never answers and presses
// ctrl+c (cancels the context) once the prompt is shown.
func runCancelledAt(t *testing.T, prompt string, args ...string) (int, string) {
	t.Helper()
	isolate(t)
	stdin, w := io.Pipe()
	defer w.Close()
	stderr := watchFor(prompt)
	var stdout bytes.Buffer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { <-stderr.shown; cancel() }()
	code := run(ctx, cmdutil.New("test", cmdutil.Streams(stdin, &stdout, stderr)), args)
	return code, stdout.String()
}

func TestCtrlCAtEveryPrompt(t *testing.T) {
	cases := map[string]struct {
		prompt string
		args   []string
	}{
		"--test-smtp":      {"to test against SMTP AUTH", []string{"diagnose", "--demo", "--test-smtp"}},
		"--check-password": {"Regular password of", []string{"diagnose", "--demo", "--check-password"}},
		"--accessible":     {"Is it an account you administer", []string{"demo", "--accessible"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			code, out := runCancelledAt(t, tc.prompt, tc.args...)
			if code != exitCancelled || strings.Contains(out, "Can an app password fix this") {
				t.Fatalf("exit %d, stdout %q; want exit %d and no report", code, out, exitCancelled)
			}
		})
	}
}
