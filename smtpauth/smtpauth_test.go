package smtpauth_test

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"net"
	"strings"
	"testing"

	"github.com/apppass/apppass/demo"
	"github.com/apppass/apppass/internal/testkit"
	"github.com/apppass/apppass/simcloud"
	"github.com/apppass/apppass/smtpauth"
)

func start(t *testing.T, scenario string) (*simcloud.Server, smtpauth.Config) {
	t.Helper()
	sc, err := simcloud.LoadScenario(scenario)
	if err != nil {
		t.Fatal(err)
	}
	cloud, err := demo.Start(sc, demo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cloud.Close() })
	cfg := cloud.SMTP
	cfg.Timeout = testkit.Patience(t)
	return cloud.Server, cfg
}

const backup = "backup@contoso.onmicrosoft.com"

func TestReplies(t *testing.T) {
	srv, cfg := start(t, "classic")
	appPassword, err := srv.CreateAppPassword(backup)
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]string{
		appPassword:        "235 2.7.0",
		"Backup-Sim-2026!": "535 5.7.139",
		"wrong":            "535 5.7.3",
	}
	for secret, want := range cases {
		reply, err := smtpauth.Test(context.Background(), cfg, backup, secret)
		if err != nil || !strings.HasPrefix(reply, want) {
			t.Errorf("got %q, %v; want %s", reply, err, want)
		}
		if strings.Contains(reply, secret) {
			t.Errorf("the reply contains the secret")
		}
	}
}

func TestUntrustedCertificate(t *testing.T) {
	_, cfg := start(t, "classic")
	cfg.TLS = &tls.Config{} // system roots do not know the simulator
	_, err := smtpauth.Test(context.Background(), cfg, backup, "Secret-Canary-1")
	if err == nil || !strings.Contains(err.Error(), "TLS") || strings.Contains(err.Error(), "Secret-Canary-1") {
		t.Fatalf("got %v", err)
	}
}

// A server that never offers STARTTLS must not receive the password.
func TestRefusesWithoutSTARTTLS(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	got := make(chan string, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		r := bufio.NewReader(c)
		c.Write([]byte("220 plain ESMTP\r\n"))
		var seen strings.Builder
		for {
			line, err := r.ReadString('\n')
			seen.WriteString(line)
			if err != nil {
				break
			}
			if strings.HasPrefix(line, "EHLO") {
				c.Write([]byte("250-plain\r\n250 AUTH LOGIN\r\n"))
			}
		}
		got <- seen.String()
	}()
	_, err = smtpauth.Test(context.Background(), smtpauth.Config{Addr: ln.Addr().String(), Timeout: testkit.Patience(t)}, backup, "Secret-Canary-2")
	if !errors.Is(err, smtpauth.ErrNoSTARTTLS) {
		t.Fatalf("got %v", err)
	}
	if sent := <-got; strings.Contains(sent, "AUTH") {
		t.Fatalf("credentials were offered in clear text: %q", sent)
	}
}

func TestUnreachable(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	// A refused connection is an answer: it comes back at once, not at the
	// time-out (which is the test's whole patience).
	_, err := smtpauth.Test(context.Background(), smtpauth.Config{Addr: addr, Timeout: testkit.Patience(t)}, backup, "x")
	if err == nil || !strings.Contains(err.Error(), "cannot reach") {
		t.Fatalf("got %v", err)
	}
}

func TestCancelStopsAHungServer(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	defer ln.Close()
	accepted, finished := make(chan net.Conn, 1), make(chan struct{})
	defer close(finished)
	go func() {
		if c, err := ln.Accept(); err == nil {
			accepted <- c // never greets
			<-finished
			c.Close()
		}
	}()
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-accepted; cancel() }() // cancel once the client is waiting
	if _, err := smtpauth.Test(ctx, smtpauth.Config{Addr: ln.Addr().String()}, backup, "x"); err == nil {
		t.Fatal("a cancelled test against a silent server succeeded")
	}
}
