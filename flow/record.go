package flow

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/journal"
)

// Made is every change this run made and read back as asked.
func (s *Session) Made() []journal.Change {
	return s.changesWith(journal.Done)
}

// Failed is every change tried that Microsoft refused or that the
// read-back shows did not take: tried, failed, not a change made.
func (s *Session) Failed() []journal.Change {
	return s.changesWith(journal.Failed)
}

// Unsure is every change sent whose outcome nobody read: it may have landed.
func (s *Session) Unsure() []journal.Change {
	return s.changesWith(journal.Unknown)
}

func (s *Session) changesWith(o journal.Outcome) []journal.Change {
	var out []journal.Change
	for _, ch := range s.Changes() {
		if ch.Outcome == o {
			out = append(out, ch)
		}
	}
	return out
}

// Undo is the per-user MFA change the summary offers to undo: back to the
// state before the run's first MFA change, while the run's last landed
// MFA change left it elsewhere. nil when there is nothing to undo.
func (s *Session) Undo() *journal.Change {
	var first, last *journal.Change
	for _, ch := range s.Made() {
		if ch.Kind != journal.PerUserMFA {
			continue
		}
		if first == nil {
			first = &ch
		}
		last = &ch
	}
	if first == nil || last.After == first.Before {
		return nil
	}
	undo := *first
	undo.After = last.After
	return &undo
}

// ReportSoFar is the diagnosis report with what this run has done: the
// plan being walked, each plan step's outcome, and the tests' replies as
// evidence, so the verdict follows what the walk learned.
func (s *Session) ReportSoFar() diagnose.Report {
	r := diagnose.Diagnose(s.evidenceSoFar())
	if s.Rollout || len(s.Plan) > 0 {
		// The plan walked: a change this run made can take its step out of
		// a fresh diagnosis's plan, and the report still says it was done.
		r.Plan = s.Plan
	}
	for _, sc := range Screens() {
		if e, ok := s.Outcome(sc); ok && sc.Plan != "" {
			r.Results = append(r.Results, diagnose.StepResult{Step: sc.Plan, Outcome: e.Outcome, Detail: e.Detail, InPlace: e.InPlace})
		}
	}
	return r
}

// Outcome is how a stage ended, as the record shows it: a per-user MFA
// stage is done when the state last read back reaches its target, however
// it got there (Entra moves an account that registered a method straight
// to enforced, and the KB's remedy re-enables it).
func (s *Session) Outcome(sc Screen) (Ended, bool) {
	e, ok := s.Outcomes[sc.ID]
	if sc.Plan == diagnose.StepAllowAppPasswords && slices.Contains(s.Plan, sc.Plan) && !(ok && e.Outcome == diagnose.OutcomeDone) && s.appPasswordWorks() {
		// An app password exists and signs in: the setting is on, whoever turned it on.
		return Ended{Outcome: diagnose.OutcomeDone, Detail: "shown by the test: an app password of the account signed in", InPlace: true}, true
	}
	target := map[diagnose.StepID]int{diagnose.StepEnableMFA: 1, diagnose.StepEnforceMFA: 2}[sc.Plan]
	if target == 0 || ok && e.Outcome == diagnose.OutcomeDone || !slices.Contains(s.Plan, sc.Plan) {
		return e, ok
	}
	if now := s.mfaReadBack(); mfaRank[now] >= target {
		return Ended{Outcome: diagnose.OutcomeDone, Detail: "per-user MFA read back " + now}, true
	}
	return e, ok
}

// appPasswordWorks: the run's SMTP test signed in with an app password.
func (s *Session) appPasswordWorks() bool {
	r, ok := diagnose.ParseSMTPReply(s.SMTPReply)
	return ok && r.Meaning == diagnose.SMTPAccepted
}

var mfaRank = map[string]int{"disabled": 0, "enabled": 1, "enforced": 2}

