package wizard

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/evidence"
	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/journal"
	"github.com/apppass/apppass/steps"
	"github.com/apppass/apppass/styles"
)

// Minimum terminal size; below it the wizard says so instead of garbling.
const (
	MinWidth  = 80
	MinHeight = 24
)

// flow is every screen after the picker, in order.
var flow = []steps.ID{steps.IDWelcome, steps.IDSignIn, steps.IDConnection, steps.IDDiagnosis, steps.IDAllow,
	steps.IDEnable, steps.IDEnforce, steps.IDSignOut, steps.IDCreate, steps.IDTest, steps.IDSummary}

// planScreens maps the diagnosis plan's steps to screens.
var planScreens = map[diagnose.StepID]steps.ID{
	diagnose.StepAllowAppPasswords: steps.IDAllow, diagnose.StepEnableMFA: steps.IDEnable,
	diagnose.StepEnforceMFA: steps.IDEnforce, diagnose.StepSignOut: steps.IDSignOut,
	diagnose.StepCreateAppPassword: steps.IDCreate, diagnose.StepTestAppPassword: steps.IDTest,
}

// Options tune the wizard.
type Options struct {
	// Scenario starts the demo directly; empty in demo mode shows the picker.
	Scenario string
	NoColor  bool
}

// Model is the root model. It alone returns a tea.View and writes the session.
type Model struct {
	launcher  Launcher
	opts      Options
	env       *Env
	styles    styles.Styles
	isDark    bool
	common    *steps.Common
	session   *steps.Session
	status    map[steps.ID]status
	current   steps.Step
	outcomes  map[steps.ID]string
	width     int
	height    int
	help      help.Model
	showHelp  bool
	notice    string
	fatal     error
	cancelled bool
}

type status int

const (
	pending status = iota
	done
	skipped
)

// New builds the wizard.
func New(l Launcher, opts Options) *Model {
	m := &Model{launcher: l, opts: opts, isDark: true, help: help.New(), width: MinWidth, height: MinHeight}
	m.styles = styles.New(m.isDark, opts.NoColor)
	m.common = &steps.Common{Styles: &m.styles}
	return m
}

// Cancelled reports whether the person quit with ctrl+c.
func (m *Model) Cancelled() bool { return m.cancelled }

// Err is a failure that stopped the wizard before it could start.
func (m *Model) Err() error { return m.fatal }

type launchedMsg struct {
	env *Env
	err error
}

func (m *Model) launch(scenario string) tea.Cmd {
	l := m.launcher
	return func() tea.Msg {
		env, err := l.Launch(scenario)
		return launchedMsg{env: env, err: err}
	}
}

// Init implements tea.Model.
func (m *Model) Init() tea.Cmd {
	if len(m.launcher.Scenarios()) > 0 && m.opts.Scenario == "" {
		m.current = steps.NewPicker(m.common, m.launcher.Scenarios())
		return tea.Batch(tea.RequestBackgroundColor, m.current.Init())
	}
	return tea.Batch(tea.RequestBackgroundColor, m.launch(m.opts.Scenario))
}

// start resets everything for a freshly launched env.
func (m *Model) start(env *Env) tea.Cmd {
	if m.current != nil {
		m.current.Leave()
	}
	if m.env != nil && m.env.Close != nil {
		m.env.Close()
	}
	m.env = env
	m.session = &steps.Session{Guard: &evidence.PasswordGuard{}}
	m.common = &steps.Common{Styles: &m.styles, Now: env.Now, Cloud: env.Cloud, SMTP: env.SMTP,
		Journal: env.Journal, Demo: env.Demo, Open: env.Open, Session: m.session}
	m.resize()
	m.status = map[steps.ID]status{}
	m.outcomes = map[steps.ID]string{}
	m.notice = ""
	if unfinished, err := env.Journal.Unfinished(); err == nil && len(unfinished) > 0 {
		m.notice = fmt.Sprintf("A previous run stopped during %d change(s) (see %s); apppass re-reads the real state after you sign in.", len(unfinished), env.Journal.Path())
	}
	return m.enter(steps.IDWelcome)
}

// enter makes a screen current.
func (m *Model) enter(id steps.ID) tea.Cmd {
	if m.current != nil {
		m.current.Leave()
	}
	m.current = m.build(id)
	return m.current.Init()
}

