package simcloud

import (
	"crypto/tls"
	"errors"
	"net/smtp"
	"strings"
	"testing"
)

// loginAuth is AUTH LOGIN, which net/smtp lacks.
type loginAuth struct{ user, pass string }

func (a loginAuth) Start(*smtp.ServerInfo) (string, []byte, error) { return "LOGIN", nil, nil }
func (a loginAuth) Next(challenge []byte, more bool) ([]byte, error) {
	if !more {
		return nil, nil
	}
	switch string(challenge) {
	case "Username:":
		return []byte(a.user), nil
	case "Password:":
		return []byte(a.pass), nil
	}
	return nil, errors.New("unexpected challenge " + string(challenge))
}

func smtpLogin(t *testing.T, ep Endpoints, auth smtp.Auth) error {
	t.Helper()
	c, err := smtp.Dial(ep.SMTPAddr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Hello("apppass-test"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := c.Extension("AUTH"); ok {
		t.Fatal("AUTH offered before STARTTLS")
	}
	if err := c.StartTLS(&tls.Config{ServerName: "127.0.0.1", RootCAs: ep.RootCAs}); err != nil {
		t.Fatal(err)
	}
	if ok, mechs := c.Extension("AUTH"); !ok || !strings.Contains(mechs, "LOGIN") {
		t.Fatalf("AUTH after STARTTLS: %v %q", ok, mechs)
	}
	return c.Auth(auth)
}

func TestSMTPOverTheWire(t *testing.T) {
	srv := newServer(t, "classic")
	ep, err := srv.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	appPassword, err := srv.CreateAppPassword(backup)
	if err != nil {
		t.Fatal(err)
	}
	if err := smtpLogin(t, ep, loginAuth{backup, appPassword}); err != nil {
		t.Fatalf("AUTH LOGIN with the app password: %v", err)
	}
	if err := smtpLogin(t, ep, smtp.PlainAuth("", backup, appPassword, "127.0.0.1")); err != nil {
		t.Fatalf("AUTH PLAIN with the app password: %v", err)
	}
	err = smtpLogin(t, ep, loginAuth{backup, "Backup-Sim-2026!"})
	if err == nil || !strings.Contains(err.Error(), "5.7.139") {
		t.Fatalf("regular password with MFA enforced: %v", err)
	}
}
