package wizard

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/evidence"
	"github.com/apppass/apppass/flow"
	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/journal"
	"github.com/apppass/apppass/steps"
	"github.com/apppass/apppass/termsafe"
)

// Prompter asks plain questions, one line at a time. Ctrl+c ends any
// question with the context's error, with the terminal's echo restored.
type Prompter interface {
	Line(question string) (string, error)
	Secret(question string) (string, error)
}

// plain is the wizard without a full screen, for screen readers, TERM=dumb
// and scripts: the same screens in the same order, each a few printed lines
// and a question. Every change is shown and confirmed (default No), made,
// read back and journaled by the same code the full-screen wizard uses.
type plain struct {
	ctx context.Context
	ask Prompter
	out io.Writer
	env *Env
	c   *steps.Common
	s   *steps.Session
}

// RunPlain walks the wizard as plain prompts against the launched env. It
// returns context.Canceled when the person quits with ctrl+c.
func RunPlain(ctx context.Context, l Launcher, scenario string, ask Prompter, out io.Writer) error {
	env, err := l.Launch(scenario)
	if err != nil {
		return err
	}
	if env.Close != nil {
		defer env.Close()
	}
	p := &plain{ctx: ctx, ask: ask, out: out, env: env, s: flow.NewSession(env.Journal)}
	p.c = &steps.Common{Ctx: ctx, Now: env.Now, Cloud: env.Cloud, SMTP: env.SMTP, OAuth: env.OAuth, Journal: p.s.Log, StandIns: env.StandIns,
		Open: env.Open, Export: env.Export, Session: p.s, Wait: env.Wait}
	if env.Banner.Demo {
		p.say("DEMO · %s · as of %s · no real tenant is touched", env.Banner.Scenario, env.Banner.AsOf)
	} else {
		p.say("LIVE · %s · changes are real and need your confirmation", env.Cloud.Description)
	}
	if note := journalNotice(env.Journal); note != "" {
		p.say("%s", note)
	}
	for _, stage := range []func() error{p.signIn, p.connection, p.diagnosis, p.plan} {
		if err := stage(); err != nil {
			return err
		}
	}
	if err := p.summary(); err != nil {
		return err
	}
	return p.s.Ending()
}

func (p *plain) say(format string, args ...any) {
	fmt.Fprintln(p.out, termsafe.Text(fmt.Sprintf(format, args...)))
}

// line asks a question; the end of piped answers takes every default.
func (p *plain) line(question string) (string, error) {
	answer, err := p.ask.Line(question)
	if errors.Is(err, io.EOF) {
		return "", nil
	}
	return answer, err
}

// secret asks for a secret; the end of piped answers skips it.
func (p *plain) secret(question string) (string, error) {
	answer, err := p.ask.Secret(question)
	if errors.Is(err, io.EOF) {
		return "", nil
	}
	return answer, err
}

// yes asks a yes/no question whose default is No.
func (p *plain) yes(question string) (bool, error) {
	answer, err := p.line(question + " [y/N] ")
	return strings.EqualFold(answer, "y") || strings.EqualFold(answer, "yes"), err
}

func (p *plain) connection() error {
	upn := p.env.SuggestedUPN
	if p.s.Mode == steps.ModeEndUser {
		upn = p.s.Me.UserPrincipalName
	} else {
		answer, err := p.line(fmt.Sprintf("Account the app signs in as (empty: %s): ", orText(upn, "none")))
		if err != nil {
			return err
		}
		if answer != "" {
			upn = answer
		}
		if err := graphclient.ValidateUPN(upn); err != nil {
			return err
		}
	}
	def := p.env.SuggestedService
	if def == "" {
		def = diagnose.ServiceSMTP
	}
	answer, err := p.line(fmt.Sprintf("What the app uses: smtp, sharepoint, exchange or other (empty: %s): ", def))
	if err != nil {
		return err
	}
	service := def
	if answer != "" {
		if service, err = diagnose.ParseService(answer); err != nil {
			return err
		}
	}
	pasted, err := p.line("The app's error message (optional): ")
	if err != nil {
		return err
	}
	user := p.s.Me
	if p.s.Mode == steps.ModeAdmin {
		if user, err = p.c.Graph.User(p.ctx, upn); err != nil {
			return fmt.Errorf("looking up %s: %w", upn, err)
		}
	}
	steps.Record(steps.Target{UPN: upn, Service: service, Pasted: pasted, User: user}, p.s)
	return nil
}