func (m *Model) build(id steps.ID) steps.Step {
	c := m.common
	switch id {
	case steps.IDWelcome:
		return steps.NewWelcome(c)
	case steps.IDSignIn:
		return steps.NewSignIn(c, m.env.ConsentURL)
	case steps.IDConnection:
		return steps.NewConnection(c, m.env.SuggestedUPN, m.env.SuggestedService)
	case steps.IDDiagnosis:
		return steps.NewDiagnosis(c)
	case steps.IDAllow:
		return steps.NewAllowAppPasswords(c)
	case steps.IDEnable:
		return steps.NewEnableMFA(c)
	case steps.IDEnforce:
		return steps.NewEnforceMFA(c)
	case steps.IDSignOut:
		return steps.NewSignOut(c)
	case steps.IDCreate:
		return steps.NewCreateAppPassword(c)
	case steps.IDTest:
		return steps.NewTestAppPassword(c)
	}
	return steps.NewSummary(c, m.leftByHand(), m.env.Export)
}

// Update implements tea.Model.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.resize()
		return m, nil
	case tea.BackgroundColorMsg:
		m.isDark = msg.IsDark()
		m.styles = styles.New(m.isDark, m.opts.NoColor) // steps hold a pointer to it
		return m, nil
	case launchedMsg:
		if msg.err != nil {
			m.fatal = msg.err
			return m, tea.Quit
		}
		return m, m.start(msg.env)
	case tea.KeyPressMsg:
		if cmd, handled := m.globalKey(msg); handled {
			return m, cmd
		}
	case steps.DoneMsg:
		return m, m.done(msg)
	case reconciledMsg:
		m.notice = msg.text
		return m, nil
	case steps.UndoneMsg:
		m.session.Changes = append(m.session.Changes, msg.Changes...)
		return m, nil
	}
	if m.current == nil {
		return m, nil
	}
	var cmd tea.Cmd
	m.current, cmd = m.current.Update(msg)
	return m, cmd
}

// Typing screens take every printable key, "?" included.
type typing interface{ Typing() bool }

func (m *Model) globalKey(k tea.KeyPressMsg) (tea.Cmd, bool) {
	switch {
	case key.Matches(k, globalKeys.Quit):
		m.cancelled = true
		if m.current != nil {
			m.current.Leave()
		}
		return tea.Quit, true
	case key.Matches(k, globalKeys.Help):
		if t, ok := m.current.(typing); ok && t.Typing() {
			return nil, false
		}
		m.showHelp = !m.showHelp
		return nil, true
	case key.Matches(k, globalKeys.Back):
		return m.back(), true
	case key.Matches(k, globalKeys.Restart) && m.env != nil && m.env.Banner.Demo:
		return m.launch(m.env.Banner.Scenario), true
	}
	return nil, false
}

// back goes to the previous screen that is not skipped, when safe.
func (m *Model) back() tea.Cmd {
	if m.current == nil || m.current.Busy() || m.env == nil {
		return nil
	}
	i := slices.Index(flow, m.current.ID())
	for j := i - 1; j >= 0; j-- {
		if m.status[flow[j]] != skipped {
			m.status[flow[j]] = pending
			return m.enter(flow[j])
		}
	}
	return nil
}

// done records a finished screen's result in the session and moves on.
func (m *Model) done(msg steps.DoneMsg) tea.Cmd {
	if m.current == nil || msg.From != m.current.ID() {
		return nil
	}
	if msg.From == steps.IDPicker {
		m.opts.Scenario = msg.Result.(string)
		return m.launch(m.opts.Scenario)
	}
	m.status[msg.From] = done
	switch r := msg.Result.(type) {
	case steps.Mode:
		if err := m.connect(r); err != nil {
			m.fatal = err
			return tea.Quit
		}
	case steps.SignedIn:
		m.signedIn(r)
		return tea.Batch(m.next(), m.reconcile())
	case steps.Target:
		m.session.Target = r
	case steps.Diagnosed:
		m.session.Evidence, m.session.Report = r.Evidence, &r.Report
		m.applyPlan(r.Report.Plan)
	case steps.Manual:
		m.recordManual(msg.From, r)
	case steps.Created:
		m.recordManual(msg.From, r.Manual)
		m.session.DemoAppPassword = r.DemoPassword
	case steps.MFAChanged:
		if r.Change.ID != "" {
			m.session.Changes = append(m.session.Changes, r.Change)
		}
		if r.Before == "" {
			m.outcomes[msg.From] = "needs an Authentication Policy Administrator"
		}
	case steps.SignedOut:
		if r.Change.ID != "" {
			m.session.Changes = append(m.session.Changes, r.Change)
		}
		switch {
		case !r.Done:
			m.outcomes[msg.From] = "not done"
		case !r.Visible:
			m.outcomes[msg.From] = "revoked, but Graph did not show it yet when you went on; check signInSessionsValidFromDateTime later"
		}
	case steps.Tested:
		m.session.SMTPReply = r.Reply
	}
	if msg.From == steps.IDSummary {
		return tea.Quit
	}
	return m.next()
}

