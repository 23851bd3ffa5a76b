package steps

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/journal"
	"github.com/apppass/apppass/termsafe"
)

// Exporter writes one report file and returns where.
type Exporter func(name string, data []byte) (string, error)

// Summary shows what changed, what is left, undo and export.
type Summary struct {
	base
	export   Exporter
	left     []string
	report   diagnose.Report
	phase    string // summary, confirm-undo, undoing, note
	undo     []journal.Change
	message  string
	exported []string
}

// NewSummary builds the summary; left lists what remains to do by hand.
func NewSummary(c *Common, left []string, export Exporter) Step {
	s := &Summary{base: newBase(c, IDSummary), export: export, left: left, phase: "summary"}
	ev := c.Session.Evidence
	if c.Session.SMTPReply != "" {
		ev.SMTPTest = diagnose.OK(c.Session.SMTPReply)
	}
	s.report = diagnose.Diagnose(ev) // the verdict with the test's answer in it
	for _, ch := range slices.Backward(c.Session.Changes) {
		if ch.Kind == journal.PerUserMFA && ch.Outcome == journal.Done && ch.Before != ch.After {
			s.undo = append(s.undo, ch)
		}
	}
	return s
}

// Init implements Step.
func (s *Summary) Init() tea.Cmd { return nil }

// Busy implements Step.
func (s *Summary) Busy() bool { return s.phase == "undoing" }

// Update implements Step.
func (s *Summary) Update(msg tea.Msg) (Step, tea.Cmd) {
	if r, ok := s.mine(msg); ok {
		s.phase = "summary"
		if r.err != nil {
			text, _ := explain(r.err)
			s.message = "Undo failed: " + text
			return s, nil
		}
		undone := r.value.([]journal.Change)
		s.undo = nil
		s.message = undoMessage(undone)
		return s, s.finishUndo(undone)
	}
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return s, nil
	}
	switch s.phase {
	case "confirm-undo":
		if key.Matches(k, Keys.Yes) {
			return s, s.runUndo()
		}
		s.phase = "summary"
	case "note":
		s.phase = "summary"
	case "summary":
		switch {
		case key.Matches(k, Keys.Undo) && len(s.undo) > 0:
			s.phase = "confirm-undo"
		case key.Matches(k, Keys.Export):
			s.exportReports()
		case key.Matches(k, Keys.Note):
			s.phase = "note"
		case key.Matches(k, Keys.Enter):
			return s, s.finish(nil)
		}
	}
	return s, nil
}

// UndoneMsg tells the wizard which changes an undo reversed, for its session.
type UndoneMsg struct{ Changes []journal.Change }

func (s *Summary) finishUndo(undone []journal.Change) tea.Cmd {
	return func() tea.Msg { return UndoneMsg{Changes: undone} }
}

func (s *Summary) runUndo() tea.Cmd {
	s.phase = "undoing"
	g, j, t, now, todo := s.c.Graph, s.c.Journal, s.c.Session.Target, s.c.Now(), slices.Clone(s.undo)
	return s.run("undo", func(ctx context.Context) (any, error) {
		var done []journal.Change
		for _, ch := range todo {
			current, err := g.PerUserMFAState(ctx, t.User.ID)
			if err != nil {
				return done, err
			}
			back, err := graphclient.ParseMFAState(ch.Before)
			if err != nil {
				return done, err
			}
			if current == back {
				continue // already back where it was: no write
			}
			rev, _, err := writeMFAState(ctx, g, j, t, current, back, now)
			if err != nil {
				return done, err
			}
			done = append(done, rev)
		}
		return done, nil
	})
}

func (s *Summary) exportReports() {
	stamp := s.c.Now().UTC().Format("20060102-150405")
	md := s.report.Markdown() + changesMarkdown(s.c.Session.Changes, s.left)
	js, err := s.report.JSON()
	if err != nil {
		s.message = "Export failed: " + err.Error()
		return
	}
	s.exported = nil
	for name, data := range map[string][]byte{
		"apppass-report-" + stamp + ".md":      []byte(md),
		"apppass-report-" + stamp + ".json":    js,
		"apppass-admin-note-" + stamp + ".txt": []byte(s.report.AdminNote()),
	} {
		path, err := s.export(name, data)
		if err != nil {
			s.message = "Export failed: " + err.Error()
			return
		}
		s.exported = append(s.exported, path)
	}
	slices.Sort(s.exported)
	s.message = "Exported:\n  " + strings.Join(s.exported, "\n  ")
}