func (p *plain) diagnosis() error {
	t := p.s.Target
	p.say("Diagnosing %s (%s)…", t.UPN, t.Service.Label())
	ev := evidence.Gather(p.ctx, p.c.Graph, evidence.Request{UPN: t.UPN, Caller: p.s.Me.UserPrincipalName, Service: t.Service, Pasted: t.Pasted, Now: p.c.Now()}, nil)
	if err := p.ctx.Err(); err != nil {
		return err
	}
	report := diagnose.Diagnose(ev)
	fmt.Fprint(p.out, termsafe.Text(report.Text()))
	rollout := false
	if len(report.Rollout) > 0 && p.s.Mode == steps.ModeAdmin {
		p.say("\nThe account has no MFA at all. Putting per-user MFA on it (the classic procedure) is your choice as an admin, not the fix of the failure above. Before the first change:")
		for _, g := range diagnose.RolloutGuidance {
			p.say("  - %s", g)
		}
		var err error
		if rollout, err = p.yes("Walk the classic procedure now (allow, enable, enforce, sign-out, create, test)?"); err != nil {
			return err
		}
	}
	steps.Record(steps.Diagnosed{Evidence: ev, Report: report, Rollout: rollout}, p.s)
	return nil
}

// plan walks each screen of the plan in the flow's order.
func (p *plain) plan() error {
	walk := map[steps.ID]func() (diagnose.Outcome, string, error){
		steps.IDEnableSMTPAuth: p.smtpAuth, steps.IDAllow: p.allow, steps.IDEnable: p.mfa(graphclient.MFAEnabled, diagnose.StepEnableMFA),
		steps.IDEnforce: p.mfa(graphclient.MFAEnforced, diagnose.StepEnforceMFA), steps.IDSignOut: p.signOut,
		steps.IDCreate: p.create, steps.IDReEnable: p.reEnable, steps.IDTest: p.test, steps.IDTestOAuth: p.oauthTest,
		steps.IDWaitApp: p.waitApp,
	}
	for i := 0; i < len(steps.Screens()); i++ {
		sc := steps.Screens()[i]
		step, ok := walk[sc.ID]
		if !ok || !sc.Needed(p.s) {
			continue
		}
		p.say("\n== %s ==", sc.Title)
		outcome, detail, err := step()
		if err != nil {
			return err
		}
		p.s.Outcomes[sc.ID] = steps.Ended{Outcome: outcome, Detail: detail}
		p.say("%s %s: %s%s", outcome.Mark(), sc.Title, outcome, prefixed(" — ", detail))
		if sc.ID == steps.IDReEnable {
			i = slices.IndexFunc(steps.Screens(), func(s steps.Screen) bool { return s.ID == steps.IDCreate }) - 1
		}
	}
	return nil
}

func (p *plain) allow() (diagnose.Outcome, string, error) {
	p.say("No API reads or sets \"Allow users to create app passwords\". Entra admin center > Conditional Access > Named locations > Configure MFA trusted IPs: tick it and save.")
	if u := p.c.Cloud.MFASettingsURL; u != "" {
		p.say("  %s", u)
	}
	on, err := p.yes("Is the setting on now?")
	if !on || err != nil {
		return diagnose.OutcomeDeclined, "left for later", err
	}
	if allow := p.env.StandIns.AllowAppPasswords; allow != nil {
		allow()
	}
	e := p.s.AllowConfirmed()
	return e.Outcome, e.Detail, nil
}

