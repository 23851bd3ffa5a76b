package steps

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/journal"
	"github.com/apppass/apppass/termsafe"
)

// IDSummary is the last screen.
const IDSummary ID = "summary"

// Exporter writes one report file and returns where.
type Exporter func(name string, data []byte) (string, error)

// UndoneMsg tells the wizard which changes an undo made, for its session.
type UndoneMsg struct{ Changes []journal.Change }

type summaryPhase int

const (
	summaryShowing summaryPhase = iota
	summaryReading
	summaryUndo
	summaryNote
)

// Summary shows every step's outcome, what changed, what is left, undo and
// export.
type Summary struct {
	base
	spin    spinner.Model
	report  diagnose.Report
	left    []string
	phase   summaryPhase
	undo    *journal.Change // the first MFA change made; undo returns to its Before
	write   *confirmWrite
	message string
}

// NewSummary builds the summary.
func NewSummary(c *Common) Step {
	s := &Summary{base: newBase(c, IDSummary), spin: c.newSpinner(), report: c.Session.ReportSoFar(), left: c.Session.LeftByHand()}
	for _, ch := range c.Session.Changes {
		if ch.Kind == journal.PerUserMFA && ch.Outcome == journal.Done && ch.Before != ch.After {
			s.undo = &ch
			break
		}
	}
	return s
}

// Init implements Step.
func (s *Summary) Init() tea.Cmd { return nil }

// Busy implements Step.
func (s *Summary) Busy() bool { return s.write != nil && s.write.busy() }

// Modal implements Modal: esc closes the note or the undo.
func (s *Summary) Modal() bool { return s.phase != summaryShowing }

// Update implements Step.
func (s *Summary) Update(msg tea.Msg) (Step, tea.Cmd) {
	if r, ok := mine[mfaReading](&s.base, msg); ok {
		return s, s.askUndo(r.value, r.err)
	}
	if s.phase == summaryUndo {
		if cmd := s.write.update(msg); cmd != nil || !s.write.finished() {
			return s, cmd
		}
	}
	if cmd, ok := tick(&s.spin, msg); ok {
		return s, cmd
	}
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return s, nil
	}
	switch s.phase {
	case summaryUndo:
		if key.Matches(k, keys.Close) {
			s.phase, s.message = summaryShowing, undoMessage(s.write)
			changes := s.write.done.changes
			s.write = nil
			if len(changes) > 0 {
				s.undo = nil // an undo is offered once; the journal has the rest
				return s, func() tea.Msg { return UndoneMsg{Changes: changes} }
			}
		}
	case summaryNote:
		switch {
		case key.Matches(k, keys.Export):
			return s, s.exportReports()
		case key.Matches(k, keys.Close):
			s.phase = summaryShowing
		}
	case summaryShowing:
		switch {
		case key.Matches(k, keys.Undo) && s.undo != nil:
			s.phase = summaryReading
			g, id := s.c.Graph, s.undo.AccountID
			return s, tea.Batch(s.spin.Tick, do(&s.base, func(ctx context.Context) (mfaReading, error) { return readMFAState(ctx, g, id) }))
		case key.Matches(k, keys.Export):
			return s, s.exportReports()
		case key.Matches(k, keys.Note):
			s.phase = summaryNote
		case key.Matches(k, keys.Finish):
			return s, s.finish(diagnose.OutcomeDone, "", nil)
		}
	}
	return s, nil
}

// askUndo shows the exact undo, warning first when Entra will not go back.
func (s *Summary) askUndo(now mfaReading, err error) tea.Cmd {
	if err != nil {
		s.phase, s.message = summaryShowing, "Undo not started: the live state could not be read ("+firstLine(err)+")."
		return nil
	}
	back, perr := graphclient.ParseMFAState(s.undo.Before)
	if perr != nil || now.state == back {
		s.phase, s.message = summaryShowing, "Nothing to undo: per-user MFA already reads "+string(now.state)+"."
		return nil
	}
	var warnings []string
	if back == graphclient.MFAEnabled && now.state == graphclient.MFAEnforced && now.registered {
		warnings = append(warnings, "Entra ID keeps an account that has registered an MFA method at enforced: this undo will most likely read back enforced, and apppass will say so.")
	}
	s.phase = summaryUndo
	s.write = newConfirmWrite(&s.base, "Undo this MFA change?", warnings, s.c.PerUserMFAWrite(now.state, back, false))
	return nil
}

