package wizard

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/apppass/apppass/demo"
	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/evidence"
	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/internal/testkit"
	"github.com/apppass/apppass/journal"
	"github.com/apppass/apppass/simcloud"
	"github.com/apppass/apppass/smtpauth"
	"github.com/apppass/apppass/steps"
)

// testLauncher starts simcloud scenarios the way apppass demo's launcher does,
// with a journal in a temporary folder and no browser.
type testLauncher struct {
	t      testing.TB
	dir    string
	srv    *simcloud.Server
	faults []simcloud.Fault
	// cachePath keeps tokens on disk.
	cachePath string
	// colour draws in colour, as a person's terminal does (tests compare
	// text, so they draw without).
	colour bool
	export bool
	mutate func(*simcloud.Scenario)
	// deviceCode signs in with a device code instead of the browser;
	// browserFails makes opening the browser fail.
	deviceCode, browserFails bool
	cloud                    *demo.Cloud
	// preloaded is evidence handed in, as a scan hands it to the wizard;
	// returnTo is where esc on the first screen goes back to.
	preloaded *diagnose.Evidence
	returnTo  string
	// clock, when set, is the simulator's clock: the watch for the app's
	// sign-in moves it instead of waiting.
	clock *simcloud.ManualClock
}

func (l *testLauncher) Scenarios() []steps.ScenarioInfo {
	all, _ := simcloud.Scenarios()
	var out []steps.ScenarioInfo
	for _, sc := range all {
		out = append(out, steps.ScenarioInfo{Name: sc.Name, Description: sc.Description, AsOf: sc.AsOf})
	}
	return out
}

func (l *testLauncher) Launch(name string) (*Env, error) {
	sc, err := simcloud.LoadScenario(name)
	if err != nil {
		return nil, err
	}
	if l.mutate != nil {
		l.mutate(sc)
	}
	opts := demo.Options{Faults: l.faults}
	if l.clock != nil {
		// The client waits out Graph's limits on the same clock: on real
		// time, a clock nobody moves would never let it go on.
		opts.Clock, opts.Wait = l.clock.Now, l.clock.WaitUntil
	}
	demoCloud, err := demo.Start(sc, opts)
	if err != nil {
		return nil, err
	}
	l.t.Cleanup(func() { demoCloud.Close() })
	srv := demoCloud.Server
	l.srv, l.cloud = srv, demoCloud
	journal, err := journal.Open(filepath.Join(l.dir, "journal.jsonl"), srv.Now)
	if err != nil {
		return nil, err
	}
	cloud := demoCloud.Config.Cloud
	smtpCfg := demoCloud.SMTP
	smtpCfg.Timeout = testkit.Patience(l.t)
	service, _ := diagnose.ParseService(sc.Service)
	hangs := testkit.EndHangs(srv) // a hang ends on the simulator's signal, never on a clock
	export := func(name string, data []byte) (string, error) { return filepath.Join(l.dir, name), nil }
	if l.export {
		export = func(name string, data []byte) (string, error) {
			path := filepath.Join(l.dir, name)
			return path, os.WriteFile(path, data, 0o600)
		}
	}
	var wait evidence.Wait
	if l.clock != nil {
		wait = func(ctx context.Context, d time.Duration) error {
			l.clock.Advance(d)
			return ctx.Err()
		}
	}
	return &Env{
		Wait:  wait,
		Cloud: cloud, Banner: Banner{Demo: true, Scenario: sc.Name, AsOf: sc.AsOf}, Now: srv.Now,
		Connect: func(scopes []string) (*graphclient.Client, error) {
			cfg := demoCloud.Config
			cfg.Scopes, cfg.CachePath = scopes, l.cachePath
			hangs.Bound(&cfg)
			cfg.Retry = graphclient.RetryPolicy{MaxRetries: 2, MaxWait: time.Second}
			return graphclient.New(cfg)
		},
		SMTP: func(ctx context.Context, upn, secret string) (string, error) {
			return smtpauth.Test(ctx, smtpCfg, upn, secret)
		},
		OAuth: steps.OAuthSMTP{
			Connect: func(upn string) (steps.OAuthClient, error) {
				cfg := demoCloud.Config
				cfg.Scopes, cfg.LoginHint = []string{cloud.SMTPScope}, upn
				hangs.Bound(&cfg)
				return graphclient.New(cfg)
			},
			Test: func(ctx context.Context, upn, token string) (string, error) {
				return smtpauth.TestOAuth(ctx, smtpCfg, upn, token)
			},
		},
		StandIns: steps.StandIns{SignInAs: func(m steps.Mode) string { return l.signInAs(m) }, ApproveSignIn: demoCloud.ApproveSignIn,
			CreateAppPassword: srv.CreateAppPassword, AllowAppPasswords: srv.AllowAppPasswords, TypeIntoApp: typeIntoApp(srv)},
		SignIn:  l.signInWay(),
		Journal: journal, ConsentURL: consentURL(demoCloud.Config),
		SuggestedUPN: sc.Account, SuggestedService: service, Preloaded: l.preloaded, ReturnTo: l.returnTo,
		Export: export,
		Open:   func(string) error { return errNoBrowser },
	}, nil
}

