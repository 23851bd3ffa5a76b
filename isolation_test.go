package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/apppass/apppass/graphclient"
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
			codes[i] = run(context.Background(), []string{"diagnose", "--demo", "--json"}, strings.NewReader(""), &out, &errOut)
			outs[i] = out.String() + errOut.String()
		}()
	}
	wg.Wait()
	for i := range 3 {
		if codes[i] != exitOK || !strings.Contains(outs[i], `"appPasswordCanHelp"`) {
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
		{"diagnose", "--demo", "--cloud", "gcc-high"},
		{"diagnose", "--scenario", "classic", "--tenant", "contoso.com"},
		{"demo", "--cloud", "china"},
	} {
		code, _, errOut := runCLI(t, "", args...)
		if code != exitError || !strings.Contains(errOut, "does not apply to the demo") {
			t.Errorf("%v: exit %d, %q", args, code, errOut)
		}
	}
}

// An existing cache folder with a loose mode is tightened to 0700.
func TestPrivateFoldersAreTightened(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "apppass")
	os.Mkdir(dir, 0o755)
	if err := graphclient.PrivateDir(dir); err != nil {
		t.Fatal(err)
	}
	if info, _ := os.Stat(dir); info.Mode().Perm() != 0o700 {
		t.Fatalf("mode %v, want 0700", info.Mode().Perm())
	}
}
