package steps

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/evidence"
	"github.com/apppass/apppass/flow"
	"github.com/apppass/apppass/graphclient"
)

// IDDiagnosis is the diagnosis screen.
const IDDiagnosis = flow.IDDiagnosis

// Diagnosed is what the diagnosis screen learned, and the plan chosen.
type Diagnosed = flow.Diagnosed

type diagPhase int

const (
	diagGathering diagPhase = iota
	diagVerdict
	diagConsent
	diagPassword
	diagChecking
	diagRollout
)

// Diagnosis runs every check at once, fills the checklist in as answers
// arrive, and shows the verdict and the plan.
type Diagnosis struct {
	base
	spin     spinner.Model
	ch       chan tea.Msg
	lines    map[diagnose.Check]diagnose.Line
	ev       diagnose.Evidence
	report   *diagnose.Report
	phase    diagPhase
	password textinput.Model
	note     string
	// reread: the person asked to read again, so preloaded evidence is spent.
	reread bool
}

// gatherProgress and gatherFinished stream the checks' answers.
type (
	gatherProgress struct {
		from uint64
		done evidence.Done
	}
	gatherFinished struct {
		from uint64
		ev   diagnose.Evidence
	}
	passwordChecked struct{ diagnose.Item[int] }
)

// NewDiagnosis builds the diagnosis screen.
func NewDiagnosis(c *Common) Step {
	pw := c.newInput("the account's regular password", 256, 40)
	pw.EchoMode = textinput.EchoPassword
	return &Diagnosis{base: newBase(c, IDDiagnosis), spin: c.newSpinner(), password: pw}
}

// Init implements Step.
func (d *Diagnosis) Init() tea.Cmd { return tea.Batch(d.spin.Tick, d.start()) }

func (d *Diagnosis) start() tea.Cmd {
	d.phase, d.lines, d.report = diagGathering, map[diagnose.Check]diagnose.Line{}, nil
	t := d.c.Session.Target
	if ev := d.c.Preloaded; ev != nil && !d.reread && strings.EqualFold(ev.UPN, t.UPN) && ev.Service == t.Service {
		// The scan's reads of this account, minutes old: judged as read.
		from, preloaded := d.inst, *ev
		preloaded.PastedError = t.Pasted
		d.note = "From the scan: what it read of this account. Press r to read it again now."
		return func() tea.Msg { return gatherFinished{from: from, ev: preloaded} }
	}
	req := evidence.Request{UPN: t.UPN, Caller: d.c.Session.Me.UserPrincipalName, Service: t.Service, Pasted: t.Pasted, Now: d.c.Now()}
	ch := make(chan tea.Msg, len(diagnose.Checks)+2) // never blocks the gatherer
	from, ctx, g := d.inst, d.ctx, d.c.Graph
	go func() {
		ev := evidence.Gather(ctx, g, req, func(x evidence.Done) { ch <- gatherProgress{from: from, done: x} })
		ch <- gatherFinished{from: from, ev: ev}
	}()
	d.ch = ch
	return d.next()
}

func (d *Diagnosis) next() tea.Cmd {
	ch := d.ch
	return func() tea.Msg { return <-ch }
}

// Update implements Step.
func (d *Diagnosis) Update(msg tea.Msg) (Step, tea.Cmd) {
	if cmd, ok := tick(&d.spin, msg); ok {
		return d, cmd
	}
	switch msg := msg.(type) {
	case gatherProgress:
		if msg.from != d.inst {
			return d, nil
		}
		d.lines[msg.done.Check] = msg.done.Line
		return d, d.next()
	case gatherFinished:
		if msg.from != d.inst {
			return d, nil
		}
		d.ev = msg.ev
		d.judge()
		return d, nil
	}
	if r, ok := mine[passwordChecked](&d.base, msg); ok {
		d.phase = diagVerdict
		d.ev.PasswordCheck = r.value.Item
		d.judge()
		return d, nil
	}
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		if d.phase == diagPassword {
			var cmd tea.Cmd
			d.password, cmd = d.password.Update(msg)
			return d, cmd
		}
		return d, nil
	}
	return d, d.key(k)
}