func (m *Model) next() tea.Cmd {
	i := slices.Index(flow, m.current.ID())
	for _, id := range flow[i+1:] {
		if m.status[id] != skipped {
			return m.enter(id)
		}
	}
	return tea.Quit
}

// connect signs in with the scopes the path needs: an end user asks only
// for what needs no admin consent.
func (m *Model) connect(mode steps.Mode) error {
	m.session.Mode = mode
	scopes := graphclient.AdminScopes
	if mode == steps.ModeEndUser {
		scopes = graphclient.EndUserScopes
	}
	client, err := m.env.Connect(scopes)
	if err != nil {
		return err
	}
	m.common.Auth, m.common.Graph = client, client
	return nil
}

func (m *Model) signedIn(r steps.SignedIn) {
	s := m.session
	s.Account, s.Me, s.Tenant = r.Account, r.Me, r.Tenant
	s.Roles = nil
	for _, role := range r.Roles {
		s.Roles = append(s.Roles, role.TemplateID)
	}
}

// applyPlan marks the plan screens the diagnosis does not need as skipped.
func (m *Model) applyPlan(plan []diagnose.StepID) {
	for stepID, screen := range planScreens {
		if slices.Contains(plan, stepID) {
			m.status[screen] = pending
		} else {
			m.status[screen] = skipped
		}
	}
}

func (m *Model) recordManual(id steps.ID, r steps.Manual) {
	if !r.Confirmed {
		m.outcomes[id] = "not confirmed"
	} else {
		delete(m.outcomes, id)
	}
}

// leftByHand lists what the summary must say remains.
func (m *Model) leftByHand() []string {
	var left []string
	for _, id := range flow {
		if m.status[id] == skipped {
			continue
		}
		if why, ok := m.outcomes[id]; ok {
			left = append(left, fmt.Sprintf("%s: %s", titles[id], why))
		}
	}
	if r := m.session.Report; r != nil {
		for _, s := range r.Plan {
			if s == diagnose.StepModernAuth || s == diagnose.StepAskAdmin || s == diagnose.StepEnableSMTPAuth {
				left = append(left, s.Title())
			}
		}
	}
	return left
}

func (m *Model) resize() {
	m.common.Width = max(m.width-4, 20)
	m.common.Height = max(m.height-8, 5)
	m.help.SetWidth(m.width - 2)
}

// Leave cancels work in flight; used when the program ends.
func (m *Model) Leave() {
	if m.current != nil {
		m.current.Leave()
	}
	if m.env != nil && m.env.Close != nil {
		m.env.Close()
	}
}

type reconciledMsg struct{ text string }

// reconcile re-reads the real state behind changes a previous run began
// and never finished, and records what it saw in the journal.
func (m *Model) reconcile() tea.Cmd {
	j, g := m.env.Journal, m.common.Graph
	unfinished, err := j.Unfinished()
	if err != nil || len(unfinished) == 0 {
		return nil
	}
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		var lines []string
		for _, ch := range unfinished {
			seen := "unknown (could not read)"
			switch ch.Kind {
			case journal.PerUserMFA:
				if st, err := g.PerUserMFAState(ctx, ch.AccountID); err == nil {
					seen = "per-user MFA " + string(st)
				}
			case journal.SignInSessions:
				if u, err := g.User(ctx, ch.AccountID); err == nil {
					seen = "sessions valid from " + u.SignInSessionsValidFrom.Format(time.RFC3339)
				}
			}
			j.Resolve(ch, seen)
			lines = append(lines, fmt.Sprintf("%s (%s %s → %s): now %s", ch.Account, ch.Kind.Label(), ch.Before, ch.After, seen))
		}
		return reconciledMsg{text: "Unfinished change(s) from a previous run, re-read: " + strings.Join(lines, "; ")}
	}
}
