package steps

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/evidence"
	"github.com/apppass/apppass/graphclient"
)

// Diagnosed is what the diagnosis screen learned.
type Diagnosed struct {
	Evidence diagnose.Evidence
	Report   diagnose.Report
}

// Diagnosis runs every check at once, fills the checklist in as answers
// arrive, and shows the verdict and the plan.
type Diagnosis struct {
	base
	spin     spinner.Model
	ch       chan tea.Msg
	lines    map[diagnose.Check]diagnose.Line
	ev       diagnose.Evidence
	report   *diagnose.Report
	phase    string // gathering, verdict, consent, password, checking
	password textinput.Model
	note     string
}

type gatherProgress struct {
	seq  int
	done evidence.Done
}

type gatherFinished struct {
	seq int
	ev  diagnose.Evidence
}

// NewDiagnosis builds the diagnosis screen.
func NewDiagnosis(c *Common) Step {
	pw := textinput.New()
	pw.EchoMode = textinput.EchoPassword
	pw.Placeholder = "the account's regular password"
	pw.SetWidth(40)
	return &Diagnosis{base: newBase(c, IDDiagnosis), spin: spinner.New(spinner.WithSpinner(spinner.Dot)), password: pw}
}

// Init implements Step.
func (d *Diagnosis) Init() tea.Cmd { return tea.Batch(d.spin.Tick, d.start()) }

func (d *Diagnosis) start() tea.Cmd {
	d.phase, d.lines, d.report = "gathering", map[diagnose.Check]diagnose.Line{}, nil
	t := d.c.Session.Target
	req := evidence.Request{UPN: t.UPN, Service: t.Service, Pasted: t.Pasted, Now: d.c.Now()}
	ch := make(chan tea.Msg, len(diagnose.Checks)+2) // never blocks the gatherer
	seq, ctx, g := d.seq, d.ctx, d.c.Graph
	go func() {
		ev := evidence.Gather(ctx, g, req, func(x evidence.Done) { ch <- gatherProgress{seq: seq, done: x} })
		ch <- gatherFinished{seq: seq, ev: ev}
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
		if msg.seq != d.seq {
			return d, nil
		}
		d.lines[msg.done.Check] = msg.done.Line
		return d, d.next()
	case gatherFinished:
		if msg.seq != d.seq {
			return d, nil
		}
		d.ev = msg.ev
		d.judge()
		return d, nil
	}
	if r, ok := d.mine(msg); ok && r.kind == "password" {
		d.phase = "verdict"
		d.ev.PasswordCheck = r.value.(diagnose.Item[int])
		d.judge()
		return d, nil
	}
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		if d.phase == "password" {
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
	case "verdict":
		switch {
		case key.Matches(k, Keys.Enter):
			return d.finish(Diagnosed{Evidence: d.ev, Report: *d.report})
		case key.Matches(k, Keys.Retry):
			return d.start()
		case key.Matches(k, Keys.Check) && d.canCheckPassword():
			d.phase = "consent"
		}
	case "consent":
		if key.Matches(k, Keys.Yes) {
			d.phase = "password"
			return d.password.Focus()
		}
		d.phase = "verdict" // anything else is No
	case "password":
		if key.Matches(k, Keys.Enter) {
			return d.checkPassword()
		}
		var cmd tea.Cmd
		d.password, cmd = d.password.Update(k)
		return cmd
	}
	return nil
}

func (d *Diagnosis) canCheckPassword() bool {
	return d.ev.PasswordCheck.Status == diagnose.StatusNotRun && d.report != nil && !d.c.Session.Guard.Used(d.c.Session.Target.UPN)
}

// checkPassword makes the one password sign-in, then forgets the password.
func (d *Diagnosis) checkPassword() tea.Cmd {
	secret := d.password.Value()
	d.password.SetValue("")
	d.password.Blur()
	upn := d.c.Session.Target.UPN
	if secret == "" || !d.c.Session.Guard.Take(upn) {
		d.phase = "verdict"
		d.note = "The password check runs at most once per account in a run."
		return nil
	}
	d.phase = "checking"
	g := d.c.Graph
	return d.run("password", func(ctx context.Context) (any, error) {
		err := g.CheckPassword(ctx, upn, secret)
		var ee *graphclient.EntraError
		switch {
		case err == nil:
			return diagnose.OK(0), nil
		case errors.As(err, &ee):
			return diagnose.OK(ee.Code()), nil
		}
		text, _ := explain(err)
		return diagnose.Item[int]{Status: diagnose.StatusFailed, Err: text}, nil
	})
}

func (d *Diagnosis) judge() {
	r := diagnose.Diagnose(d.ev)
	d.report = &r
	for _, l := range d.ev.Checklist() {
		d.lines[l.Check] = l
	}
	if d.phase == "gathering" {
		d.phase = "verdict"
	}
}

// View implements Step.
func (d *Diagnosis) View() string {
	st := d.c.Styles
	t := d.c.Session.Target
	out := st.Title.Render("Diagnosis") + st.Subtle.Render(fmt.Sprintf("  %s · %s", t.UPN, t.Service.Label())) + "\n\n"
	checks := append([]diagnose.Check(nil), diagnose.Checks...)
	if d.report != nil {
		checks = append(checks, diagnose.CheckPassword)
	}
	for _, c := range checks {
		l, ok := d.lines[c]
		if !ok {
			out += d.spin.View() + " " + c.Label() + "\n"
			continue
		}
		out += d.mark(l.Mark) + " " + pad(l.Label, 32) + st.Subtle.Render(truncate(l.Summary, d.c.Width-35)) + "\n"
	}
	if d.phase == "verdict" && d.anyFailed() {
		out += st.Warning.Render("Some checks failed (Microsoft did not answer as expected): press r to retry them.") + "\n"
	}
	switch d.phase {
	case "verdict":
		out += "\n" + d.verdictView()
	case "consent":
		out += "\n" + st.Warning.Render(d.c.wrap(evidence.LockoutWarning)) + "\n\nMake the one password sign-in now? [y/N]"
	case "password":
		out += "\n" + d.c.wrap("Type the regular password of "+t.UPN+". It is used for one sign-in and not kept.") + "\n" + d.password.View()
	case "checking":
		out += "\n" + d.spin.View() + " Signing in once with the password…"
	}
	if d.note != "" {
		out += "\n" + st.Subtle.Render(d.note)
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
	out := d.c.wrap(st.Title.Render("Cause ")+r.Cause) + "\n" + d.c.wrap(st.Title.Render("Can an app password fix this? ")+answer) + "\n"
	for _, s := range r.Settle {
		out += d.c.wrap(st.Warning.Render("  ? "+s.Check.Label()+": ")+s.How) + "\n"
	}
	shown := 0
	for _, f := range r.Findings {
		if (f.Severity == diagnose.SeverityBlocker || f.Severity == diagnose.SeverityWarning && strings.HasPrefix(f.ID, "unchecked")) && shown < 3 {
			out += st.Warning.Render("  • "+f.Title) + "\n"
			shown++
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
		out += line + "\n"
	}
	return out
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

// Keys implements Step.
func (d *Diagnosis) Keys() []key.Binding {
	switch d.phase {
	case "verdict":
		keys := []key.Binding{Keys.Enter, Keys.Retry}
		if d.canCheckPassword() {
			keys = append(keys, Keys.Check)
		}
		return keys
	case "consent":
		return []key.Binding{Keys.Yes, Keys.No}
	case "password":
		return []key.Binding{Keys.Enter}
	}
	return nil
}

// Typing reports that printable keys go to a text field.
func (d *Diagnosis) Typing() bool { return d.phase == "password" }