// mfaReadBack is the per-user MFA state the run's last landed change read
// back, or "" when the run changed none.
func (s *Session) mfaReadBack() string {
	now := ""
	for _, ch := range s.Made() {
		if ch.Kind == journal.PerUserMFA {
			now = ch.After
		}
	}
	return now
}

func (s *Session) evidenceSoFar() diagnose.Evidence {
	ev := s.Evidence
	if s.SMTPReply != "" {
		ev.SMTPTest, ev.SMTPTestedAppPassword = diagnose.OK(s.SMTPReply), true
	}
	if s.OAuthResult != "" {
		ev.SMTPOAuthTest = diagnose.OK(s.OAuthResult)
	}
	ev.AppWatch = s.AppWatch
	s.switchesSoFar(&ev)
	return ev
}

// switchesSoFar: a verified change this run made to the mailbox's SMTP
// AUTH switch (read back through Get-CASMailbox) is what Exchange reads
// for it now, so the verdict follows it; the last such change counts, an
// undo included.
func (s *Session) switchesSoFar(ev *diagnose.Evidence) {
	if !ev.Exchange.Known() {
		return
	}
	for _, ch := range s.Made() {
		if ch.Kind != journal.MailboxSMTPAuth || !strings.EqualFold(ch.Account, s.Target.UPN) {
			continue
		}
		if disabled, ok := parseMailboxWords(ch.After); ok {
			ev.Exchange.Value.MailboxDisabled = disabled
		}
	}
}

// Replan decides the verdict again from what the walk has learned: when
// it now says to move the app to modern authentication, the way forward
// joins the plan, so the OAuth test is offered next.
func (s *Session) Replan() {
	if s.Report == nil {
		return
	}
	r := diagnose.Diagnose(s.evidenceSoFar())
	if slices.Contains(r.Plan, diagnose.StepModernAuth) && !slices.Contains(s.Plan, diagnose.StepModernAuth) {
		s.Plan = append(slices.Clone(s.Plan), diagnose.StepModernAuth)
	}
	s.RuledOut = r.AppPasswordCanHelp == diagnose.AnswerNo
}

// LeftByHand lists what remains: every plan step this run did not do,
// with why, the plan's steps no stage carries out, and, for a fix that
// works only until a date, the move to OAuth before it.
func (s *Session) LeftByHand() []string {
	var left []string
	all := Screens()
	r := s.ReportSoFar()
	plan := slices.Clone(s.Plan)
	for _, step := range r.Plan {
		if step == diagnose.StepModernAuth && !slices.Contains(plan, step) {
			plan = append(plan, step)
		}
	}
	for _, step := range plan {
		i := slices.IndexFunc(all, func(sc Screen) bool { return sc.Plan == step })
		if i < 0 {
			left = append(left, step.Title())
			continue
		}
		e, reached := s.Outcome(all[i])
		switch {
		case !reached:
			left = append(left, step.Title()+": not reached")
		case e.Outcome != diagnose.OutcomeDone:
			left = append(left, step.Title()+": "+string(e.Outcome)+prefixed(" — ", e.Detail))
		}
	}
	if w := s.AppWatch; w != nil && w.Result != diagnose.WatchThrough {
		left = append(left, "At the app: "+w.Advice())
	}
	if until := HelpsUntil(r); until != "" && !slices.Contains(plan, diagnose.StepModernAuth) {
		left = append(left, "Move the app to OAuth before "+until+": the app password works only until then")
	}
	return left
}

// HelpsUntil is the last day an app password works, in words ("31
// December 2026"), or "" when the answer has no end date.
func HelpsUntil(r diagnose.Report) string {
	if r.AppPasswordCanHelp != diagnose.AnswerUntil || r.HelpsUntil == "" {
		return ""
	}
	d, err := time.Parse("2006-01-02", r.HelpsUntil)
	if err != nil {
		return r.HelpsUntil
	}
	return d.Format("2 January 2006")
}

