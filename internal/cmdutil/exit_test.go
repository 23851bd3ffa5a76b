package cmdutil

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"testing"

	"github.com/apppass/apppass/flow"
)

func TestExitCode(t *testing.T) {
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	cases := []struct {
		name string
		ctx  context.Context
		err  error
		want int
		says string
	}{
		{"done", context.Background(), nil, ExitOK, ""},
		{"help", context.Background(), flag.ErrHelp, ExitOK, ""},
		{"error", context.Background(), errors.New("no such tenant"), ExitError, "apppass: no such tenant\n"},
		{"cancelled", context.Background(), fmt.Errorf("reading: %w", context.Canceled), ExitCancelled, "apppass: cancelled\n"},
		{"ctrl+c during an error", cancelled, errors.New("read failed"), ExitCancelled, "apppass: cancelled\n"},
		{"unknown verdict", context.Background(), ErrVerdictUnknown, ExitUnknown, "apppass: " + ErrVerdictUnknown.Error() + "\n"},
		// A scan speaks of its accounts, not of "the verdict" or "the report".
		{"a scan's unknown verdicts", context.Background(), ErrSomeVerdictsUnknown, ExitUnknown,
			"apppass: some accounts' verdicts are unknown: each one's row says what would settle it\n"},
		// The wizard's ending is its record's (flow.Session.Ending).
		{"a change of unknown outcome", context.Background(), flow.ErrChangeUnsure, ExitUnknown, "apppass: " + flow.ErrChangeUnsure.Error() + "\n"},
		{"a change that failed", context.Background(), flow.ErrChangeFailed, ExitError, "apppass: " + flow.ErrChangeFailed.Error() + "\n"},
		{"sign-in", context.Background(), fmt.Errorf("%w: AADSTS70000", ErrSignIn), ExitSignIn, "apppass: sign-in failed: AADSTS70000\n"},
	}
	for _, tc := range cases {
		var stderr bytes.Buffer
		if got := ExitCode(tc.ctx, tc.err, &stderr); got != tc.want || stderr.String() != tc.says {
			t.Errorf("%s: exit %d, said %q; want %d, %q", tc.name, got, stderr.String(), tc.want, tc.says)
		}
	}
}
