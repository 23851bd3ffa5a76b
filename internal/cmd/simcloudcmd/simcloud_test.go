package simcloudcmd

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/apppass/apppass/internal/cmdutil"
	"github.com/apppass/apppass/internal/cmdutil/cmdtest"
)

// running is `apppass simcloud` started in the background.
type running struct {
	desc   description
	stop   context.CancelFunc
	done   chan int // the exit code, once it has stopped
	stderr *bytes.Buffer
}

// start runs the command until the test stops it, and reads its line.
func start(t *testing.T, args ...string) *running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	r := &running{stop: cancel, done: make(chan int, 1), stderr: &bytes.Buffer{}}
	go func() {
		code := cmdtest.Exec(ctx, Run, strings.NewReader(""), pw, r.stderr, args...)
		pw.Close()
		r.done <- code
	}()
	t.Cleanup(func() {
		cancel()
		io.Copy(io.Discard, pr)
	})
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("no line on stdout: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r.desc); err != nil {
		t.Fatalf("stdout %q: %v", line, err)
	}
	return r
}

// The line says where the cloud is and who signs in; a client trusting the
// certificate file alone reaches it; stopping exits 0 and removes the file.
func TestServesUntilStopped(t *testing.T) {
	r := start(t, "--scenario", "classic", "--fault", "throttle:me:1")
	d := r.desc
	if d.Scenario != "classic" || d.AsOf != "2026-11-21" || d.Tenant.Domain != "contoso.onmicrosoft.com" || d.Tenant.ID == "" ||
		!strings.HasPrefix(d.Authority, "https://127.0.0.1:") || d.GraphRoot != d.Authority || d.ExchangeRoot != d.Authority || !strings.HasPrefix(d.SMTP, "127.0.0.1:") {
		t.Fatalf("description %+v", d)
	}
	if d.Identities["admin"] != (identity{"admin@contoso.onmicrosoft.com", "Admin-Sim-2026!"}) ||
		d.Identities["account"] != (identity{"backup@contoso.onmicrosoft.com", "Backup-Sim-2026!"}) {
		t.Fatalf("identities %+v", d.Identities)
	}
	info, err := os.Stat(d.CACertificate)
	if err != nil || runtime.GOOS != "windows" && info.Mode().Perm() != 0o600 { // Windows has no mode bits
		t.Fatalf("certificate file: %v, %v", info, err)
	}
	pem, _ := os.ReadFile(d.CACertificate)
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		t.Fatalf("not a PEM certificate: %q", pem)
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	resp, err := client.Get(d.Authority + "/" + d.Tenant.ID + "/v2.0/.well-known/openid-configuration")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	json.NewDecoder(resp.Body).Decode(&doc)
	resp.Body.Close()
	if doc["issuer"] != d.Authority+"/"+d.Tenant.ID+"/v2.0" {
		t.Fatalf("document %v", doc)
	}
	if resp, err := client.Get(d.GraphRoot + "/v1.0/me"); err != nil || resp.StatusCode != 401 {
		t.Fatalf("graph without a token: %v %v", resp, err)
	}

	r.stop()
	if code := <-r.done; code != cmdutil.ExitOK {
		t.Fatalf("exit %d: %s", code, r.stderr.String())
	}
	if !strings.Contains(r.stderr.String(), "/devicelogin") || !strings.Contains(r.stderr.String(), "simulated") {
		t.Fatalf("notes on stderr: %q", r.stderr.String())
	}
	if _, err := os.Stat(d.CACertificate); !os.IsNotExist(err) {
		t.Fatalf("certificate file left behind: %v", err)
	}
}

// A bad command line fails before anything starts, with one line saying why.
func TestRefusesBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"--port", "70000"},
		{"--port", "-1"},
		{"--scenario", "nosuch"},
		{"--fault", "earthquake"},
		{"extra"},
	} {
		code, out, errOut := cmdtest.Run(t, Run, "", args...)
		if code != cmdutil.ExitError || out != "" || strings.Count(strings.TrimSpace(errOut), "\n") > 1 {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errOut)
		}
	}
}

func TestHelp(t *testing.T) {
	code, out, _ := cmdtest.Run(t, Run, "", "--help")
	for _, want := range []string{"--scenario NAME", "--scenario-file PATH", "--fault SPEC", "--port N", "made-up"} {
		if code != cmdutil.ExitOK || !strings.Contains(out, want) {
			t.Errorf("help lacks %q (exit %d):\n%s", want, code, out)
		}
	}
}
