package diagnosecmd

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/apppass/apppass/internal/cmdutil"
	"github.com/apppass/apppass/internal/cmdutil/cmdtest"
)

// Demos side by side, with one HOME, each give their verdict: no shared
// token cache or journal to sign each other out or delete.
func TestDemosRunSideBySide(t *testing.T) {
	home := isolate(t)
	live := filepath.Join(home, ".cache", "apppass", "msal-demo.json")
	os.MkdirAll(filepath.Dir(live), 0o700)
	os.WriteFile(live, []byte("{}"), 0o600)
	var wg sync.WaitGroup
	codes, outs := make([]int, 3), make([]string, 3)
	for i := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var out, errOut bytes.Buffer
			codes[i] = cmdtest.Exec(context.Background(), Run, strings.NewReader(""), &out, &errOut, "--demo", "--json")
			outs[i] = out.String() + errOut.String()
		}()
	}
	wg.Wait()
	for i := range 3 {
		if codes[i] != cmdutil.ExitOK || !strings.Contains(outs[i], `"appPasswordCanHelp"`) {
			t.Errorf("demo %d: exit %d\n%s", i, codes[i], outs[i])
		}
	}
	if data, err := os.ReadFile(live); err != nil || string(data) != "{}" {
		t.Fatalf("a demo touched the token cache file: %q %v", data, err)
	}
}

func TestLiveFlagsRefusedWithDemo(t *testing.T) {
	isolate(t)
	for _, args := range [][]string{
		{"--demo", "--cloud", "gcc-high"},
		{"--scenario", "classic", "--tenant", "contoso.com"},
	} {
		code, _, errOut := runCLI(t, "", args...)
		if code != cmdutil.ExitError || !strings.Contains(errOut, "does not apply to the demo") {
			t.Errorf("%v: exit %d, %q", args, code, errOut)
		}
	}
}
