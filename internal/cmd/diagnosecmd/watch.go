package diagnosecmd

import (
	"context"
	"fmt"
	"time"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/evidence"
	"github.com/apppass/apppass/internal/cmdutil"
	"github.com/apppass/apppass/termsafe"
)

// watchApp watches the log from now for the app's own next sign-in, for at
// most d, saying on stderr what it looks for; it stops at the first of the
// app's sign-ins (through or failed).
func watchApp(ctx context.Context, f *cmdutil.Factory, log evidence.SignInLog, upn string, service diagnose.Service, now func() time.Time, d time.Duration) diagnose.AppWatch {
	wait := f.Wait
	if wait == nil {
		wait = evidence.RealWait
	}
	start := now()
	fmt.Fprintf(f.IO.ErrOut, "Watching the sign-in log for %s's own %s sign-in for up to %s (both tabs, one read every %s, within Graph's %d requests per %s). %s\n",
		termsafe.Clean(upn), service.Label(), d, evidence.ReadEvery, evidence.ReportsLimit, evidence.ReportsWindow, "The log shows a sign-in only after a delay (Microsoft publishes no figure for it).")
	w := evidence.NewWatch(log, upn, service, start, now)
	return w.WatchFor(ctx, start.Add(d), wait, true)
}
