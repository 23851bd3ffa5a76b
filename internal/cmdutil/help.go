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
