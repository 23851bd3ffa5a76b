package simcloud

import (
	"fmt"
	"time"
)

// App is the failing app itself (a backup tool, a scanner), signing in on
// its own schedule: every EveryMinutes minutes of the simulator's clock it
// makes one legacy SMTP AUTH sign-in from the scenario's appIpAddress with
// the secret its owner typed into it, and Entra judges and logs it exactly
// as any other legacy sign-in. Nothing runs in the background: the runs
// that fell due are made, at their own times, whenever the simulator is
// next asked (a sign-in log read, an SMTP sign-in, TypeIntoApp), so a
// manual clock drives them as surely as the real one.
type App struct {
	// EveryMinutes is the app's schedule; the first run is one period after
	// the simulator starts.
	EveryMinutes int `json:"everyMinutes"`
	// Secret is what the owner typed into the app: empty for the account's
	// regular password, else this text (an old password, say).
	Secret string `json:"secret,omitempty"`
}

// maxAppRuns bounds one catch-up, so that a clock moved by years does not
// fill the log: a week of one-minute runs.
const maxAppRuns = 7 * 24 * 60

func (a *App) validate() error {
	if a.EveryMinutes < 1 || a.EveryMinutes > 24*60 {
		return fmt.Errorf("app.everyMinutes must be 1 to 1440, not %d", a.EveryMinutes)
	}
	return nil
}

func (a *App) period() time.Duration { return time.Duration(a.EveryMinutes) * time.Minute }

// appState is what the running app holds. Guarded by the directory's mu.
type appState struct {
	secret  string
	nextRun time.Time
}

// startApp readies the scenario's app, if it has one. Caller holds mu (or
// is constructing d).
func (d *directory) startApp(now time.Time) {
	a := d.sc.App
	if a == nil {
		return
	}
	secret := a.Secret
	if secret == "" {
		if u := d.byUPN(d.sc.Account); u != nil {
			secret = u.Password
		}
	}
	d.app = &appState{secret: secret, nextRun: now.Add(a.period())}
}

// runAppUntil makes every run of the app that fell due by now, each at its
// own time, with the secret the app held then. Caller holds mu.
func (d *directory) runAppUntil(now time.Time) {
	if d.app == nil {
		return
	}
	for n := 0; !d.app.nextRun.After(now) && n < maxAppRuns; n++ {
		d.smtpAuthAt(d.sc.Account, d.app.secret, d.app.nextRun)
		d.app.nextRun = d.app.nextRun.Add(d.sc.App.period())
	}
	for !d.app.nextRun.After(now) { // past the bound: skip, do not log
		d.app.nextRun = d.app.nextRun.Add(d.sc.App.period())
	}
}

// TypeIntoApp plays the app's owner typing a new secret (the app password
// just created) into the app: the runs already due are made with the old
// one, every later run with this one. The secret is kept in memory only.
func (s *Server) TypeIntoApp(secret string) error {
	s.dir.mu.Lock()
	defer s.dir.mu.Unlock()
	if s.dir.app == nil {
		return fmt.Errorf("scenario %q has no app that signs in on its own", s.scenario.Name)
	}
	s.dir.runAppUntil(s.dir.now())
	s.dir.app.secret = secret
	return nil
}

// HasApp reports whether the scenario runs the app on a schedule.
func (s *Server) HasApp() bool { return s.scenario.App != nil }

// logDelay is how long a row takes to appear in the sign-in log.
func (sc *Scenario) logDelay() time.Duration {
	return time.Duration(sc.SignInLogDelayMinutes) * time.Minute
}
