package evidence

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/apppass/apppass/demo"
	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/internal/testkit"
	"github.com/apppass/apppass/simcloud"
)

// watched is classic's app on a five-minute schedule with a two-minute log
// delay, on a manual clock, with a signed-in client whose reads are timed.
type watched struct {
	srv    *simcloud.Server
	clock  *simcloud.ManualClock
	log    *timedLog
	client *graphclient.Client
}

// timedLog records the simulated time of every read.
type timedLog struct {
	SignInLog
	now   func() time.Time
	mu    sync.Mutex
	times []time.Time
}

func (l *timedLog) SignIns(ctx context.Context, upn string, since time.Time) ([]graphclient.SignIn, error) {
	l.mu.Lock()
	l.times = append(l.times, l.now())
	l.mu.Unlock()
	return l.SignInLog.SignIns(ctx, upn, since)
}

func startWatched(t *testing.T, secret string, faults ...simcloud.Fault) *watched {
	t.Helper()
	return startWatchedOn(t, simcloud.LoggedBoth, secret, faults...)
}

// startWatchedOn logs the app's legacy rows on the given tab of the log.
func startWatchedOn(t *testing.T, tab, secret string, faults ...simcloud.Fault) *watched {
	t.Helper()
	sc, err := simcloud.LoadScenario("classic")
	if err != nil {
		t.Fatal(err)
	}
	sc.LegacySignInsLoggedAs = tab
	sc.App = &simcloud.App{EveryMinutes: 5, Secret: secret}
	sc.SignInLogDelayMinutes = 2
	clock := simcloud.NewManualClock(sc.AsOfTime())
	cloud, err := demo.Start(sc, demo.Options{Clock: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cloud.Close() })
	cloud.Config.Retry = graphclient.RetryPolicy{MaxRetries: 2, MaxWait: time.Second}
	testkit.EndHangsOnSignal(&cloud.Config, cloud.Server)
	client, err := cloud.Client(testkit.Context(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range faults {
		if err := cloud.Server.AddFault(f); err != nil {
			t.Fatal(err)
		}
	}
	return &watched{srv: cloud.Server, clock: clock, client: client, log: &timedLog{SignInLog: client, now: clock.Now}}
}

// advance is the watch's Wait in tests: the simulated clock moves, no one sleeps.
func (w *watched) advance(ctx context.Context, d time.Duration) error {
	w.clock.Advance(d)
	return ctx.Err()
}

func (w *watched) watch(t *testing.T, minutes int, stopAtFirst bool) diagnose.AppWatch {
	t.Helper()
	watch := NewWatch(w.log, "backup@contoso.onmicrosoft.com", diagnose.ServiceSMTP, w.srv.Now().Add(time.Second), w.srv.Now)
	watch.ReadTimeout = testkit.Patience(t)
	return watch.WatchFor(testkit.Context(t), w.srv.Now().Add(time.Duration(minutes)*time.Minute), w.advance, stopAtFirst)
}

// The app password typed into the app: the watch sees the app's own
// success, from the app's address, and stops there.
func TestWatchSeesTheAppGetThrough(t *testing.T) {
	w := startWatched(t, "")
	pw, err := w.srv.CreateAppPassword("backup@contoso.onmicrosoft.com")
	if err != nil {
		t.Fatal(err)
	}
	w.srv.TypeIntoApp(pw)
	got := w.watch(t, 15, false)
	if got.Result != diagnose.WatchThrough || got.SignIn.IPAddress != "203.0.113.24" || got.SignIn.ClientAppUsed != "Authenticated SMTP" {
		t.Fatalf("%+v", got)
	}
	// The first run is at 5 minutes and shows at 7: the watch ends on the
	// first read after that, not at its deadline.
	if end := got.Until.Sub(got.Since); end < 6*time.Minute || end > 8*time.Minute {
		t.Errorf("the watch ended %v after it began", end)
	}
}

// Wherever Entra logs the app's legacy rows, the watch sees them: it
// reads the interactive and the non-interactive tab.
func TestWatchReadsBothTabs(t *testing.T) {
	for _, tab := range []string{simcloud.LoggedInteractive, simcloud.LoggedNonInteractive} {
		w := startWatchedOn(t, tab, "Backup-Sim-2025!")
		if got := w.watch(t, 15, true); got.Result != diagnose.WatchFailed {
			t.Errorf("%s tab: %+v", tab, got)
		}
	}
}

// The app still holding an old password: 50126 from the app's address.
func TestWatchSeesAnOldPassword(t *testing.T) {
	w := startWatched(t, "Backup-Sim-2025!")
	got := w.watch(t, 15, true)
	if got.Result != diagnose.WatchFailed || got.SignIn.ErrorCode != 50126 || got.SignIn.IPAddress != "203.0.113.24" {
		t.Fatalf("%+v", got)
	}
}

// Nothing arrives within the time watched: not seen, never through.
func TestWatchNotSeen(t *testing.T) {
	w := startWatched(t, "")
	if got := w.watch(t, 6, false); got.Result != diagnose.WatchNotSeen || got.Until.Sub(got.Since).Round(time.Minute) != 6*time.Minute {
		t.Fatalf("%+v (lasted %v)", got, got.Until.Sub(got.Since))
	}
}

// The watch is paced within the reports family's documented limit (5
// requests per 10 s per app per tenant) with room to spare for the rest of
// the app's reads: no ten-second window holds more than two of the watch's
// requests, and each read is one request.
func TestWatchIsPacedWithinTheReportsLimit(t *testing.T) {
	w := startWatched(t, "")
	before := w.srv.GraphRequests()
	w.watch(t, 20, false)
	reads := w.log.times
	if len(reads) < 100 || w.srv.GraphRequests()-before != len(reads) {
		t.Fatalf("%d reads, %d requests", len(reads), w.srv.GraphRequests()-before)
	}
	const margin = 2 // of the 5 the limit allows
	for i := range reads {
		in := 0
		for _, at := range reads[i:] {
			if at.Sub(reads[i]) < ReportsWindow {
				in++
			}
		}
		if in > margin {
			t.Fatalf("%d reads in the 10 s from read %d (limit %d, margin %d)", in, i, ReportsLimit, margin)
		}
	}
}

// Under every fault the log can answer with, the watch ends "could not
// check" (with the cause), never a guessed success, though the app would
// have got through; a fault that passes leaves an answer read afterwards.
func TestWatchUnderEveryFault(t *testing.T) {
	kinds := []simcloud.FaultKind{simcloud.FaultThrottle, simcloud.FaultUnavailable, simcloud.FaultHang, simcloud.FaultDrop,
		simcloud.FaultMalformed, simcloud.FaultEmptyError, simcloud.FaultMissingRole, simcloud.FaultMissingLicence}
	for _, kind := range kinds {
		t.Run(string(kind), func(t *testing.T) {
			w := startWatched(t, "", simcloud.Fault{Kind: kind, Endpoint: "signIns"})
			pw, _ := w.srv.CreateAppPassword("backup@contoso.onmicrosoft.com")
			w.srv.TypeIntoApp(pw)
			got := w.watch(t, 10, false)
			if got.Result != diagnose.WatchUnchecked || got.Why == "" || got.SignIn != nil {
				t.Fatalf("%+v", got)
			}
		})
	}
	t.Run("throttled once", func(t *testing.T) {
		w := startWatched(t, "", simcloud.Fault{Kind: simcloud.FaultThrottle, Endpoint: "signIns", Times: 3})
		pw, _ := w.srv.CreateAppPassword("backup@contoso.onmicrosoft.com")
		w.srv.TypeIntoApp(pw)
		if got := w.watch(t, 10, false); got.Result != diagnose.WatchThrough {
			t.Fatalf("%+v", got)
		}
	})
}