func (d *Diagnosis) key(k tea.KeyPressMsg) tea.Cmd {
	switch d.phase {
	case diagVerdict:
		switch {
		case key.Matches(k, keys.Enter):
			return d.done(false)
		case key.Matches(k, keys.Retry):
			d.reread, d.note = true, ""
			return d.start()
		case key.Matches(k, keys.Check) && d.canCheckPassword():
			d.phase = diagConsent
		case key.Matches(k, keys.Rollout) && d.canRollout():
			d.phase = diagRollout
		}
	case diagRollout:
		if key.Matches(k, keys.Confirm) {
			return d.done(true)
		}
		d.phase = diagVerdict // anything else is No
	case diagConsent:
		if key.Matches(k, keys.Yes) {
			d.phase = diagPassword
			return d.password.Focus()
		}
		d.phase = diagVerdict // anything else is No
	case diagPassword:
		if key.Matches(k, keys.Enter) {
			return d.checkPassword()
		}
		var cmd tea.Cmd
		d.password, cmd = d.password.Update(k)
		return cmd
	}
	return nil
}

// done ends the screen: unknown when the answer is, else done.
func (d *Diagnosis) done(rollout bool) tea.Cmd {
	outcome, detail := diagnose.OutcomeDone, ""
	if d.report.AppPasswordCanHelp == diagnose.AnswerUnknown {
		outcome, detail = diagnose.OutcomeUnknown, d.report.Why
	}
	if rollout {
		detail = "the admin chose to put per-user MFA on the account (the classic procedure)"
	}
	return d.finish(outcome, detail, Diagnosed{Evidence: d.ev, Report: *d.report, Rollout: rollout})
}

func (d *Diagnosis) canCheckPassword() bool {
	return d.ev.PasswordCheck.Status == diagnose.StatusNotRun && d.report != nil && !d.c.Session.Guard.Used(d.c.Session.Target.UPN)
}

// canRollout: the classic procedure is offered to an admin, for an account
// with no MFA at all (the diagnosis decides when that is proved).
func (d *Diagnosis) canRollout() bool {
	return d.report != nil && len(d.report.Rollout) > 0 && d.c.Session.Mode == ModeAdmin
}

// checkPassword makes the one password sign-in, then forgets the password.
func (d *Diagnosis) checkPassword() tea.Cmd {
	secret := d.password.Value()
	d.password.SetValue("")
	d.password.Blur()
	upn := d.c.Session.Target.UPN
	if secret == "" || !d.c.Session.Guard.Take(upn) {
		d.phase = diagVerdict
		d.note = "The password check runs at most once per account in a run."
		return nil
	}
	d.phase = diagChecking
	g := d.c.Graph
	return do(&d.base, func(ctx context.Context) (passwordChecked, error) {
		err := g.CheckPassword(ctx, upn, secret)
		var ee *graphclient.EntraError
		switch {
		case err == nil:
			return passwordChecked{diagnose.OK(0)}, nil
		case errors.As(err, &ee):
			return passwordChecked{diagnose.OK(ee.Code())}, nil
		}
		return passwordChecked{diagnose.Item[int]{Status: diagnose.StatusFailed, Err: firstLine(err)}}, nil
	})
}

func (d *Diagnosis) judge() {
	r := diagnose.Diagnose(d.ev)
	d.report = &r
	for _, l := range d.ev.Checklist() {
		d.lines[l.Check] = l
	}
	if d.phase == diagGathering {
		d.phase = diagVerdict
	}
}