func changesMarkdown(changes []journal.Change, left []string) string {
	var b strings.Builder
	b.WriteString("\n## Changes made\n\n")
	if len(changes) == 0 {
		b.WriteString("None.\n")
	}
	for _, ch := range changes {
		fmt.Fprintf(&b, "- %s %s · %s: %s → %s (%s, journal %s", ch.Time.UTC().Format("2006-01-02 15:04"), ch.Account, ch.Kind.Label(), ch.Before, ch.After, ch.Outcome, ch.ID)
		if ch.RequestID != "" {
			fmt.Fprintf(&b, ", request-id %s", ch.RequestID)
		}
		b.WriteString(")\n")
	}
	b.WriteString("\n## Left to do by hand\n\n")
	if len(left) == 0 {
		b.WriteString("Nothing.\n")
	}
	for _, l := range left {
		b.WriteString("- " + l + "\n")
	}
	return b.String()
}

// View implements Step.
func (s *Summary) View() string {
	st := s.c.Styles
	out := st.Title.Render("Summary") + st.Subtle.Render("  "+termsafe.Clean(s.c.Session.Target.UPN)) + "\n\n"
	if s.phase == "note" {
		return out + st.Box.Render(s.report.AdminNote()) + "\n" + st.Subtle.Render("Any key to go back. e exports it to a file.")
	}
	out += s.c.wrap(st.Title.Render("Verdict ")+s.report.Cause) + "\n" + s.c.wrap(st.Subtle.Render("App password: ")+s.report.AnswerText()) + "\n"
	if s.c.Session.SMTPReply != "" {
		out += st.Subtle.Render("Test: ") + termsafe.Clean(s.c.Session.SMTPReply) + "\n"
	}
	out += "\n" + st.Title.Render("Changes made") + "\n"
	if len(s.c.Session.Changes) == 0 {
		out += "  None.\n"
	}
	for _, ch := range s.c.Session.Changes {
		what := ch.Kind.Label()
		line := fmt.Sprintf("  %s · %s: %s → %s", ch.Account, what, ch.Before, ch.After)
		if ch.Outcome != journal.Done {
			line += st.Warning.Render(" (" + string(ch.Outcome) + ")")
		}
		out += line + "\n"
	}
	if slices.ContainsFunc(s.c.Session.Changes, func(c journal.Change) bool { return c.Kind == journal.SignInSessions && c.Outcome == journal.Done }) {
		out += st.Subtle.Render("  A sign-out cannot be undone.") + "\n"
	}
	out += "\n" + st.Title.Render("Left to do by hand") + "\n"
	if len(s.left) == 0 {
		out += "  Nothing.\n"
	}
	for _, l := range s.left {
		out += "  • " + s.c.wrap(l) + "\n"
	}
	switch s.phase {
	case "confirm-undo":
		out += "\n" + st.Change.Render(undoText(s.undo)) + "\n\nUndo these MFA changes? [y/N]"
	case "undoing":
		out += "\nUndoing and reading back…"
	}
	if s.message != "" {
		out += "\n" + st.Info.Render(s.message)
	}
	return out
}

// undoMessage says what the read-back showed: Entra may keep a registered
// account at Enforced when asked for Enabled.
func undoMessage(undone []journal.Change) string {
	var lines []string
	for _, ch := range undone {
		if ch.After == ch.Before {
			lines = append(lines, fmt.Sprintf("%s: read back %s; no change", ch.Account, ch.After))
			continue
		}
		lines = append(lines, fmt.Sprintf("%s: read back per-user MFA %s", ch.Account, ch.After))
	}
	if len(lines) == 0 {
		return "Nothing to undo: the state was already back."
	}
	return "Undo done. " + strings.Join(lines, "; ") + "."
}

func undoText(changes []journal.Change) string {
	var lines []string
	for _, ch := range changes {
		lines = append(lines, fmt.Sprintf("%s · per-user MFA: %s → %s", ch.Account, ch.After, ch.Before))
	}
	return strings.Join(lines, "\n")
}

// Keys implements Step.
func (s *Summary) Keys() []key.Binding {
	if s.phase == "confirm-undo" {
		return []key.Binding{Keys.Yes, Keys.No}
	}
	keys := []key.Binding{Keys.Export, Keys.Note}
	if len(s.undo) > 0 {
		keys = append(keys, Keys.Undo)
	}
	return append(keys, key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "finish")))
}
