package diagnose

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// AnswerText says the verdict's answer in plain words.
func (r Report) AnswerText() string {
	switch r.AppPasswordCanHelp {
	case AnswerYes:
		return "Yes."
	case AnswerUntil:
		until, _ := time.Parse("2006-01-02", r.HelpsUntil)
		return fmt.Sprintf("Yes, until %s by default.", humanDate(until))
	case AnswerUnknown:
		return "Unknown: " + r.Why + "."
	}
	return "No: " + r.Why + "."
}

// JSON is the report for scripts and tickets (the contract in docs/diagnose-json.md).
func (r Report) JSON() ([]byte, error) {
	type out struct {
		Report
		Checklist []Line `json:"checklist"`
	}
	return json.MarshalIndent(out{Report: r, Checklist: r.Evidence.Checklist()}, "", "  ")
}

// Text is the report for a terminal, plain lines with no colour.
func (r Report) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "apppass diagnosis for %s (%s), as of %s\n\n", r.UPN, r.Service.Label(), dateString(r.GeneratedAt))
	b.WriteString("Checks\n")
	for _, l := range r.Evidence.Checklist() {
		fmt.Fprintf(&b, "  %s %-32s %s\n", textMark(l.Mark), l.Label, l.Summary)
	}
	fmt.Fprintf(&b, "\nCause: %s\nCan an app password fix this? %s\n", r.Cause, r.AnswerText())
	if w := r.Evidence.AppWatch; w != nil {
		b.WriteString("\nAt the app\n" + w.lines("  "))
	}
	if len(r.Settle) > 0 {
		b.WriteString("\nTo settle it\n")
		for _, s := range r.Settle {
			fmt.Fprintf(&b, "  - %s: %s\n", s.Check.Label(), s.How)
		}
	}
	if len(r.Findings) > 0 {
		b.WriteString("\nFindings\n")
		for _, f := range r.Findings {
			fmt.Fprintf(&b, "  [%s] %s\n      %s\n      Source: %s\n", f.Severity, f.Title, f.Detail, f.Source)
			if f.Fix != "" {
				fmt.Fprintf(&b, "      Fix: %s\n", f.Fix)
			}
			if f.Who != "" {
				fmt.Fprintf(&b, "      Who: %s\n", f.Who)
			}
		}
	}
	b.WriteString("\nPlan\n")
	if len(r.Plan) == 0 {
		b.WriteString("  Nothing to change in Microsoft 365.\n")
	}
	for i, s := range r.Plan {
		fmt.Fprintf(&b, "  %d. %s\n", i+1, s.Title())
	}
	if len(r.WayForward) > 0 {
		b.WriteString("\nThe way forward\n")
		for _, w := range r.WayForward {
			fmt.Fprintf(&b, "  - %s, when %s.\n      Permission: %s\n      Consent: %s\n", w.Name, w.FitsWhen, w.Permission, w.Consent)
			for _, c := range w.Changes {
				fmt.Fprintf(&b, "      Change: %s\n", c)
			}
			fmt.Fprintf(&b, "      Microsoft's page: %s\n", w.Doc)
		}
	}
	return b.String()
}

// textMark is a checklist mark that reads without colour.
func textMark(m Mark) string {
	switch m {
	case MarkFine:
		return "[ok]"
	case MarkProblem:
		return "[!!]"
	case MarkWarning:
		return "[! ]"
	case MarkUnchecked:
		return "[??]"
	}
	return "[--]"
}

