package wizard

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/flow"
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

// defaultAppName is the app people approve at sign-in when apppass uses
// its default client id.
const defaultAppName = "Microsoft Graph Command Line Tools"

// Options tune the wizard.
type Options struct {
	// Context is the program's: every step's context derives from it.
	Context context.Context
	// Scenario starts the demo directly; empty in demo mode shows the picker.
	Scenario string
	NoColor  bool
}

// Model is the root model. It alone returns a tea.View and writes the session.
type Model struct {
	ctx       context.Context
	launcher  Launcher
	opts      Options
	env       *Env
	styles    styles.Styles
	isDark    bool
	common    *steps.Common
	session   *steps.Session
	current   steps.Step
	width     int
	height    int
	help      help.Model
	body      viewport.Model
	focus     [2]int // the focus line and body height last applied
	frame     struct{ header, footer string }
	showHelp  bool
	notice    string
	fatal     error
	cancelled bool

	// flash answers the last key (steps.Flash), above the footer; copied
	// counts the c presses on this screen, to copy its tokens in turn.
	flash  string
	copied int
}

// New builds the wizard.
func New(l Launcher, opts Options) *Model {
	ctx := opts.Context
	if ctx == nil {
		ctx = context.Background()
	}
	m := &Model{ctx: ctx, launcher: l, opts: opts, isDark: true, help: help.New(), width: MinWidth, height: MinHeight, body: viewport.New()}
	m.setStyles()
	m.common = &steps.Common{Ctx: ctx, Styles: &m.styles, Session: &steps.Session{}}
	return m
}

func (m *Model) setStyles() {
	m.styles = styles.New(m.isDark, m.opts.NoColor) // steps hold a pointer to it
	m.help.Styles = m.styles.Help
}

// Cancelled reports whether the person quit with ctrl+c.
func (m *Model) Cancelled() bool { return m.cancelled }

// Err is a failure that stopped the wizard before it could start.
func (m *Model) Err() error { return m.fatal }

// Ending is the exit status of the session the person ended in, from its
// record (flow.Session.Ending).
func (m *Model) Ending() error {
	if m.session == nil {
		return nil
	}
	return m.session.Ending()
}

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
		cmd := m.current.Init()
		m.syncBody()
		return tea.Batch(tea.RequestBackgroundColor, cmd)
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
	m.session = flow.NewSession(env.Journal)
	appName := env.AppName
	if appName == "" {
		appName = defaultAppName
	}
	m.common = &steps.Common{Ctx: m.ctx, Styles: &m.styles, Now: env.Now, Cloud: env.Cloud, SMTP: env.SMTP, OAuth: env.OAuth,
		Journal: m.session.Log, StandIns: env.StandIns, Open: env.Open, Export: env.Export, ConsentURL: env.ConsentURL, SignIn: env.SignIn,
		AppName: appName, SuggestedUPN: env.SuggestedUPN, SuggestedService: env.SuggestedService, Preloaded: env.Preloaded, Session: m.session,
		Wait: env.Wait}
	m.resize()
	m.notice = ""
	m.notice = journalNotice(env.Journal)
	return m.enter(steps.IDWelcome)
}

// journalNotice is what the start screen says of the journal: changes a
// previous run left unfinished, and any trouble reading it, which is never
// kept quiet (a damaged line is skipped, the records around it are read).
func journalNotice(j *journal.File) string {
	unfinished, err := j.Unfinished()
	var notes []string
	if len(unfinished) > 0 {
		notes = append(notes, fmt.Sprintf("A previous run stopped during %d change(s) (see %s); apppass re-reads the real state after you sign in.", len(unfinished), j.Path()))
	}
	if err != nil {
		notes = append(notes, "! "+err.Error()+".")
	}
	return strings.Join(notes, " ")
}

// enter makes a screen current, shown from its top.
func (m *Model) enter(id steps.ID) tea.Cmd {
	if m.current != nil {
		m.current.Leave()
	}
	sc, _ := steps.ScreenByID(id)
	m.current = sc.New(m.common)
	m.body.SetYOffset(0)
	m.focus = [2]int{-2, -2}
	m.copied = 0
	m.flash = "" // an answer to a key on the screen left does not belong to this one
	return m.current.Init()
}

// Update implements tea.Model.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmd := m.update(msg)
	m.syncBody()
	return m, cmd
}

func (m *Model) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.resize()
		return nil
	case tea.BackgroundColorMsg:
		m.isDark = msg.IsDark()
		m.setStyles()
		return nil
	case launchedMsg:
		if msg.err != nil {
			m.fatal = msg.err
			return tea.Quit
		}
		return m.start(msg.env)
	case steps.Flash:
		m.flash = string(msg)
		return nil
	case tea.KeyPressMsg:
		m.flash = "" // an answer lasts until the next key
		if cmd, handled := m.globalKey(msg); handled {
			return cmd
		}
	case steps.DoneMsg:
		return m.done(msg)
	case reconciledMsg:
		m.notice = msg.text
		return nil
	}
	if m.current == nil {
		return nil
	}
	before := m.offered()
	var cmd tea.Cmd
	m.current, cmd = m.current.Update(msg)
	if _, key := msg.(tea.KeyPressMsg); !key && m.offered() != before {
		// The screen moved on by itself (the person signed in in the
		// browser): an answer to a key on what it showed is stale.
		m.flash = ""
	}
	return cmd
}

