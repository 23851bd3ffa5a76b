package evidence

import (
	"context"
	"errors"
	"time"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/termsafe"
)

// SignInLog is the one read a watch makes; *graphclient.Client satisfies it.
type SignInLog interface {
	SignIns(ctx context.Context, upn string, since time.Time) ([]graphclient.SignIn, error)
}

// The reports family's documented limit (Graph throttling limits:
// "Identity and access reports ... 5 requests per 10 seconds per app per
// tenant"). A public client shares it with every other use of that client
// in the tenant, and apppass's own diagnosis reads the log too.
const (
	ReportsLimit  = 5
	ReportsWindow = 10 * time.Second
)

// ReadEvery is the watch's pace: one request per ten seconds, a fifth of
// the reports family's limit, so the watch keeps working under Graph's
// (and simcloud's) throttling with room for everything else.
const ReadEvery = ReportsWindow

// signInsPerPage is graphclient.SignIns' page size: a read of n rows costs
// n/50+1 requests, and the pause after it grows to match.
const signInsPerPage = 50

// maxBackoff bounds the pause after failed reads.
const maxBackoff = 2 * time.Minute

// DefaultReadTimeout bounds one read of the log (a hang is a failed read).
const DefaultReadTimeout = 20 * time.Second

// Watch looks in the sign-in log for the app's own legacy sign-ins newer
// than the change, on both the interactive and the non-interactive tab,
// and judges what arrives with diagnose's rules. It draws nothing; the
// wizard's waiting screen, plain mode and diagnose --watch-app drive it.
// A read that fails never counts as "nothing came".
type Watch struct {
	log     SignInLog
	upn     string
	service diagnose.Service
	since   time.Time
	now     func() time.Time
	// ReadTimeout bounds one read (DefaultReadTimeout when zero).
	ReadTimeout time.Duration

	reads, failedInRow int
	rows               int
	newest             *diagnose.SignIn
	lastErr            error
	permanent          bool
}

// NewWatch watches upn's sign-ins of the service's legacy client app from
// since on (a row at since counts), reading time from now.
func NewWatch(log SignInLog, upn string, service diagnose.Service, since time.Time, now func() time.Time) *Watch {
	return &Watch{log: log, upn: upn, service: service, since: since.UTC(), now: now}
}

// Since is the start of the window the watch looks at.
func (w *Watch) Since() time.Time { return w.since }

// Read reads the log once and returns the watch so far. It never reads
// after a fault that another read cannot cure (a missing role or licence,
// a malformed answer).
func (w *Watch) Read(ctx context.Context) diagnose.AppWatch {
	if w.permanent {
		return w.Result()
	}
	timeout := w.ReadTimeout
	if timeout <= 0 {
		timeout = DefaultReadTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	w.reads++
	rows, err := w.log.SignIns(ctx, w.upn, w.since)
	if err != nil {
		w.lastErr, w.failedInRow = err, w.failedInRow+1
		w.permanent = permanentFault(err)
		return w.Result()
	}
	w.lastErr, w.failedInRow, w.rows = nil, 0, len(rows)
	for _, r := range rows {
		if r.Created.Before(w.since) || !diagnose.AppClient(w.service, r.ClientAppUsed) {
			continue
		}
		if w.newest == nil || r.Created.After(w.newest.Time) {
			s := cleanSignIn(signInOf(r))
			s.IPAddress = termsafe.Clean(r.IPAddress)
			w.newest = &s
		}
	}
	return w.Result()
}

// permanentFault is a failed read another read will not cure.
func permanentFault(err error) bool {
	return graphclient.IsForbidden(err) || graphclient.IsLicenceRequired(err) || graphclient.IsNotFound(err) ||
		errors.Is(err, graphclient.ErrMalformedResponse) || badRequest(err)
}

func badRequest(err error) bool {
	var g *graphclient.GraphError
	return errors.As(err, &g) && g.Status == 400
}

// cleanSignIn cleans the row's outside strings where they enter.
func cleanSignIn(s diagnose.SignIn) diagnose.SignIn {
	s.ClientAppUsed, s.AppName, s.CAStatus = termsafe.Clean(s.ClientAppUsed), termsafe.Clean(s.AppName), termsafe.Clean(s.CAStatus)
	for i := range s.Applied {
		a := &s.Applied[i]
		a.ID, a.Name, a.Result = termsafe.Clean(a.ID), termsafe.Clean(a.Name), termsafe.Clean(a.Result)
	}
	return s
}

// Result is the watch as it stands: through or failed once the app's
// sign-in arrived; could not check while the last read failed (or none
// was made); else not seen.
func (w *Watch) Result() diagnose.AppWatch {
	out := diagnose.AppWatch{Since: w.since, Until: w.now().UTC(), UPN: w.upn, Service: w.service}
	switch {
	case w.newest != nil:
		s := *w.newest
		out.Result, out.SignIn = diagnose.JudgeAppSignIn(s), &s
	case w.lastErr != nil:
		out.Result, out.Why, out.RequestID = diagnose.WatchUnchecked, plainError(w.lastErr), graphclient.RequestID(w.lastErr)
		if graphclient.IsLicenceRequired(w.lastErr) {
			out.Why = "the sign-in log needs Microsoft Entra ID P1"
		} else if graphclient.IsForbidden(w.lastErr) {
			out.Why = "reading the sign-in log needs the " + diagnose.RoleList(diagnose.RolesReadLogs) + " role"
		}
	case w.reads == 0:
		out.Result, out.Why = diagnose.WatchUnchecked, "the sign-in log was not read"
	default:
		out.Result = diagnose.WatchNotSeen
	}
	return out
}

// Settled reports that reading more cannot change the answer: the app got
// through, or a fault another read will not cure.
func (w *Watch) Settled() bool {
	return w.permanent || (w.newest != nil && w.newest.ErrorCode == 0)
}

// Seen reports that one of the app's sign-ins arrived.
func (w *Watch) Seen() bool { return w.newest != nil }

// Pause is how long to wait before the next read: ReadEvery per request
// the last read cost (one per page of rows), doubled after each failed
// read up to two minutes, so the watch stays within the reports family's
// limit whatever the log holds and backs off while Graph is unwell.
func (w *Watch) Pause() time.Duration {
	pages := w.rows/signInsPerPage + 1
	d := time.Duration(pages) * ReadEvery
	for range min(w.failedInRow, 8) {
		d *= 2
	}
	return min(d, max(maxBackoff, time.Duration(pages)*ReadEvery))
}

// Wait pauses for d or until ctx ends; tests hand in one that moves a
// simulated clock instead.
type Wait func(ctx context.Context, d time.Duration) error

// RealWait waits on the real clock.
func RealWait(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// WatchFor reads, pausing between reads, until the app's sign-in arrives
// (stopAtFirst: any of its sign-ins; else only one that got through), the
// watch is settled, or the clock reaches until; then it returns the watch's
// result. Cancelling ctx ends the watch with what was read so far.
func (w *Watch) WatchFor(ctx context.Context, until time.Time, wait Wait, stopAtFirst bool) diagnose.AppWatch {
	for {
		r := w.Read(ctx)
		if w.Settled() || (stopAtFirst && w.Seen()) || ctx.Err() != nil {
			return r
		}
		left := until.Sub(w.now())
		if left <= 0 {
			return r
		}
		if pause := w.Pause(); pause > left {
			// No read sooner than the pace allows, not even a last one.
			wait(ctx, left)
			return w.Result()
		}
		if wait(ctx, w.Pause()) != nil {
			return w.Result()
		}
	}
}