// confirm shows one or more writes, asks (default No), and makes them in
// order, stopping at the first that does not land.
func (p *plain) confirm(question string, warnings []string, writes ...steps.Write) (diagnose.Outcome, string, error) {
	for _, w := range writes {
		p.say("Change: %s · %s: %s → %s", w.Change.Account, w.Change.Kind.Label(), w.Change.Before, w.Change.After)
	}
	for _, warn := range warnings {
		p.say("Warning: %s", warn)
	}
	ok, err := p.yes(question)
	if err != nil || !ok {
		for _, w := range writes {
			p.c.Journal.Decline(w.Change)
		}
		return diagnose.OutcomeDeclined, "you said no; nothing was changed", err
	}
	for _, w := range writes {
		ch, werr := steps.Apply(p.ctx, p.c.Journal, w, p.c.Now())
		switch ch.Outcome {
		case journal.Done:
			p.say("Verified: %s · %s: %s", ch.Account, ch.Kind.Label(), ch.After)
			continue
		case journal.Unknown:
			p.say("Unknown: %s; apppass re-reads it at its next start.", orText(ch.Note, "no answer came"))
			return diagnose.OutcomeUnknown, orText(ch.Note, "no answer from Microsoft"), p.ctx.Err()
		}
		detail := orText(ch.Note, orText(ch.Error, "refused"))
		if werr != nil {
			detail = steps.Explain(werr)
		}
		p.say("Not changed: %s · %s reads %s. %s", ch.Account, ch.Kind.Label(), ch.After, detail)
		return diagnose.OutcomeFailed, detail, nil
	}
	return diagnose.OutcomeDone, "", nil
}

// roleMissing names the role the signed-in person lacks for a step.
func (p *plain) roleMissing(step diagnose.StepID) string {
	roles := step.RolesNeeded()
	if roles == nil || diagnose.HasAnyRole(p.s.Roles, roles) {
		return ""
	}
	return diagnose.RoleList(roles)
}

func (p *plain) mfa(to graphclient.MFAState, step diagnose.StepID) func() (diagnose.Outcome, string, error) {
	return func() (diagnose.Outcome, string, error) {
		if role := p.roleMissing(step); role != "" {
			p.say("You do not hold the %s role this step needs; the note for an admin at the end asks for it.", role)
			return diagnose.OutcomeSkipped, "needs " + role, nil
		}
		state, registered, err := steps.ReadPerUserMFA(p.ctx, p.c.Graph, p.s.Target.User.ID)
		if err != nil {
			return diagnose.OutcomeFailed, "the live state could not be read: " + steps.Explain(err), p.ctx.Err()
		}
		d := flow.DecideMFA(state, registered, to)
		if d.Settled {
			return d.Outcome, d.Detail, nil
		}
		return p.confirm("Make this change?", d.Warnings, p.c.PerUserMFAWrite(state, to, true))
	}
}

// smtpAuth is the SMTP AUTH stage: read the mailbox's switch, and if it is
// off, offer the mailbox's own switch (flow decides, as on the screen).
func (p *plain) smtpAuth() (diagnose.Outcome, string, error) {
	if role := p.roleMissing(diagnose.StepEnableSMTPAuth); role != "" {
		p.say("You do not hold the %s role this step needs; the note for an admin at the end asks for it.", role)
		return diagnose.OutcomeSkipped, "needs " + role, nil
	}
	x, _ := p.c.Graph.(flow.MailboxSwitch)
	r, err := flow.ReadSMTPSwitch(p.ctx, x, p.s.Target.UPN)
	if err != nil {
		p.say("By hand: %s", diagnose.EnableSMTPAuthHow)
		return diagnose.OutcomeFailed, "the switch could not be read: " + steps.Explain(err), p.ctx.Err()
	}
	p.say("Exchange Online's admin endpoint (undocumented as a public API) reads: %s.", r.Reading())
	d := flow.DecideSMTPAuth(r)
	if d.Settled {
		return diagnose.OutcomeDone, d.Detail, nil
	}
	on := false
	p.say("The change, as PowerShell would make it: %s", flow.SMTPAuthCommand(p.s.Target.UPN, &on))
	return p.confirm("Turn SMTP AUTH on for this mailbox?", d.Warnings, flow.MailboxSMTPAuthWrite(x, p.s.Target, r.Mailbox, &on))
}

func (p *plain) signOut() (diagnose.Outcome, string, error) {
	if role := p.roleMissing(diagnose.StepSignOut); role != "" {
		p.say("You do not hold the %s role this step needs; the note for an admin at the end asks for it.", role)
		return diagnose.OutcomeSkipped, "needs " + role, nil
	}
	u, err := p.c.Graph.User(p.ctx, p.s.Target.User.ID)
	if err != nil {
		return diagnose.OutcomeFailed, "the sessions could not be read: " + steps.Explain(err), p.ctx.Err()
	}
	p.say("Every session and refresh token of the account is revoked; the owner and every app sign in again. It cannot be undone.")
	return p.confirm("Sign the account out everywhere?", nil, p.c.Revocation(u.SignInSessionsValidFrom))
}

