package diagnosecmd

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apppass/apppass/internal/cmdutil"
	"github.com/apppass/apppass/simcloud"
)

// runWatched runs `apppass diagnose` on a simulated clock that the watch
// moves instead of waiting.
func runWatched(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	f := cmdutil.New("test", cmdutil.Streams(strings.NewReader(""), &out, &errOut))
	var clock *simcloud.ManualClock
	f.DemoClock = func(start time.Time) func() time.Time {
		clock = simcloud.NewManualClock(start)
		return clock.Now
	}
	f.Wait = func(ctx context.Context, d time.Duration) error {
		clock.Advance(d)
		return ctx.Err()
	}
	ctx := context.Background()
	code = cmdutil.ExitCode(ctx, Run(ctx, f, args), &errOut)
	return code, out.String(), errOut.String()
}

// scenarioFile writes a shipped scenario, changed, for --scenario-file.
func scenarioFile(t *testing.T, dir, name string, change func(*simcloud.Scenario)) string {
	t.Helper()
	sc, err := simcloud.LoadScenario(name)
	if err != nil {
		t.Fatal(err)
	}
	change(sc)
	data, _ := json.Marshal(sc)
	file := filepath.Join(dir, name+".json")
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}

// --watch-app: exit 0 when the app got through, 1 when its sign-in failed
// (with the code and the advice), 3 when nothing came in the time given or
// the log could not be read.
func TestWatchAppExitCodes(t *testing.T) {
	home := isolate(t)
	healthy := scenarioFile(t, home, "healthy", func(sc *simcloud.Scenario) { sc.App = &simcloud.App{EveryMinutes: 2} })
	cases := map[string]struct {
		args []string
		want int
		says []string
	}{
		"the app gets through": {[]string{"--scenario-file", healthy, "--watch-app", "10m"}, cmdutil.ExitOK,
			[]string{"verified at the app at", "from 203.0.113.24"}},
		"the app still sends its regular password": {[]string{"--demo", "--scenario", "classic", "--watch-app", "10m"}, cmdutil.ExitError,
			[]string{"failed with AADSTS50076", "still sends the account's regular password"}},
		"nothing in a minute": {[]string{"--demo", "--scenario", "classic", "--watch-app", "1m"}, cmdutil.ExitUnknown,
			[]string{"not seen in 1 minute"}},
		"a log that cannot be read": {[]string{"--scenario-file", healthy, "--fault", "missing-licence:signIns", "--watch-app", "10m"}, cmdutil.ExitUnknown,
			[]string{"could not check the app's own sign-in", "Entra ID P1"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			code, out, errOut := runWatched(t, tc.args...)
			if code != tc.want {
				t.Fatalf("exit %d, want %d\n%s\n%s", code, tc.want, out, errOut)
			}
			for _, s := range tc.says {
				if !strings.Contains(out, s) {
					t.Errorf("the report lacks %q:\n%s", s, out)
				}
			}
			if !strings.Contains(errOut, "both tabs") {
				t.Errorf("stderr does not say what it watches: %s", errOut)
			}
		})
	}
	if code, _, errOut := runCLI(t, "", "--demo", "--watch-app", "-5m"); code != cmdutil.ExitError || !strings.Contains(errOut, "--watch-app") {
		t.Errorf("a negative duration: exit %d, %s", code, errOut)
	}
}
