// Package smtpauth tests a credential against Exchange Online's SMTP AUTH
// client-submission endpoint (EHLO, STARTTLS, then AUTH LOGIN with a
// password, the one Basic-auth endpoint left that takes an app password,
// or AUTH XOAUTH2 with an OAuth token, the modern route). It sends no mail.
// The secret is never part of an error or a log.
package smtpauth

import (
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"strings"
	"time"

	"github.com/apppass/apppass/termsafe"
)

// ErrNoSTARTTLS means the server did not offer STARTTLS: apppass never sends
// a password in clear text.
var ErrNoSTARTTLS = errors.New("the server does not offer STARTTLS; apppass will not send a password unencrypted")

// Config says where and how to connect.
type Config struct {
	// Addr is host:port, e.g. smtp.office365.com:587.
	Addr string
	// TLS is used for STARTTLS; ServerName defaults to Addr's host.
	TLS *tls.Config
	// Timeout bounds the whole test (default 30 s).
	Timeout time.Duration
}

// Test signs in with AUTH LOGIN and returns the server's final reply line
// (such as "235 2.7.0 Authentication successful" or "535 5.7.139 ...").
// An error means no verdict was reached (network, TLS, protocol).
func Test(ctx context.Context, cfg Config, username, secret string) (string, error) {
	return signIn(ctx, cfg, func(s *session) (string, error) { return s.authLogin(username, secret) })
}

// TestOAuth signs in with AUTH XOAUTH2 (an OAuth access token for
// SMTP.Send, Microsoft's modern route for SMTP AUTH) and returns the final
// reply line, as Test does. The token is never part of an error or a log.
func TestOAuth(ctx context.Context, cfg Config, username, accessToken string) (string, error) {
	return signIn(ctx, cfg, func(s *session) (string, error) { return s.authXOAuth2(username, accessToken) })
}

// signIn connects, upgrades to TLS and runs auth, then quits.
func signIn(ctx context.Context, cfg Config, auth func(*session) (string, error)) (string, error) {
	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", cfg.Addr)
	if err != nil {
		return "", fmt.Errorf("cannot reach %s: %w", cfg.Addr, err)
	}
	defer conn.Close()
	if deadline, ok := ctx.Deadline(); ok {
		conn.SetDeadline(deadline)
	}
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Now()) }) // cancel unblocks reads
	defer stop()

	s := &session{text: textproto.NewConn(bounded(conn))}
	if _, _, err := s.text.ReadResponse(220); err != nil {
		return "", s.protocolError("greeting", err)
	}
	exts, err := s.ehlo()
	if err != nil {
		return "", err
	}
	if !strings.Contains(exts, "STARTTLS") {
		return "", ErrNoSTARTTLS
	}
	if _, err := s.cmd(220, "STARTTLS"); err != nil {
		return "", s.protocolError("STARTTLS", err)
	}
	tlsCfg := tlsConfigFor(cfg)
	tconn := tls.Client(conn, tlsCfg)
	if err := tconn.HandshakeContext(ctx); err != nil {
		return "", fmt.Errorf("TLS with %s failed: %w", cfg.Addr, err)
	}
	s.text = textproto.NewConn(bounded(tconn))
	if _, err := s.ehlo(); err != nil {
		return "", err
	}
	reply, err := auth(s)
	s.text.PrintfLine("QUIT")
	return reply, err
}

func tlsConfigFor(cfg Config) *tls.Config {
	c := &tls.Config{MinVersion: tls.VersionTLS12}
	if cfg.TLS != nil {
		c = cfg.TLS.Clone()
	}
	if c.ServerName == "" {
		host, _, _ := net.SplitHostPort(cfg.Addr)
		c.ServerName = host
	}
	return c
}

type session struct {
	text *textproto.Conn
}

func (s *session) cmd(expect int, format string, args ...any) (string, error) {
	id, err := s.text.Cmd(format, args...)
	if err != nil {
		return "", err
	}
	s.text.StartResponse(id)
	defer s.text.EndResponse(id)
	_, msg, err := s.text.ReadResponse(expect)
	return msg, err
}

func (s *session) ehlo() (string, error) {
	msg, err := s.cmd(250, "EHLO apppass")
	if err != nil {
		return "", s.protocolError("EHLO", err)
	}
	return strings.ToUpper(msg), nil
}

// authLogin runs AUTH LOGIN and returns the final reply as one line.
func (s *session) authLogin(username, secret string) (string, error) {
	steps := []string{base64.StdEncoding.EncodeToString([]byte(username)), base64.StdEncoding.EncodeToString([]byte(secret))}
	if err := s.text.PrintfLine("AUTH LOGIN"); err != nil {
		return "", err
	}
	for _, answer := range steps {
		code, msg, err := s.text.ReadResponse(0)
		if err != nil {
			return "", s.protocolError("AUTH", err)
		}
		if code != 334 {
			return replyLine(code, msg), nil // refused before the password was asked for
		}
		if err := s.text.PrintfLine("%s", answer); err != nil {
			return "", err
		}
	}
	code, msg, err := s.text.ReadResponse(0)
	if err != nil {
		return "", s.protocolError("AUTH", err)
	}
	return replyLine(code, msg), nil
}

// authXOAuth2 sends the XOAUTH2 initial response. A server that answers
// 334 with an error challenge gets an empty line, then gives its final
// reply (the SASL XOAUTH2 exchange).
func (s *session) authXOAuth2(username, token string) (string, error) {
	initial := base64.StdEncoding.EncodeToString([]byte("user=" + username + "\x01auth=Bearer " + token + "\x01\x01"))
	if err := s.text.PrintfLine("AUTH XOAUTH2 %s", initial); err != nil {
		return "", err
	}
	code, msg, err := s.text.ReadResponse(0)
	if err != nil {
		return "", s.protocolError("AUTH", err)
	}
	if code == 334 {
		if err := s.text.PrintfLine(""); err != nil {
			return "", err
		}
		if code, msg, err = s.text.ReadResponse(0); err != nil {
			return "", s.protocolError("AUTH", err)
		}
	}
	return replyLine(code, msg), nil
}

func replyLine(code int, msg string) string {
	first, _, _ := strings.Cut(msg, "\n")
	return fmt.Sprintf("%d %s", code, termsafe.Clean(first)) // the server's words enter here
}

// maxSession bounds what apppass reads from an SMTP server in one
// session: a real conversation is a few hundred bytes, and textproto
// would otherwise grow a line without end for a server that never ends one.
const maxSession = 64 << 10

// bounded is conn reading at most maxSession bytes; past that the server
// seems to have ended the connection, which the session reports.
func bounded(conn net.Conn) io.ReadWriteCloser {
	return struct {
		io.Reader
		io.Writer
		io.Closer
	}{io.LimitReader(conn, maxSession), conn, conn}
}

// protocolError keeps the server's reply, which never contains the secret.
func (s *session) protocolError(stage string, err error) error {
	var perr *textproto.Error
	if errors.As(err, &perr) {
		return fmt.Errorf("the SMTP server refused %s: %d %s", stage, perr.Code, termsafe.Clean(perr.Msg))
	}
	return fmt.Errorf("SMTP %s failed: %w", stage, err)
}
