// Command apppass walks a Microsoft 365 user or admin from "The remote
// server returned an error (401) Unauthorized" to a working connection, and
// says plainly when an app password cannot help. See README.md.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/apppass/apppass/termsafe"
)

// Exit codes, in the GitHub CLI's style.
const (
	exitOK        = 0
	exitError     = 1
	exitCancelled = 2
	exitUnknown   = 3 // diagnose reached no verdict: a check that could change it was not read
	exitSignIn    = 4
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run executes one command line and returns the exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cmd, rest := "", args
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, rest = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "":
		err = runWizard(ctx, false, rest, stdin, stdout, stderr)
	case "demo":
		err = runWizard(ctx, true, rest, stdin, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "apppass", version)
	case "scenarios":
		err = listScenarios(stdout)
	case "logout":
		err = logout(ctx, rest, stdout)
	case "diagnose":
		err = runDiagnose(ctx, rest, stdin, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
	default:
		err = fmt.Errorf("unknown command %q\n\n%s", cmd, usage)
	}
	return exitCode(ctx, err, stderr)
}

// errSignIn marks failures to sign in, which exit with code 4.
var errSignIn = errors.New("sign-in failed")

// errVerdictUnknown marks a diagnosis whose answer is "unknown"; the report
// has been printed, and the exit code (3) tells scripts.
var errVerdictUnknown = errors.New("the verdict is unknown: see what would settle it in the report")

func exitCode(ctx context.Context, err error, stderr io.Writer) int {
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, context.Canceled) || ctx.Err() != nil:
		fmt.Fprintln(stderr, "apppass: cancelled")
		return exitCancelled
	case errors.Is(err, errSignIn):
		fmt.Fprintln(stderr, "apppass:", termsafe.Text(err.Error()))
		return exitSignIn
	case errors.Is(err, errVerdictUnknown):
		fmt.Fprintln(stderr, "apppass:", err)
		return exitUnknown
	}
	// Errors quote Graph, scenario files and flags: clean them for the terminal.
	fmt.Fprintln(stderr, "apppass:", termsafe.Text(err.Error()))
	return exitError
}

const usage = `Usage:
  apppass [--cloud C] [--tenant T] [--client-id ID] [--accessible]
                             the wizard, against your tenant
  apppass demo [--scenario NAME | --scenario-file PATH] [--fault SPEC]...
                             the wizard against the built-in simulated cloud
  apppass diagnose --user UPN --service S [--json|--markdown|--admin-note]
                   [--error TEXT] [--check-password] [--test-smtp]
                   [--cloud C] [--tenant T] [--client-id ID]
  apppass diagnose --demo [--scenario NAME | --scenario-file PATH] [--fault SPEC] ...
                   diagnose without a wizard; S is smtp, sharepoint, exchange or other
  apppass scenarios          list the demo's simulated tenants
  apppass logout [--cloud C] remove apppass's cached sign-in for a cloud
  apppass version

Exit codes: 0 done, 1 error, 2 cancelled, 3 diagnose's verdict is unknown
(a check that could change it was not read), 4 sign-in failed.
`