// ChangesMarkdown is the report's record of the run: the changes made,
// those tried that failed, those whose outcome is unknown, and what is
// left, each value escaped for Markdown.
func (s *Session) ChangesMarkdown() string {
	var b strings.Builder
	section := func(title string, changes []journal.Change) {
		fmt.Fprintf(&b, "\n## %s\n\n", title)
		if len(changes) == 0 {
			b.WriteString("None.\n")
		}
		for _, ch := range changes {
			b.WriteString("- " + changeMarkdown(ch) + "\n")
		}
	}
	section("Changes made", s.Made())
	if f := s.Failed(); len(f) > 0 {
		section("Tried, failed", f)
	}
	if u := s.Unsure(); len(u) > 0 {
		section("Sent, outcome unknown", u)
	}
	b.WriteString("\n## Left to do by hand\n\n")
	left := s.LeftByHand()
	if len(left) == 0 {
		b.WriteString("Nothing.\n")
	}
	for _, l := range left {
		b.WriteString("- " + diagnose.MarkdownText(l) + "\n")
	}
	return b.String()
}

func changeMarkdown(ch journal.Change) string {
	m := diagnose.MarkdownText
	line := fmt.Sprintf("%s %s · %s: %s → %s (%s, journal %s", ch.Time.UTC().Format("2006-01-02 15:04"), m(ch.Account), m(ch.Kind.Label()),
		m(ch.Before), m(ch.After), m(string(ch.Outcome)), m(ch.ID))
	if ch.RequestID != "" {
		line += ", request-id " + m(ch.RequestID)
	}
	if ch.Note != "" {
		line += "; " + m(ch.Note)
	}
	return line + ")"
}

// ChangeLine is one change as the summary lists it (outside text is the
// caller's to clean at its edge).
func ChangeLine(ch journal.Change) string {
	return fmt.Sprintf("%s · %s: %s → %s", ch.Account, ch.Kind.Label(), ch.Before, ch.After)
}

// Exports is the run's three report files, named by the session clock's now.
func (s *Session) Exports(now time.Time) (map[string][]byte, error) {
	r := s.ReportSoFar()
	js, err := s.JSON(r)
	if err != nil {
		return nil, err
	}
	stamp := now.UTC().Format("20060102-150405")
	return map[string][]byte{
		"apppass-report-" + stamp + ".md":      []byte(r.Markdown() + s.ChangesMarkdown()),
		"apppass-report-" + stamp + ".json":    js,
		"apppass-admin-note-" + stamp + ".txt": []byte(s.AdminNote()),
	}, nil
}

// Run is the run's record as the JSON report carries it, beside diagnose's
// contract: the same lists the summary shows.
type Run struct {
	ChangesMade []journal.Change `json:"changesMade"`
	TriedFailed []journal.Change `json:"triedFailed"`
	Unknown     []journal.Change `json:"outcomeUnknown"`
	LeftByHand  []string         `json:"leftByHand"`
}

// JSON is the report r as diagnose writes it, with the run's record added
// under "run".
func (s *Session) JSON(r diagnose.Report) ([]byte, error) {
	js, err := r.JSON()
	if err != nil {
		return nil, err
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(js, &doc); err != nil {
		return nil, err
	}
	run := Run{ChangesMade: nonNil(s.Made()), TriedFailed: nonNil(s.Failed()), Unknown: nonNil(s.Unsure()), LeftByHand: nonNil(s.LeftByHand())}
	if doc["run"], err = json.Marshal(run); err != nil {
		return nil, err
	}
	return json.MarshalIndent(doc, "", "  ")
}

// AdminNote is the note for an admin, from the report so far.
func (s *Session) AdminNote() string { return s.ReportSoFar().AdminNote() }

func prefixed(prefix, s string) string {
	if s == "" {
		return ""
	}
	return prefix + s
}

// nonNil writes an empty list as [], not null.
func nonNil[T any](list []T) []T {
	if list == nil {
		return []T{}
	}
	return list
}