func (p *plain) create() (diagnose.Outcome, string, error) {
	p.say("Signed in as %s, the owner: open %s, + Add sign-in method > App password, a name of at least 8 characters, Next, and copy the password (it is shown once) into the app.", p.s.Target.UPN, orText(p.c.Cloud.SecurityInfoURL, "Security info"))
	p.say("If MFA changed just now, sign out and in again first: changes take time to propagate. No API can see app passwords.")
	if create := p.env.StandIns.CreateAppPassword; create != nil {
		if ok, err := p.yes("Demo: play the owner and create one now?"); err != nil || ok {
			if err != nil {
				return diagnose.OutcomeSkipped, "", err
			}
			pw, cerr := create(p.s.Target.UPN)
			if cerr == nil {
				p.say("Simulated Security info page: your app password is %s (it will not be shown again).", pw)
				steps.Record(steps.Created{DemoPassword: pw, At: p.c.Now()}, p.s)
				return diagnose.OutcomeDone, "created by the simulated owner", nil
			}
			p.say("Security info does not offer it: %s", cerr)
		}
	}
	offered, err := p.yes("Does Security info offer App password?")
	if err != nil {
		return diagnose.OutcomeSkipped, "", err
	}
	state, _, rerr := steps.ReadPerUserMFA(p.ctx, p.c.Graph, p.s.Target.User.ID)
	if !offered && rerr == nil && state == graphclient.MFAEnabled {
		remedy, err := p.yes("Per-user MFA reads Enabled. Microsoft's remedy is to disable and re-enable it. Do that now?")
		if err != nil || remedy {
			steps.Record(steps.Created{OptionMissing: true}, p.s)
			return diagnose.OutcomeUnknown, "the owner sees no App password option", err
		}
	}
	done, err := p.yes("Is the app password in the app?")
	if done {
		return diagnose.OutcomeDone, "confirmed by the owner; no API can see app passwords", err
	}
	return diagnose.OutcomeSkipped, "not confirmed; the test shows whether it exists", err
}

func (p *plain) reEnable() (diagnose.Outcome, string, error) {
	if role := p.roleMissing(diagnose.StepEnableMFA); role != "" {
		steps.Record(steps.ReEnabled{}, p.s)
		return diagnose.OutcomeSkipped, "needs " + role, nil
	}
	outcome, detail, err := p.confirm("Disable, then re-enable per-user MFA?",
		[]string{"For a moment the account has no per-user MFA; apppass says so if the second change fails."},
		p.c.PerUserMFAWrite(graphclient.MFAEnabled, graphclient.MFADisabled, false),
		p.c.PerUserMFAWrite(graphclient.MFADisabled, graphclient.MFAEnabled, true))
	steps.Record(steps.ReEnabled{}, p.s)
	p.say("Now the owner signs out of every Microsoft 365 page, signs in again, waits a few minutes and looks for App password again.")
	return outcome, detail, err
}

func (p *plain) test() (diagnose.Outcome, string, error) {
	t := p.s.Target
	if t.Service != diagnose.ServiceSMTP {
		p.say("apppass can only test against SMTP AUTH; this app uses %s.", t.Service.Label())
		return diagnose.OutcomeSkipped, "no test can pass for " + t.Service.Label(), nil
	}
	secret := p.s.DemoAppPassword
	if secret != "" {
		if ok, err := p.yes("Demo: test the app password the simulated owner just created?"); err != nil || !ok {
			secret = ""
			if err != nil {
				return diagnose.OutcomeSkipped, "", err
			}
		}
	}
	if secret == "" {
		var err error
		if secret, err = p.secret("App password to test over SMTP AUTH (not shown, not kept; empty: skip): "); err != nil {
			return diagnose.OutcomeSkipped, "", err
		}
	}
	if secret == "" {
		return diagnose.OutcomeSkipped, "not tested", nil
	}
	ctx, cancel := context.WithTimeout(p.ctx, 30*time.Second)
	defer cancel()
	line, err := p.c.SMTP(ctx, t.UPN, secret)
	if err != nil {
		p.say("No verdict: %s", err)
		return diagnose.OutcomeUnknown, "the SMTP server did not answer", p.ctx.Err()
	}
	reply, _ := diagnose.ParseSMTPReply(line)
	steps.Record(steps.Tested{Reply: reply.String(), At: p.c.Now()}, p.s)
	p.say("%s\n%s", reply.String(), reply.Explain())
	switch reply.Meaning {
	case diagnose.SMTPAccepted:
		return diagnose.OutcomeDone, reply.String(), nil
	case diagnose.SMTPUnknown:
		return diagnose.OutcomeUnknown, reply.String(), nil
	}
	return diagnose.OutcomeFailed, reply.String(), nil
}