// View implements Step.
func (d *Diagnosis) View() string {
	st := d.c.Styles
	out := d.checklistView()
	switch d.phase {
	case diagVerdict:
		out += "\n" + d.verdictView()
	case diagRollout:
		out += "\n" + d.rolloutView()
	case diagConsent:
		out += "\n" + st.Warning.Render(d.c.wrap(evidence.LockoutWarning)) + "\n\nMake the one password sign-in now? [y/N]"
	case diagPassword:
		out += "\n" + d.c.wrap("Type the regular password of "+d.c.Session.Target.UPN+". It is used for one sign-in and not kept.") + "\n" + d.password.View()
	case diagChecking:
		out += "\n" + d.spin.View() + " Signing in once with the password…"
	}
	if d.note != "" {
		out += "\n" + st.Subtle.Render(d.note)
	}
	return out
}

// FocusLine implements Focus: the checklist while it fills in, then the
// verdict that follows it; a question, at the end.
func (d *Diagnosis) FocusLine() int {
	switch d.phase {
	case diagGathering:
		return 0
	case diagVerdict:
		return strings.Count(d.checklistView(), "\n") + 1
	}
	return -1 // a question at the end
}

// checklistView is the title and every check's line.
func (d *Diagnosis) checklistView() string {
	st := d.c.Styles
	t := d.c.Session.Target
	out := st.Title.Render("Diagnosis") + st.Subtle.Render(fmt.Sprintf("  %s · %s", t.UPN, t.Service.Label())) + "\n\n"
	checks := append([]diagnose.Check(nil), diagnose.Checks...)
	if d.report != nil {
		// Once judged, every line of diagnose's own checklist that was
		// asked, as the command line and the reports print it: a check the
		// screen left out would be one the person never sees.
		for _, l := range d.ev.Checklist()[len(checks):] {
			if l.Status != "" && l.Status != diagnose.StatusNotRun {
				checks = append(checks, l.Check)
			}
		}
	}
	for _, c := range checks {
		l, ok := d.lines[c]
		if !ok {
			out += d.spin.View() + " " + c.Label() + "\n"
			continue
		}
		out += d.mark(l.Mark) + " " + pad(l.Label, 32) + st.Subtle.Render(truncate(l.Summary, d.c.Width-35)) + "\n"
	}
	if d.phase != diagGathering && d.anyFailed() {
		out += st.Warning.Render(d.c.wrap("Some checks failed (Microsoft did not answer as expected): press r to retry them.")) + "\n"
	}
	return out
}

// anyFailed reports a check that failed for a reason a retry may fix.
func (d *Diagnosis) anyFailed() bool {
	for _, l := range d.lines {
		if l.Status == diagnose.StatusFailed {
			return true
		}
	}
	return false
}

// mark shows what a check found: ✓ fine, ✗ problem, ! warning, ? could not check.
func (d *Diagnosis) mark(m diagnose.Mark) string {
	st := d.c.Styles
	switch m {
	case diagnose.MarkFine:
		return st.Pass.Render("✓")
	case diagnose.MarkProblem:
		return st.Error.Render("✗")
	case diagnose.MarkWarning:
		return st.Warning.Render("!")
	case diagnose.MarkUnchecked:
		return st.Warning.Render("?")
	}
	return st.Subtle.Render("·")
}

func (d *Diagnosis) verdictView() string {
	st := d.c.Styles
	r := d.report
	answer := st.Pass.Render(r.AnswerText())
	switch r.AppPasswordCanHelp {
	case diagnose.AnswerNo:
		answer = st.Problem.Render(r.AnswerText())
	case diagnose.AnswerUnknown:
		answer = st.Warning.Render(r.AnswerText())
	}
	// The answer first: the cause can run to many lines at 80 columns.
	out := d.c.wrap(st.Title.Render("Can an app password fix this? ")+answer) + "\n" + d.c.wrap(st.Title.Render("Cause ")+r.Cause) + "\n"
	for _, s := range r.Settle {
		out += d.c.wrap(st.Warning.Render("  ? "+s.Check.Label()+": ")+s.How) + "\n"
	}
	if fs := Findings(*r); len(fs) > 0 {
		out += "\n" + st.Title.Render("Findings") + "\n"
		for _, f := range fs {
			out += d.findingView(f)
		}
	}
	out += "\n" + st.Title.Render("Plan") + "\n"
	if len(r.Plan) == 0 {
		out += "  Nothing to change in Microsoft 365.\n"
	}
	for i, s := range r.Plan {
		line := fmt.Sprintf("  %d. %s", i+1, s.Title())
		if role := d.c.missingRole(s); role != "" {
			line += st.Subtle.Render("  (needs " + role + ")")
		}
		out += d.c.wrap(line) + "\n"
	}
	if d.canRollout() {
		out += "\n" + d.c.wrap(st.Subtle.Render("The account has no MFA at all. If you are here to put MFA on it (the classic procedure), press m.")) + "\n"
	}
	return out
}