// undoMessage says what the read-back showed.
func undoMessage(w *confirmWrite) string {
	outcome, detail := w.outcome()
	switch outcome {
	case diagnose.OutcomeDone:
		return "Undone and verified: per-user MFA reads " + w.done.changes[0].After + "."
	case diagnose.OutcomeDeclined:
		return "Not undone: you said no."
	}
	return "Not undone (" + string(outcome) + "): " + detail
}

// exportReports writes the reports and says where, in the body and, so that
// the answer is in view at 80×24, as a Flash.
func (s *Summary) exportReports() tea.Cmd {
	stamp := s.c.Now().UTC().Format("20060102-150405")
	md := s.report.Markdown() + changesMarkdown(s.c.Session.Changes, s.left)
	js, err := s.report.JSON()
	if err != nil {
		s.message = "Export failed: " + err.Error()
		return flash(s.message)
	}
	var exported []string
	for name, data := range map[string][]byte{
		"apppass-report-" + stamp + ".md":      []byte(md),
		"apppass-report-" + stamp + ".json":    js,
		"apppass-admin-note-" + stamp + ".txt": []byte(s.report.AdminNote()),
	} {
		path, err := s.c.Export(name, data)
		if err != nil {
			s.message = "Export failed: " + err.Error()
			return flash(s.message)
		}
		exported = append(exported, path)
	}
	slices.Sort(exported)
	s.message = "Exported:\n  " + strings.Join(exported, "\n  ")
	return flash(fmt.Sprintf("Exported %d files (listed below) to %s", len(exported), filepath.Dir(exported[0])))
}

func changesMarkdown(changes []journal.Change, left []string) string {
	var b strings.Builder
	b.WriteString("\n## Changes made\n\n")
	if len(changes) == 0 {
		b.WriteString("None.\n")
	}
	m := diagnose.MarkdownText
	for _, ch := range changes {
		fmt.Fprintf(&b, "- %s %s · %s: %s → %s (%s, journal %s", ch.Time.UTC().Format("2006-01-02 15:04"), m(ch.Account), m(ch.Kind.Label()),
			m(ch.Before), m(ch.After), m(string(ch.Outcome)), m(string(ch.ID)))
		if ch.RequestID != "" {
			fmt.Fprintf(&b, ", request-id %s", m(ch.RequestID))
		}
		if ch.Note != "" {
			fmt.Fprintf(&b, "; %s", m(ch.Note))
		}
		b.WriteString(")\n")
	}
	b.WriteString("\n## Left to do by hand\n\n")
	if len(left) == 0 {
		b.WriteString("Nothing.\n")
	}
	for _, l := range left {
		b.WriteString("- " + m(l) + "\n")
	}
	return b.String()
}