// summary prints what the full-screen summary shows, from the same
// record (flow), then offers the same undo, export and note.
func (p *plain) summary() error {
	p.say("\n== Summary ==")
	if p.s.Report != nil {
		r := p.s.ReportSoFar()
		p.say("Verdict: %s", r.Cause)
		p.say("App password: %s", r.AnswerText())
	}
	if p.s.SMTPReply != "" {
		p.say("Test: %s", p.s.SMTPReply)
	}
	left := p.record()
	if p.s.Report == nil {
		return nil
	}
	if len(left) > 0 {
		p.say("\nNote for an admin:\n%s", p.s.AdminNote())
	}
	return p.endKeys()
}

func orText(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}

func prefixed(prefix, s string) string {
	if s == "" {
		return ""
	}
	return prefix + s
}

// record prints the run's changes and what is left, from the session's
// Log, as the full-screen summary lists them; it returns what is left.
func (p *plain) record() []string {
	changes := func(title string, list []journal.Change, none bool) {
		if len(list) == 0 && none {
			p.say("%s: none.", title)
		}
		for _, ch := range list {
			p.say("%s: %s%s", title, flow.ChangeLine(ch), prefixed(" — ", ch.Note))
		}
	}
	changes("Changes made", p.s.Made(), true)
	changes("Tried, failed", p.s.Failed(), false)
	changes("Sent, outcome unknown", p.s.Unsure(), false)
	left := p.s.LeftByHand()
	if len(left) == 0 {
		p.say("Left to do by hand: nothing.")
	}
	for _, l := range left {
		p.say("Left to do by hand: %s", l)
	}
	return left
}

// endKeys offers what the summary's keys offer: undo (u) and export (e).
func (p *plain) endKeys() error {
	if undo := p.s.Undo(); undo != nil {
		if err := p.undo(undo); err != nil {
			return err
		}
	}
	ok, err := p.yes("Export the report (Markdown and JSON) and the note for an admin?")
	if err != nil || !ok {
		return err
	}
	files, err := p.s.Exports(p.c.Now())
	if err != nil {
		p.say("Export failed: %s", err)
		return nil
	}
	for _, name := range slices.Sorted(maps.Keys(files)) {
		path, err := p.env.Export(name, files[name])
		if err != nil {
			p.say("Export failed: %s", err)
			return nil
		}
		p.say("Exported: %s", path)
	}
	return nil
}

// undo is the summary's undo: the live state first, the warning where
// Entra will not go back, then the one confirm → write → read back.
func (p *plain) undo(ch *journal.Change) error {
	back, err := graphclient.ParseMFAState(ch.Before)
	if err != nil {
		return nil
	}
	ok, err := p.yes(fmt.Sprintf("Undo the per-user MFA change (%s → %s)?", ch.Before, ch.After))
	if err != nil || !ok {
		return err
	}
	now, registered, rerr := steps.ReadPerUserMFA(p.ctx, p.c.Graph, ch.AccountID)
	if rerr != nil {
		p.say("Undo not started: the live state could not be read (%s).", steps.Explain(rerr))
		return p.ctx.Err()
	}
	if now == back {
		p.say("Nothing to undo: per-user MFA already reads %s.", now)
		return nil
	}
	var warnings []string
	if back == graphclient.MFAEnabled && now == graphclient.MFAEnforced && registered {
		warnings = append(warnings, steps.UndoKeepsEnforced)
	}
	before := len(p.s.Changes())
	outcome, detail, err := p.confirm("Undo this MFA change?", warnings, p.c.PerUserMFAWrite(now, back, false))
	p.say("Undo: %s%s", outcome, prefixed(" — ", detail))
	if len(p.s.Changes()) > before {
		p.say("\n== Summary, after the undo ==") // the record changed: say it again
		p.record()
	}
	return err
}
