package steps

import (
	"context"
	"maps"
	"path/filepath"
	"slices"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/flow"
	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/journal"
	"github.com/apppass/apppass/termsafe"
)

// IDSummary is the last screen.
const IDSummary = flow.IDSummary

// Exporter writes one report file and returns where.
type Exporter func(name string, data []byte) (string, error)

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
	s := &Summary{base: newBase(c, IDSummary), spin: c.newSpinner()}
	s.refresh()
	s.undo = c.Session.Undo()
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
			tried := len(s.write.done.changes) > 0
			s.write = nil
			s.refresh() // the undo is in the session's Log: the summary reads it there
			if tried {
				s.undo = nil // an undo is offered once; the journal has the rest
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

// UndoKeepsEnforced warns before an undo Entra will most likely refuse.
const UndoKeepsEnforced = "Entra ID keeps an account that has registered an MFA method at enforced: this undo will most likely read back enforced, and apppass will say so."

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
		warnings = append(warnings, UndoKeepsEnforced)
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

// refresh derives what the summary shows from the session's record.
func (s *Summary) refresh() {
	s.report, s.left = s.c.Session.ReportSoFar(), s.c.Session.LeftByHand()
}

// exportReports writes the reports and says where, in the body and, so that
// the answer is in view at 80×24, as a Flash.
func (s *Summary) exportReports() tea.Cmd {
	files, err := s.c.Session.Exports(s.c.Now())
	if err != nil {
		s.message = "Export failed: " + err.Error()
		return flash(s.message)
	}
	var exported []string
	for _, name := range slices.Sorted(maps.Keys(files)) {
		path, err := s.c.Export(name, files[name])
		if err != nil {
			s.message = "Export failed: " + err.Error()
			return flash(s.message)
		}
		exported = append(exported, path)
	}
	s.message = "Exported:\n  " + strings.Join(exported, "\n  ")
	return flash(exportedFlash(exported, s.c.Width))
}

// exportedFlash names the exported files, a shared name said once
// ("x.json and .md"), and their folder on one line of width columns. What
// gives way to fit is, first, the stamp every name shares ("x-….md"), then
// the folder's start ("…"); a file's name is never cut.
func exportedFlash(paths []string, width int) string {
	dir := termsafe.Clean(filepath.Dir(paths[0]))
	head := "Exported " + exportedNames(paths, "") + " to "
	if room := width - ansi.StringWidth(head); room < min(ansi.StringWidth(dir), 20) {
		head = "Exported " + exportedNames(paths, sharedStamp(paths)) + " to "
	}
	if room, w := width-ansi.StringWidth(head), ansi.StringWidth(dir); w > room && room > 1 {
		dir = ansi.TruncateLeft(dir, w-room+1, "…")
	}
	return head + dir
}

// exportedNames lists the files' names, an extension alone for a name
// like the one before it, the shared stamp (when not "") as "…".
func exportedNames(paths []string, stamp string) string {
	var names []string
	stem := ""
	for _, p := range paths {
		base := termsafe.Clean(filepath.Base(p))
		ext := filepath.Ext(base)
		if s := strings.TrimSuffix(base, ext); s == stem && ext != "" {
			names = append(names, ext)
			continue
		}
		stem = strings.TrimSuffix(base, ext)
		if stamp != "" {
			base = strings.TrimSuffix(stem, stamp) + "-…" + ext
		}
		names = append(names, base)
	}
	list := names[len(names)-1]
	if n := len(names); n > 1 {
		list = strings.Join(names[:n-1], ", ") + " and " + list
	}
	return list
}

// sharedStamp is the end every file's name shares from a "-" on (the
// export's time stamp), "" when they share none or are of one name.
func sharedStamp(paths []string) string {
	var stems []string
	for _, p := range paths {
		base := termsafe.Clean(filepath.Base(p))
		if stem := strings.TrimSuffix(base, filepath.Ext(base)); !slices.Contains(stems, stem) {
			stems = append(stems, stem)
		}
	}
	if len(stems) < 2 {
		return ""
	}
	shared := stems[0]
	for _, s := range stems[1:] {
		for !strings.HasSuffix(s, shared) {
			shared = shared[1:]
		}
	}
	if i := strings.Index(shared, "-"); i >= 0 && len(shared) > i+1 {
		return shared[i:]
	}
	return ""
}

// View implements Step.
func (s *Summary) View() string {
	st := s.c.Styles
	out := st.Title.Render("Summary") + st.Subtle.Render("  "+termsafe.Clean(s.c.Session.Target.UPN)) + "\n\n"
	switch s.phase {
	case summaryNote:
		return out + s.c.box("Note for an admin", s.c.Session.AdminNote()) + "\n" + st.Subtle.Render("esc closes the note; e exports it with the reports.")
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
	out += "\n" + st.Title.Render("Changes made") + "\n" + s.changesView(s.c.Session.Made(), "None")
	if failed := s.c.Session.Failed(); len(failed) > 0 {
		out += "\n" + st.Title.Render("Tried, failed") + "\n" + s.changesView(failed, "")
	}
	if unsure := s.c.Session.Unsure(); len(unsure) > 0 {
		out += "\n" + st.Title.Render("Sent, outcome unknown") + "\n" + s.changesView(unsure, "")
	}
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
		e, reached := s.c.Session.Outcome(sc.Screen)
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

// changesView lists changes from the session's record, with their notes.
func (s *Summary) changesView(changes []journal.Change, none string) string {
	st := s.c.Styles
	if len(changes) == 0 {
		return "  " + none + ".\n"
	}
	var out string
	for _, ch := range changes {
		line := "  " + termsafe.Clean(flow.ChangeLine(ch))
		if ch.Note != "" {
			line += st.Subtle.Render(" (" + termsafe.Clean(ch.Note) + ")")
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

func prefixed(prefix, s string) string {
	if s == "" {
		return ""
	}
	return prefix + s
}

// FocusLine implements Focus: the summary from its top, and what an
// export or an undo just said at the bottom, where it is written.
func (s *Summary) FocusLine() int {
	if s.phase == summaryShowing && s.message != "" {
		return -1
	}
	return 0
}