// View implements Step.
func (s *Summary) View() string {
	st := s.c.Styles
	out := st.Title.Render("Summary") + st.Subtle.Render("  "+termsafe.Clean(s.c.Session.Target.UPN)) + "\n\n"
	switch s.phase {
	case summaryNote:
		return out + s.c.box("Note for an admin", s.report.AdminNote()) + "\n" + st.Subtle.Render("esc closes the note; e exports it with the reports.")
	case summaryReading:
		return out + s.spin.View() + " Reading the live per-user MFA state before the undo…"
	case summaryUndo:
		out += s.write.view()
		if s.write.finished() {
			out += "\n\nPress esc or enter to return to the summary."
		}
		return out
	}
	out += s.c.wrap(st.Title.Render("Verdict ")+s.report.Cause) + "\n" + s.c.wrap(st.Subtle.Render("App password: ")+s.report.AnswerText()) + "\n"
	if s.c.Session.SMTPReply != "" {
		out += s.c.wrap(st.Subtle.Render("Test: ")+termsafe.Clean(s.c.Session.SMTPReply)) + "\n"
	}
	if w := s.c.Session.AppWatch; w != nil {
		out += s.c.wrap(st.Subtle.Render("At the app: ")+termsafe.Clean(w.Headline())) + "\n"
	}
	out += "\n" + st.Title.Render("Steps") + "\n" + s.stepsView()
	out += "\n" + st.Title.Render("Changes made") + "\n" + s.changesView()
	out += "\n" + st.Title.Render("Left to do by hand") + "\n"
	if len(s.left) == 0 {
		out += "  Nothing.\n"
	}
	for _, l := range s.left {
		out += s.c.bullet("•", l) + "\n"
	}
	out += s.wayForwardView()
	if s.message != "" {
		out += "\n" + st.Info.Render(s.c.wrap(s.message))
	}
	return out
}

// wayForwardView names each route's exact change, when the plan is to
// move the app to modern authentication.
func (s *Summary) wayForwardView() string {
	if len(s.report.WayForward) == 0 {
		return ""
	}
	st := s.c.Styles
	out := "\n" + st.Title.Render("The way forward") + "\n"
	for _, w := range s.report.WayForward {
		out += s.c.bullet("•", w.Name+", when "+w.FitsWhen+".") + "\n"
		out += s.c.bullet(" ", "Permission: "+w.Permission+".") + "\n"
		out += s.c.bullet(" ", "Consent: "+w.Consent+".") + "\n"
		for _, c := range w.Changes {
			out += s.c.bullet(" ", c) + "\n"
		}
		out += s.c.bullet(" ", w.Doc) + "\n"
	}
	return out
}

// stepsView lists each plan screen with its outcome.
func (s *Summary) stepsView() string {
	var out string
	for _, sc := range Screens() {
		if sc.Plan == "" && sc.Offered == nil {
			continue
		}
		e, reached := s.c.Session.Outcomes[sc.ID]
		if !reached {
			if sc.Needed(s.c.Session) {
				out += "  " + s.c.Styles.StepPending.Render("○ "+sc.Title+": not reached") + "\n"
			}
			continue
		}
		out += s.c.wrap("  "+OutcomeStyle(s.c.Styles, e.Outcome).Render(e.Outcome.Mark()+" "+sc.Title+": "+string(e.Outcome))+prefixed(" — ", e.Detail)) + "\n"
	}
	if out == "" {
		return "  None: the plan has no steps for apppass to walk.\n"
	}
	return out
}

func (s *Summary) changesView() string {
	st := s.c.Styles
	changes := s.c.Session.Changes
	if len(changes) == 0 {
		return "  None.\n"
	}
	var out string
	for _, ch := range changes {
		line := fmt.Sprintf("  %s · %s: %s → %s", termsafe.Clean(ch.Account), ch.Kind.Label(), ch.Before, ch.After)
		if ch.Outcome != journal.Done {
			line += st.Warning.Render(" (" + string(ch.Outcome) + ")")
		}
		out += s.c.wrap(line) + "\n"
	}
	if slices.ContainsFunc(changes, func(c journal.Change) bool { return c.Kind == journal.SignInSessions && c.Outcome == journal.Done }) {
		out += st.Subtle.Render("  A sign-out cannot be undone.") + "\n"
	}
	return out
}

// KeyMap implements Step.
func (s *Summary) KeyMap() help.KeyMap {
	switch s.phase {
	case summaryUndo:
		if s.write.finished() {
			return keyMap{withHelp(keys.Close, "back to the summary")}
		}
		return s.write.keyMap()
	case summaryNote:
		return keyMap{keys.Close, keys.Export}
	case summaryReading:
		return nil
	}
	k := keyMap{keys.Export, keys.Note}
	if s.undo != nil {
		k = append(k, keys.Undo)
	}
	return append(k, keys.Finish)
}
