package cmdutil

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"strings"
	"testing"
)

func TestHelpAndParseErrors(t *testing.T) {
	fs := NewFlagSet("logout")
	fs.String("scenario", "classic", "the demo scenario `NAME`")
	RegisterRefused(fs)
	var out bytes.Buffer
	if err := Parse(fs, "  apppass logout\n", []string{"-h"}, &out); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("-h: %v", err)
	}
	if !strings.HasPrefix(out.String(), "Usage:\n  apppass logout\n") || !strings.Contains(out.String(), "--scenario NAME\n      the demo scenario NAME (default classic)") {
		t.Fatalf("help:\n%s", out.String())
	}
	if strings.Contains(out.String(), "--tenant") {
		t.Fatalf("help lists a refused flag:\n%s", out.String())
	}
	for args, want := range map[string]string{
		"--colour": "logout: flag provided but not defined: -colour (see apppass logout --help)",
		"extra":    `logout: unexpected "extra" (see apppass logout --help)`,
	} {
		if err := Parse(NewFlagSet("logout"), "", strings.Fields(args), &out); err == nil || err.Error() != want {
			t.Errorf("%s: %v, want %s", args, err, want)
		}
	}
	if err := Parse(NewFlagSet(""), "", []string{"--colour"}, &out); err == nil || strings.HasPrefix(err.Error(), ":") || !strings.Contains(err.Error(), "(see apppass --help)") {
		t.Errorf("the wizard's error: %v", err)
	}
}

// The exit codes help lists every code ExitCode can return, one line each,
// in order: none a script may meet is left unexplained.
func TestExitCodesHelpListsEveryCode(t *testing.T) {
	next := 0
	for _, line := range strings.Split(ExitCodesHelp, "\n") {
		var code int
		if _, err := fmt.Sscanf(line, "  %d  ", &code); err != nil {
			continue
		}
		if code != next {
			t.Fatalf("code %d listed where %d was due:\n%s", code, next, ExitCodesHelp)
		}
		next++
	}
	if next != ExitChanged+1 {
		t.Fatalf("the help lists codes 0 to %d; ExitCode returns up to %d:\n%s", next-1, ExitChanged, ExitCodesHelp)
	}
}