// typeIntoApp is the owner typing into the scenario's app, as the demo
// offers it: only where the scenario runs one.
func typeIntoApp(srv *simcloud.Server) func(string) error {
	if !srv.HasApp() {
		return nil
	}
	return srv.TypeIntoApp
}

// signInAs plays the demo's choice of person: the owner on the end-user path.
func (l *testLauncher) signInAs(m steps.Mode) string {
	upn := l.cloud.Admin
	if m == steps.ModeEndUser {
		upn = l.cloud.Account
	}
	if err := l.cloud.SetPerson(upn); err != nil {
		l.t.Error(err)
	}
	return upn
}

// signInWay is the browser with the simulated person's browser (which
// opens the page when the test presses a), or a device code.
func (l *testLauncher) signInWay() steps.SignInWay {
	way := steps.SignInWay{Open: l.cloud.OpenSignIn}
	if l.deviceCode {
		way.DeviceCodeWhy = "--device-code asked for it"
	}
	if l.browserFails {
		way.Open = func(string) error { return errNoBrowser }
	}
	return way
}

// consentURL is the v2 admin-consent page, as the real environments give it.
func consentURL(cfg graphclient.Config) string {
	u, _ := graphclient.AdminConsentURL(cfg)
	return u
}

var errNoBrowser = errBrowser("no browser in tests")

type errBrowser string

func (e errBrowser) Error() string { return string(e) }

// harness drives the root model in the test goroutine: commands run in
// goroutines, their messages come back here, so Update and render never race.
type harness struct {
	t        testing.TB
	m        *Model
	launcher *testLauncher
	msgs     chan tea.Msg
	// pending counts commands started whose message has not been received.
	pending int
	quit    bool
	// frames records every frame drawn, ANSI stripped, when record is set.
	record bool
	frames []string
}

func newHarness(t testing.TB, scenario string, faults ...simcloud.Fault) *harness {
	t.Helper()
	return newHarnessWith(t, &testLauncher{t: t, dir: t.TempDir(), faults: faults}, scenario)
}

func newHarnessWith(t testing.TB, l *testLauncher, scenario string) *harness {
	t.Helper()
	m := New(l, Options{Scenario: scenario, NoColor: !l.colour})
	h := &harness{t: t, m: m, launcher: l, msgs: make(chan tea.Msg, 256)}
	h.deliver(tea.WindowSizeMsg{Width: 100, Height: 32})
	h.exec(m.Init())
	return h
}

func (h *harness) exec(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	h.pending++
	go func() { h.msgs <- cmd() }()
}

