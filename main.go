// Command apppass walks a Microsoft 365 user or admin from "The remote
// server returned an error (401) Unauthorized" to a working connection, and
// says plainly when an app password cannot help. See README.md, and
// docs/architecture.md for how the packages fit together.
//
// This file is the composition root: it builds the dependencies once (the
// cmdutil.Factory), picks the command and turns its error into the exit
// code. Each command lives in its own package under internal/cmd.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"

	"github.com/apppass/apppass/internal/cmd/democmd"
	"github.com/apppass/apppass/internal/cmd/diagnosecmd"
	"github.com/apppass/apppass/internal/cmd/logoutcmd"
	"github.com/apppass/apppass/internal/cmd/scancmd"
	"github.com/apppass/apppass/internal/cmd/scenarioscmd"
	"github.com/apppass/apppass/internal/cmd/simcloudcmd"
	"github.com/apppass/apppass/internal/cmd/versioncmd"
	"github.com/apppass/apppass/internal/cmd/wizardcmd"
	"github.com/apppass/apppass/internal/cmdutil"
)

// version is set at build time with -ldflags "-X main.version=..."; the
// release builds (.goreleaser.yaml) set it to the release's version.
var version = "dev"

// command is one subcommand: its usage lines and what runs it.
type command struct {
	name  string // "" is the wizard, run when no command is named
	usage string
	run   func(ctx context.Context, f *cmdutil.Factory, args []string) error
}

// commands in the order apppass help lists them.
var commands = []command{
	{"", wizardcmd.Usage, wizardcmd.Run},
	{"demo", democmd.Usage, democmd.Run},
	{"diagnose", diagnosecmd.Usage, diagnosecmd.Run},
	{"scan", scancmd.Usage, scancmd.Run},
	{"scenarios", scenarioscmd.Usage, scenarioscmd.Run},
	{"simcloud", simcloudcmd.Usage, simcloudcmd.Run},
	{"logout", logoutcmd.Usage, logoutcmd.Run},
	{"version", versioncmd.Usage, versioncmd.Run},
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, cmdutil.New(buildVersion(), cmdutil.System()), os.Args[1:]))
}

// run executes one command line and returns the exit code.
func run(ctx context.Context, f *cmdutil.Factory, args []string) int {
	return cmdutil.ExitCode(ctx, dispatch(ctx, f, args), f.IO.ErrOut)
}

// dispatch runs the command args name; without one (flags only), the wizard.
func dispatch(ctx context.Context, f *cmdutil.Factory, args []string) error {
	name, rest := "", args
	if len(args) > 0 && args[0] != "" && !strings.HasPrefix(args[0], "-") {
		name, rest = args[0], args[1:]
	}
	helpAsked := len(rest) == 1 && isHelp(rest[0])
	switch {
	case name == "help" && (len(rest) == 0 || helpAsked), name == "" && helpAsked:
		fmt.Fprint(f.IO.Out, usage())
		return nil
	case name == "help": // apppass help CMD is apppass CMD --help
		return dispatch(ctx, f, []string{rest[0], "--help"})
	case name == "" && len(rest) == 1 && rest[0] == "--version":
		name, rest = "version", nil
	}
	for _, c := range commands {
		if c.name == name {
			return c.run(ctx, f, rest)
		}
	}
	return fmt.Errorf("unknown command %q\n\n%s", name, usage())
}

// usage is apppass help: every command's usage lines and the exit codes.
func usage() string {
	var b strings.Builder
	b.WriteString("Usage:\n")
	for _, c := range commands {
		b.WriteString(c.usage)
	}
	b.WriteString("\nEvery command answers --help with its flags.\n")
	b.WriteString(cmdutil.ExitCodesHelp)
	return b.String()
}

func isHelp(arg string) bool { return arg == "-h" || arg == "--help" || arg == "-help" }

// buildVersion is what `apppass --version` prints: the stamped version, or
// for `go install github.com/apppass/apppass@vX.Y.Z` (which stamps
// nothing) the module version Go recorded in the binary.
func buildVersion() string {
	info, _ := debug.ReadBuildInfo()
	return versionOf(version, info)
}

func versionOf(stamped string, info *debug.BuildInfo) string {
	if stamped != "dev" || info == nil || info.Main.Version == "" || info.Main.Version == "(devel)" {
		return stamped
	}
	return info.Main.Version
}
