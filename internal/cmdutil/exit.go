package cmdutil

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/apppass/apppass/flow"
	"github.com/apppass/apppass/termsafe"
)

// Exit codes, in the GitHub CLI's style.
const (
	ExitOK        = 0
	ExitError     = 1
	ExitCancelled = 2
	ExitUnknown   = 3 // diagnose reached no verdict (a check that could change it was not read), or a change's outcome is unknown
	ExitSignIn    = 4
	ExitChanged   = 5 // scan --compare: an account started failing, went silent or is new
)

// ErrSignIn marks failures to sign in, which exit with code 4.
var ErrSignIn = errors.New("sign-in failed")

// ErrVerdictUnknown marks a diagnosis whose answer is "unknown"; the report
// has been printed, and the exit code (3) tells scripts.
var ErrVerdictUnknown = errors.New("the verdict is unknown: see what would settle it in the report")

// ErrSomeVerdictsUnknown is ErrVerdictUnknown (exit 3) in a scan's words:
// some accounts' verdicts are unknown, each row saying what would settle it.
var ErrSomeVerdictsUnknown error = someUnknown{}

type someUnknown struct{}

func (someUnknown) Error() string {
	return "some accounts' verdicts are unknown: each one's row says what would settle it"
}

// Is makes a scan's unknown verdicts exit as diagnose's unknown verdict does.
func (someUnknown) Is(target error) bool { return target == ErrVerdictUnknown }

// ErrAppSignInFailed marks a watch that saw the app's own sign-in fail
// (exit 1); the report says why.
var ErrAppSignInFailed = errors.New("the app's own sign-in failed: see the report")

// ErrAppNotSeen marks a watch that saw none of the app's sign-ins, or could
// not read the log (exit 3).
var ErrAppNotSeen = errors.New("no sign-in of the app was seen: see the report")

// ErrChanged marks a scan that, compared with an earlier one, found an
// account that started failing, went silent or is new: exit code 5, for a
// scheduled run to act on.
var ErrChanged = errors.New("since the earlier scan, an account started failing, went silent or is new: see the comparison")

// ExitCode is the exit code of a command's error, which it reports on
// stderr (help asked for is no error: exit 0).
func ExitCode(ctx context.Context, err error, stderr io.Writer) int {
	switch {
	case err == nil || errors.Is(err, flag.ErrHelp):
		return ExitOK
	case errors.Is(err, context.Canceled) || ctx.Err() != nil:
		fmt.Fprintln(stderr, "apppass: cancelled")
		return ExitCancelled
	case errors.Is(err, ErrSignIn):
		fmt.Fprintln(stderr, "apppass:", termsafe.Text(err.Error()))
		return ExitSignIn
	case errors.Is(err, ErrVerdictUnknown), errors.Is(err, ErrAppNotSeen), errors.Is(err, flow.ErrChangeUnsure):
		fmt.Fprintln(stderr, "apppass:", err)
		return ExitUnknown
	case errors.Is(err, ErrChanged):
		fmt.Fprintln(stderr, "apppass:", err)
		return ExitChanged
	}
	// Errors quote Graph, scenario files and flags: clean them for the terminal.
	fmt.Fprintln(stderr, "apppass:", termsafe.Text(err.Error()))
	return ExitError
}
