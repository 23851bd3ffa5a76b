package wizard

import (
	"strconv"
	"strings"
	"time"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/evidence"
	"github.com/apppass/apppass/steps"
)

// waitApp is the waiting screen as plain lines: the person says how many
// minutes to watch (empty: skip), the watch reads the log at its pace and
// stops at the app's first sign-in, saying what it was. Ctrl+c ends it
// like any question.
func (p *plain) waitApp() (diagnose.Outcome, string, error) {
	t := p.s.Target
	p.say("The test proves the secret works; the sign-in log can prove the app itself gets through. apppass looks for %s's legacy sign-ins (both the interactive and non-interactive tabs), one read every %d s, within Graph's limit of %d requests per %d s.",
		t.UPN, int(evidence.ReadEvery/time.Second), evidence.ReportsLimit, int(evidence.ReportsWindow/time.Second))
	p.say("%s", steps.LogDelayNote)
	if typeIn := p.env.StandIns.TypeIntoApp; typeIn != nil && p.s.DemoAppPassword != "" {
		ok, err := p.yes("Demo: type the new app password into the app?")
		if err != nil {
			return diagnose.OutcomeSkipped, "", err
		}
		if ok {
			if err := typeIn(p.s.DemoAppPassword); err != nil {
				p.say("Demo: %s", err)
			} else {
				p.say("Demo: the simulated owner typed it in; the app's next run uses it.")
			}
		}
	}
	answer, err := p.line("Minutes to watch for the app's own sign-in (empty: skip): ")
	if err != nil {
		return diagnose.OutcomeSkipped, "", err
	}
	minutes, perr := strconv.Atoi(strings.TrimSpace(answer))
	if answer == "" || perr != nil || minutes <= 0 {
		if answer != "" && (perr != nil || minutes <= 0) {
			p.say("%q is not a number of minutes: not watched.", answer)
		}
		return diagnose.OutcomeSkipped, "not watched", nil
	}
	minutes = min(minutes, 24*60)
	since := p.s.ChangedAt
	if since.IsZero() {
		since = p.c.Now()
	}
	watch := evidence.NewWatch(p.c.Graph, t.UPN, t.Service, since, p.c.Now)
	wait := p.env.Wait
	if wait == nil {
		wait = evidence.RealWait
	}
	p.say("Watching for up to %d minutes…", minutes)
	w := watch.WatchFor(p.ctx, p.c.Now().Add(time.Duration(minutes)*time.Minute), wait, true)
	if p.ctx.Err() != nil {
		return diagnose.OutcomeSkipped, "", p.ctx.Err()
	}
	p.say("%s\n%s", w.Headline(), w.Advice())
	steps.Record(steps.AppWatched{Watch: &w}, p.s)
	p.c.Journal.Observe(steps.AppWatchRecord(t, w))
	return w.Outcome(), w.Headline(), nil
}