// Markdown is the report for a ticket: times, request ids, evidence, plan.
// Every value is escaped as Markdown text (MarkdownText): a policy or
// display name cannot forge a heading, a link or emphasis.
func (r Report) Markdown() string {
	m := MarkdownText
	var b strings.Builder
	fmt.Fprintf(&b, "# apppass diagnosis: %s\n\n", m(r.UPN))
	fmt.Fprintf(&b, "- Service: %s\n- Generated: %s\n\n", m(r.Service.Label()), r.GeneratedAt.UTC().Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(&b, "## Verdict\n\n**Cause:** %s\n\n**Can an app password fix this?** %s\n\n", m(r.Cause), m(r.AnswerText()))
	if w := r.Evidence.AppWatch; w != nil {
		fmt.Fprintf(&b, "**At the app:** %s. %s\n\n", m(w.Headline()), m(w.Advice()))
	}
	if len(r.Settle) > 0 {
		b.WriteString("**To settle it:**\n\n")
		for _, s := range r.Settle {
			fmt.Fprintf(&b, "- %s: %s\n", m(s.Check.Label()), m(s.How))
		}
		b.WriteString("\n")
	}
	b.WriteString("## Checks\n\n| Check | Result | Detail |\n|---|---|---|\n")
	for _, l := range r.Evidence.Checklist() {
		fmt.Fprintf(&b, "| %s | %s | %s |\n", m(l.Label), m(string(l.Mark)), m(l.Summary))
	}
	if ids := r.requestIDs(); len(ids) > 0 {
		fmt.Fprintf(&b, "\nGraph request ids (for Microsoft support): %s\n", m(strings.Join(ids, ", ")))
	}
	b.WriteString("\n## Findings\n\n")
	for _, f := range r.Findings {
		fmt.Fprintf(&b, "- **%s** (%s, `%s`): %s [Source](%s)", m(f.Title), m(string(f.Severity)), codeSpan(f.ID), m(f.Detail), linkTarget(f.Source))
		if f.Fix != "" {
			fmt.Fprintf(&b, " Fix: %s", m(f.Fix))
		}
		if f.Who != "" {
			fmt.Fprintf(&b, " Who: %s.", m(f.Who))
		}
		b.WriteString("\n")
	}
	b.WriteString("\n## Plan\n\n")
	if len(r.Plan) == 0 {
		b.WriteString("Nothing to change in Microsoft 365.\n")
	}
	for i, s := range r.Plan {
		fmt.Fprintf(&b, "%d. %s (`%s`)\n", i+1, m(s.Title()), codeSpan(string(s)))
	}
	if len(r.WayForward) > 0 {
		b.WriteString("\n## The way forward\n\n")
		for _, w := range r.WayForward {
			fmt.Fprintf(&b, "- **%s**, when %s. Permission: %s. Consent: %s.", m(w.Name), m(w.FitsWhen), m(w.Permission), m(w.Consent))
			for _, c := range w.Changes {
				fmt.Fprintf(&b, " %s", m(c))
			}
			fmt.Fprintf(&b, " [Microsoft's page](%s)\n", linkTarget(w.Doc))
		}
	}
	if len(r.Results) > 0 {
		b.WriteString("\n## What this run did\n\n| Step | Outcome | Detail |\n|---|---|---|\n")
		for _, res := range r.Results {
			fmt.Fprintf(&b, "| %s | %s %s | %s |\n", m(res.Step.Title()), res.Outcome.Mark(), m(string(res.Outcome)), m(res.Detail))
		}
	}
	return b.String()
}

func (r Report) requestIDs() []string {
	var ids []string
	for _, id := range []string{r.Evidence.Account.RequestID, r.Evidence.RolesRead.RequestID, r.Evidence.PerUserMFA.RequestID, r.Evidence.Methods.RequestID,
		r.Evidence.SecurityDefaults.RequestID, r.Evidence.Policies.RequestID, r.Evidence.Membership.RequestID,
		r.Evidence.SignIns.RequestID, r.Evidence.SharePointLegacy.RequestID} {
		if id != "" {
			ids = append(ids, id)
		}
	}
	return ids
}

// AdminNote is a message an end user can send to their admin: what fails,
// why, and exactly what to do, with the roles each step needs.
func (r Report) AdminNote() string {
	var b strings.Builder
	if reply, ok := r.testedAppPassword(); ok && reply.Meaning == SMTPAccepted {
		fmt.Fprintf(&b, "Hello,\n\nAn app that signs in as %s (%s) failed with \"401 Unauthorized\". An app password of the account now signs in to SMTP AUTH (apppass's test: %s). apppass diagnosed it on %s:\n\n",
			r.UPN, r.Service.Label(), reply.String(), humanDate(r.GeneratedAt))
	} else {
		fmt.Fprintf(&b, "Hello,\n\nAn app that signs in as %s (%s) fails with \"401 Unauthorized\". apppass diagnosed it on %s:\n\n",
			r.UPN, r.Service.Label(), humanDate(r.GeneratedAt))
	}
	fmt.Fprintf(&b, "%s\nCan an app password fix this? %s\n", r.Cause, r.AnswerText())
	if w := r.Evidence.AppWatch; w != nil {
		b.WriteString("\nAt the app, after the change: " + w.Headline() + ".\n" + w.Advice() + "\n")
	}
	if len(r.Settle) > 0 {
		b.WriteString("\nWhat apppass could not check, and how to check it:\n")
		for _, s := range r.Settle {
			fmt.Fprintf(&b, "- %s: %s\n", s.Check.Label(), s.How)
		}
	}
	var ask, done, inPlace []string
	for _, s := range r.Plan {
		if s.RolesNeeded() == nil {
			continue
		}
		res, reached := r.resultOf(s)
		switch {
		case reached && res.InPlace:
			inPlace = append(inPlace, s.Title()+prefixedDetail(res.Detail))
		case reached && res.Outcome == OutcomeDone && res.Detail != "":
			done = append(done, s.Title()+" ("+res.Detail+")")
		case reached && res.Outcome == OutcomeDone:
			done = append(done, s.Title())
		case reached && res.Detail != "":
			ask = append(ask, fmt.Sprintf("%s (needs %s; here: %s, %s)", s.Title(), RoleList(s.RolesNeeded()), res.Outcome, res.Detail))
		default:
			ask = append(ask, fmt.Sprintf("%s (needs %s)", s.Title(), RoleList(s.RolesNeeded())))
		}
	}
	if len(done) > 0 {
		b.WriteString("\nAlready done in this run:\n")
		for _, d := range done {
			fmt.Fprintf(&b, "- %s\n", d)
		}
	}
	if len(inPlace) > 0 {
		b.WriteString("\nAlready in place, nothing to do:\n")
		for _, d := range inPlace {
			fmt.Fprintf(&b, "- %s\n", d)
		}
	}
	if len(ask) > 0 {
		b.WriteString("\nCould you please:\n")
		for _, a := range ask {
			fmt.Fprintf(&b, "- %s\n", a)
		}
	}
	for _, f := range r.Findings {
		if f.Severity == SeverityBlocker && f.Fix != "" {
			fmt.Fprintf(&b, "\n%s: %s %s\n", f.Title, f.Detail, f.Fix)
		}
	}
	r.adminNoteWayForward(&b)
	if r.AppPasswordCanHelp == AnswerUntil && r.HelpsUntil != "" && !slices.Contains(r.Plan, StepModernAuth) {
		if until, err := time.Parse(time.DateOnly, r.HelpsUntil); err == nil {
			fmt.Fprintf(&b, "\nStill to do: move the app to OAuth (modern authentication) before %s; the app password works only until then.\n", humanDate(until))
		}
	}
	b.WriteString("\nThank you.\n")
	return b.String()
}

// prefixedDetail is " (detail)", or "" without one.
func prefixedDetail(detail string) string {
	if detail == "" {
		return ""
	}
	return " (" + detail + ")"
}

// testedAppPassword is the SMTP test's reply when its secret was an app password.
func (r Report) testedAppPassword() (SMTPReply, bool) {
	if !r.Evidence.SMTPTestedAppPassword || !r.Evidence.SMTPTest.Known() {
		return SMTPReply{}, false
	}
	return ParseSMTPReply(r.Evidence.SMTPTest.Value)
}