// Findings are the report's findings the diagnosis screen shows: every one
// at warning level or above, in the report's order (the same set
// `apppass diagnose` prints with its evidence).
func Findings(r diagnose.Report) []diagnose.Finding {
	var out []diagnose.Finding
	for _, f := range r.Findings {
		if f.Severity != diagnose.SeverityInfo {
			out = append(out, f)
		}
	}
	return out
}

// findingView is one finding: its mark and title, and under it the line
// of evidence that decides it (the detail's first sentence).
func (d *Diagnosis) findingView(f diagnose.Finding) string {
	st := d.c.Styles
	mark, style := "!", st.Warning
	if f.Severity == diagnose.SeverityBlocker || f.Severity == diagnose.SeverityProblem {
		mark, style = "✗", st.Problem
	}
	out := style.Render(d.c.bullet(mark, f.Title)) + "\n"
	if ev := EvidenceLine(f); ev != "" {
		out += st.Subtle.Render(d.c.bullet(" ", ev)) + "\n"
	}
	return out
}

// EvidenceLine is the deciding evidence of a finding: the first sentence of
// its detail, where the rules put what was read ("3 recent sign-ins failed
// with AADSTS50076 ...; the password was correct.").
func EvidenceLine(f diagnose.Finding) string {
	detail := strings.TrimSpace(f.Detail)
	for i := 0; i+2 < len(detail); i++ {
		if detail[i] == '.' && detail[i+1] == ' ' && detail[i+2] >= 'A' && detail[i+2] <= 'Z' {
			return detail[:i+1]
		}
	}
	return detail
}

// rolloutView is Microsoft's guidance before the classic procedure.
func (d *Diagnosis) rolloutView() string {
	st := d.c.Styles
	out := st.Title.Render("Put per-user MFA on "+d.c.Session.Target.UPN+"?") + "\n" +
		d.c.wrap("This is your choice as an admin, not the fix of the failure above. Before the first change:") + "\n"
	for _, g := range diagnose.RolloutGuidance {
		out += d.c.bullet("•", g) + "\n"
	}
	out += "\n" + st.Title.Render("The steps") + "\n"
	for i, s := range d.report.Rollout {
		out += fmt.Sprintf("  %d. %s\n", i+1, s.Title())
	}
	return out + "\nWalk these steps now? Each change is shown and confirmed first. [y/N]"
}

// truncate shortens a one-line summary to n cells.
func truncate(s string, n int) string {
	r := []rune(s)
	if n < 2 || len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func pad(s string, n int) string {
	for len(s) < n {
		s += " "
	}
	return s
}

// KeyMap implements Step.
func (d *Diagnosis) KeyMap() help.KeyMap {
	switch d.phase {
	case diagVerdict:
		k := keyMap{withHelp(keys.Enter, "follow the plan"), keys.Retry}
		if d.canCheckPassword() {
			k = append(k, keys.Check)
		}
		if d.canRollout() {
			k = append(k, keys.Rollout)
		}
		return k
	case diagConsent:
		return keyMap{keys.Yes, keys.No}
	case diagRollout:
		return keyMap{withHelp(keys.Yes, "yes, walk them"), keys.No}
	case diagPassword:
		return keyMap{withHelp(keys.Enter, "sign in once")}
	}
	return nil
}

// Typing reports that printable keys go to a text field.
func (d *Diagnosis) Typing() bool { return d.phase == diagPassword }