// next receives the next command's message, failing the test with what it
// waited for once the test's patience runs out.
func (h *harness) next(deadline <-chan time.Time, waitingFor string) tea.Msg {
	h.t.Helper()
	select {
	case msg := <-h.msgs:
		h.pending--
		return msg
	case <-deadline:
		h.t.Fatalf("never happened: %s; frame:\n%s", waitingFor, h.frame())
		return nil
	}
}

func (h *harness) deliver(msg tea.Msg) {
	switch msg := msg.(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range msg {
			h.exec(c)
		}
	case tea.QuitMsg:
		h.quit = true
	default:
		_, cmd := h.m.Update(msg)
		h.exec(cmd)
	}
	if h.record {
		h.frames = append(h.frames, ansi.Strip(h.m.render()))
	}
}

// waitFor processes messages until the frame contains text.
func (h *harness) waitFor(text string) {
	h.t.Helper()
	deadline := time.After(testkit.Patience(h.t))
	for !strings.Contains(h.frame(), text) {
		h.deliver(h.next(deadline, fmt.Sprintf("%q on screen", text)))
	}
}

// settle processes messages until every command started has answered, so
// a test can then assert that something did not happen. Bubbles' own
// messages (spinner ticks, cursor blinks) are dropped meanwhile: they never
// go quiet, and they change nothing a settled screen says.
func (h *harness) settle() {
	h.t.Helper()
	deadline := time.After(testkit.Patience(h.t))
	for h.pending > 0 {
		msg := h.next(deadline, "every command answered")
		if !cosmetic(msg) {
			h.deliver(msg)
		}
	}
}

// cosmetic reports a message of a bubbles component's own animation.
func cosmetic(msg tea.Msg) bool {
	t := reflect.TypeOf(msg)
	return t != nil && strings.HasPrefix(t.PkgPath(), "charm.land/bubbles/")
}

// press sends keys by name: "enter", "down", "y", "ctrl+c", ...
func (h *harness) press(keys ...string) {
	for _, k := range keys {
		h.deliver(keyMsg(k))
	}
}

func keyMsg(k string) tea.KeyPressMsg {
	switch k {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "pgdown":
		return tea.KeyPressMsg{Code: tea.KeyPgDown}
	case "pgup":
		return tea.KeyPressMsg{Code: tea.KeyPgUp}
	}
	if mod, r, ok := strings.Cut(k, "+"); ok && mod == "ctrl" {
		return tea.KeyPressMsg{Code: rune(r[0]), Mod: tea.ModCtrl}
	}
	return tea.KeyPressMsg{Code: rune(k[0]), Text: k}
}

// typeText sends printable text one key at a time.
func (h *harness) typeText(s string) {
	for _, r := range s {
		h.deliver(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

// frame is the current screen without ANSI, with run-to-run noise masked.
func (h *harness) frame() string { return normalize(ansi.Strip(h.m.render())) }

var noise = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`127\.0\.0\.1:\d+`), "127.0.0.1:PORT"},
	{regexp.MustCompile(`[⣾⣽⣻⢿⡿⣟⣯⣷]`), "*"},
	{regexp.MustCompile(`\d{8}T\d{6}-[0-9a-f]+`), "JOURNAL-ID"},
	{regexp.MustCompile(`\d\d:\d\d(:\d\d)?`), "HH:MM"},
	{regexp.MustCompile(`(│\s+)[A-Z0-9]{8,9}(\s+│)`), "${1}XXXXXXXXX${2}"},
	{regexp.MustCompile(`in \d+ minutes`), "in N minutes"},
	{regexp.MustCompile(`[a-z]{16}`), "APPPASSWORD16LTR"},
}

func normalize(s string) string {
	for _, n := range noise {
		s = n.re.ReplaceAllString(s, n.with)
	}
	return s
}

func windowSize(w, h int) tea.WindowSizeMsg { return tea.WindowSizeMsg{Width: w, Height: h} }
