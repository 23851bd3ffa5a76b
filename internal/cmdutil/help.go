package cmdutil

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// NewFlagSet returns the flag set of a command ("" is the wizard, which
// runs when no command is named). Parse errors come back as values, shown
// once by main; nothing is printed on the way.
func NewFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// Parse parses a command's arguments, which take no operands. -h or
// --help writes usage (the command's usage lines) and its flags to out and
// returns flag.ErrHelp, which exits 0.
func Parse(fs *flag.FlagSet, usage string, args []string, out io.Writer) error {
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		writeHelp(out, fs, usage)
		return flag.ErrHelp
	case err != nil:
		return fmt.Errorf("%s%w (see %s)", prefix(fs), err, helpCommand(fs))
	case fs.NArg() > 0:
		return fmt.Errorf("%sunexpected %q (see %s)", prefix(fs), fs.Arg(0), helpCommand(fs))
	}
	return nil
}

// prefix names the command in an error; main adds "apppass: " itself.
func prefix(fs *flag.FlagSet) string {
	if fs.Name() == "" {
		return ""
	}
	return fs.Name() + ": "
}

func helpCommand(fs *flag.FlagSet) string {
	return strings.Join(strings.Fields("apppass "+fs.Name()+" --help"), " ")
}

// writeHelp prints usage and then every flag with a usage text, spelled
// as the README spells them (--name).
func writeHelp(w io.Writer, fs *flag.FlagSet, usage string) {
	fmt.Fprintf(w, "Usage:\n%s", usage)
	first := true
	fs.VisitAll(func(f *flag.Flag) {
		if f.Usage == "" {
			return
		}
		if first {
			fmt.Fprint(w, "\nFlags:\n")
			first = false
		}
		kind, text := flag.UnquoteUsage(f)
		name := "--" + f.Name
		if kind != "" {
			name += " " + kind
		}
		if f.DefValue != "" && f.DefValue != "false" {
			text += fmt.Sprintf(" (default %s)", f.DefValue)
		}
		fmt.Fprintf(w, "  %s\n      %s\n", name, text)
	})
	fmt.Fprintln(w, "\nRun apppass help for every command and the exit codes.")
}

// ExitCodesHelp is the exit codes as apppass help lists them: every code
// any command returns (ExitOK to ExitChanged), with what each means for
// the wizard, diagnose and scan.
const ExitCodesHelp = `Exit codes:
  0  done: every verdict reached; in the wizard, every change tried landed or was declined
  1  an error; in the wizard, a change was tried and did not land ("Tried, failed" in the
     summary); with diagnose --watch-app, the app's own sign-in failed
  2  cancelled
  3  unknown: diagnose's verdict (a check that could change it was not read); with scan,
     some accounts' verdicts (or a log gap, or the usage report stood in for the log); with
     diagnose --watch-app, no sign-in of the app was seen; in the wizard, a change was sent
     and its outcome could not be read (apppass reads it again at its next start)
  4  sign-in failed
  5  scan --compare: since the earlier scan an account started failing, went silent or is
     new (it takes precedence over 3)
`