// offered is what the current screen shows itself as, for telling that it
// changed: its ID, the keys it offers and what c would copy.
func (m *Model) offered() string {
	if m.current == nil {
		return ""
	}
	var b strings.Builder
	b.WriteString(string(m.current.ID()))
	if km := m.current.KeyMap(); km != nil {
		for _, k := range km.ShortHelp() {
			if k.Enabled() {
				b.WriteString("|" + strings.Join(k.Keys(), ","))
			}
		}
	}
	if m.common != nil {
		b.WriteString("|" + strings.Join(m.common.Shown, "|"))
	}
	return b.String()
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
	case key.Matches(k, globalKeys.PageDown):
		m.body.PageDown()
		return nil, true
	case key.Matches(k, globalKeys.PageUp):
		m.body.PageUp()
		return nil, true
	case key.Matches(k, globalKeys.Help):
		if t, ok := m.current.(typing); ok && t.Typing() {
			return nil, false
		}
		m.showHelp = !m.showHelp
		return nil, true
	case key.Matches(k, globalKeys.Back):
		if m.showHelp {
			m.showHelp = false // esc closes the help, and only the help
			return nil, true
		}
		if modal, ok := m.current.(steps.Modal); ok && modal.Modal() {
			return nil, false // the step closes what it shows
		}
		if _, ok := m.previous(); !ok && m.canReturn() {
			m.current.Leave()
			return tea.Quit, true // back where the wizard was opened from: not a cancel
		}
		return m.back(), true
	case key.Matches(k, globalKeys.Copy) && m.canCopy():
		shown := m.common.Shown
		t := shown[m.copied%len(shown)]
		what := t
		if len(shown) > 1 {
			what = fmt.Sprintf("%d of %d, %s", m.copied%len(shown)+1, len(shown), t)
		}
		m.copied++
		return steps.CopyText(t, what), true
	case key.Matches(k, globalKeys.Restart) && m.env != nil && m.env.Banner.Demo:
		return m.launch(m.env.Banner.Scenario), true
	}
	return nil, false
}

// canCopy reports that c copies a command or address the screen shows:
// there is one, and the screen neither types nor uses c itself (the
// sign-in's c copies its code; the demo's owner creates with c).
func (m *Model) canCopy() bool {
	if m.current == nil || m.common == nil || len(m.common.Shown) == 0 {
		return false
	}
	if t, ok := m.current.(typing); ok && t.Typing() {
		return false
	}
	if km := m.current.KeyMap(); km != nil {
		for _, b := range km.ShortHelp() {
			if b.Enabled() && slices.Contains(b.Keys(), "c") {
				return false
			}
		}
	}
	return true
}

// previous is the screen esc goes back to, if any: the nearest earlier
// screen the flow shows, when leaving the current one is safe.
func (m *Model) previous() (steps.ID, bool) {
	if m.current == nil || m.env == nil || m.current.Busy() {
		return "", false
	}
	if modal, ok := m.current.(steps.Modal); ok && modal.Modal() {
		return "", false // esc closes what the screen shows
	}
	return m.session.Previous(m.current.ID())
}

// canReturn reports that esc on this screen leaves the wizard for where it
// was opened from (the scan's table): a first screen, left safely.
func (m *Model) canReturn() bool {
	if m.current == nil || m.env == nil || m.env.ReturnTo == "" || m.current.Busy() {
		return false
	}
	modal, ok := m.current.(steps.Modal)
	return !ok || !modal.Modal()
}

// back goes to the previous screen, which is walked again.
func (m *Model) back() tea.Cmd {
	id, ok := m.previous()
	if !ok {
		return nil
	}
	delete(m.session.Outcomes, id)
	return m.enter(id)
}

// done records a finished screen's outcome and result, and moves on.
func (m *Model) done(msg steps.DoneMsg) tea.Cmd {
	if m.current == nil || msg.From != m.current.ID() {
		return nil
	}
	if p, ok := msg.Result.(steps.Picked); ok {
		m.opts.Scenario = string(p)
		return m.launch(m.opts.Scenario)
	}
	m.session.Outcomes[msg.From] = steps.Ended{Outcome: msg.Outcome, Detail: msg.Detail}
	steps.Record(msg.Result, m.session)
	switch r := msg.Result.(type) {
	case steps.Mode:
		if err := m.connect(r); err != nil {
			m.fatal = err
			return tea.Quit
		}
	case steps.SignedIn:
		return tea.Batch(m.next(msg.Next), m.reconcile())
	}
	if msg.From == steps.IDSummary {
		return tea.Quit
	}
	return m.next(msg.Next)
}

// next enters the named screen, or the next one the flow shows.
func (m *Model) next(named steps.ID) tea.Cmd {
	if named != "" {
		return m.enter(named)
	}
	if id, ok := m.session.Next(m.current.ID()); ok {
		return m.enter(id)
	}
	return tea.Quit
}

// connect signs in with the scopes the path needs: an end user asks only
// for what needs no admin consent.
func (m *Model) connect(mode steps.Mode) error {
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

func (m *Model) resize() {
	m.common.Width = max(m.width-4, 20)
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
	j, g, parent := m.env.Journal, m.common.Graph, m.ctx
	unfinished, _ := j.Unfinished() // its error was shown at the start (journalNotice)
	if len(unfinished) == 0 {
		return nil
	}
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(parent, 30*time.Second)
		defer cancel()
		var lines []string
		for _, ch := range unfinished {
			seen := flow.Reread(ctx, g, ch)
			j.Resolve(ch, seen)
			lines = append(lines, fmt.Sprintf("%s (%s %s → %s): now %s", ch.Account, ch.Kind.Label(), ch.Before, ch.After, seen))
		}
		return reconciledMsg{text: "Unfinished change(s) from a previous run, re-read: " + strings.Join(lines, "; ")}
	}
}

// outcomeOf is a screen's outcome so far, for the step bar.
func (m *Model) outcomeOf(id steps.ID) (diagnose.Outcome, bool) {
	e, ok := m.session.Outcomes[id]
	return e.Outcome, ok
}
