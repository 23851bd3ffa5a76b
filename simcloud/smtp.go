package simcloud

import (
	"bufio"
	"crypto/tls"
	"encoding/base64"
	"errors"

	"net"
	"strings"
	"sync"
	"time"
)

// smtpServer is Exchange Online's client submission endpoint in miniature:
// EHLO, STARTTLS, AUTH LOGIN and PLAIN, and AUTH XOAUTH2 with the
// simulator's own tokens, with Microsoft's replies.
type smtpServer struct {
	ln  net.Listener
	dir *directory
	// oauth decides an XOAUTH2 sign-in and returns the reply line.
	oauth func(user, token string) string
	tls   *tls.Config
	wg    sync.WaitGroup
	mu    sync.Mutex
	open  map[net.Conn]bool
}

func startSMTP(dir *directory, cfg *tls.Config, oauth func(user, token string) string) (*smtpServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &smtpServer{ln: ln, dir: dir, oauth: oauth, tls: cfg, open: map[net.Conn]bool{}}
	s.wg.Add(1)
	go s.accept()
	return s, nil
}

func (s *smtpServer) addr() string { return s.ln.Addr().String() }

func (s *smtpServer) close() error {
	err := s.ln.Close()
	s.mu.Lock()
	for c := range s.open {
		c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
	return err
}

func (s *smtpServer) accept() {
	defer s.wg.Done()
	for {
		conn, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		s.open[conn] = true
		s.mu.Unlock()
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.serve(conn)
			s.mu.Lock()
			delete(s.open, conn)
			s.mu.Unlock()
		}()
	}
}

// smtpSession is one client connection.
type smtpSession struct {
	conn  net.Conn
	r     *bufio.Reader
	w     *bufio.Writer
	tls   bool
	authd bool
}

func (c *smtpSession) reply(lines ...string) {
	for _, l := range lines {
		c.w.WriteString(l + "\r\n")
	}
	c.w.Flush()
}

// Line limits (RFC 5321 section 4.5.3.1.6: a text line is at most 1,000
// octets with its CRLF; RFC 4954 section 4: the AUTH command and SASL
// responses may reach 12,288 octets). Microsoft documents no other limit
// for SMTP AUTH client submission, so the simulator takes these.
const (
	maxLine     = 1000
	maxAuthLine = 12288
)

// errLineTooLong is a line past maxAuthLine; the session ends on it
// (RFC 5321 section 4.5.3.1.4's "500 Line too long").
var errLineTooLong = errors.New("line too long")

// readLine reads one line of at most maxAuthLine octets, holding no more.
func (c *smtpSession) readLine() (string, error) {
	c.conn.SetReadDeadline(time.Now().Add(2 * time.Minute))
	var line []byte
	for {
		chunk, err := c.r.ReadSlice('\n')
		line = append(line, chunk...)
		if len(line) > maxAuthLine {
			c.reply("500 5.5.2 Line too long")
			return "", errLineTooLong
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		return strings.TrimRight(string(line), "\r\n"), err
	}
}

func (s *smtpServer) serve(conn net.Conn) {
	defer conn.Close()
	c := &smtpSession{conn: conn, r: bufio.NewReader(conn), w: bufio.NewWriter(conn)}
	c.reply("220 SIM0P123CA0001.outlook.office365.com Microsoft ESMTP MAIL Service ready at " + s.dir.now().Format(time.RFC1123Z))
	for {
		line, err := c.readLine()
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		if len(line)+2 > maxLine && !strings.EqualFold(verb, "AUTH") {
			c.reply("500 5.5.2 Line too long")
			continue
		}
		switch strings.ToUpper(verb) {
		case "EHLO", "HELO":
			c.ehlo()
		case "STARTTLS":
			if c.tls {
				c.reply("503 5.5.2 Only one STARTTLS command can be issued per session")
				continue
			}
			c.reply("220 2.0.0 SMTP server ready")
			tc := tls.Server(conn, s.tls)
			if err := tc.Handshake(); err != nil {
				return
			}
			c.conn, c.r, c.w, c.tls = tc, bufio.NewReader(tc), bufio.NewWriter(tc), true
		case "AUTH":
			s.auth(c, arg)
		case "NOOP":
			c.reply("250 2.0.0 OK")
		case "RSET":
			c.reply("250 2.0.0 Resetting")
		case "QUIT":
			c.reply("221 2.0.0 Service closing transmission channel")
			return
		case "MAIL", "RCPT", "DATA":
			if !c.authd {
				c.reply("530 5.7.57 Client not authenticated to send mail")
				continue
			}
			c.reply("502 5.3.3 Command not implemented by the simulator: apppass only tests sign-in")
		default:
			c.reply("500 5.3.3 Unrecognized command")
		}
	}
}

func (c *smtpSession) ehlo() {
	lines := []string{"250-SIM0P123CA0001.outlook.office365.com Hello [127.0.0.1]", "250-SIZE 157286400", "250-PIPELINING",
		"250-DSN", "250-ENHANCEDSTATUSCODES"}
	if c.tls {
		lines = append(lines, "250-AUTH LOGIN XOAUTH2")
	} else {
		lines = append(lines, "250-STARTTLS")
	}
	c.reply(append(lines, "250-8BITMIME", "250-BINARYMIME", "250-CHUNKING", "250 SMTPUTF8")...)
}

func (s *smtpServer) auth(c *smtpSession, arg string) {
	if !c.tls {
		c.reply("504 5.7.4 Unrecognized authentication type")
		return
	}
	mech, initial, _ := strings.Cut(arg, " ")
	var user, secret string
	var ok bool
	if strings.EqualFold(mech, "XOAUTH2") {
		s.xoauth2(c, initial)
		return
	}
	switch strings.ToUpper(mech) {
	case "LOGIN":
		user, secret, ok = c.authLogin(initial)
	case "PLAIN":
		user, secret, ok = c.authPlain(initial)
	default:
		c.reply("504 5.7.4 Unrecognized authentication type")
		return
	}
	if !ok {
		c.reply("501 5.5.2 Cannot Decode response")
		return
	}
	reply := s.dir.smtpAuth(user, secret)
	c.authd = strings.HasPrefix(reply, "235")
	c.reply(reply)
}

// xoauth2 reads "user=UPN^Aauth=Bearer TOKEN^A^A" (the initial response,
// or the answer to an empty challenge) and replies as Exchange Online does.
func (s *smtpServer) xoauth2(c *smtpSession, initial string) {
	data := initial
	if data == "" {
		c.reply("334 ")
		line, err := c.readLine()
		if err != nil {
			return
		}
		data = line
	}
	b, err := base64.StdEncoding.DecodeString(data)
	fields := map[string]string{}
	for _, kv := range strings.Split(string(b), "\x01") {
		if k, v, ok := strings.Cut(kv, "="); ok {
			fields[k] = v
		}
	}
	token, bearer := strings.CutPrefix(fields["auth"], "Bearer ")
	if err != nil || fields["user"] == "" || !bearer {
		c.reply("501 5.5.2 Cannot Decode response")
		return
	}
	reply := s.oauth(fields["user"], token)
	c.authd = strings.HasPrefix(reply, "235")
	c.reply(reply)
}

// prompt sends a 334 challenge and reads the base64 answer.
func (c *smtpSession) prompt(challenge string) (string, bool) {
	c.reply("334 " + challenge)
	line, err := c.readLine()
	if err != nil || line == "*" {
		return "", false
	}
	b, err := base64.StdEncoding.DecodeString(line)
	return string(b), err == nil
}

func (c *smtpSession) authLogin(initial string) (string, string, bool) {
	var user string
	var ok bool
	if initial != "" {
		b, err := base64.StdEncoding.DecodeString(initial)
		user, ok = string(b), err == nil
	} else {
		user, ok = c.prompt(base64.StdEncoding.EncodeToString([]byte("Username:")))
	}
	if !ok {
		return "", "", false
	}
	pass, ok := c.prompt(base64.StdEncoding.EncodeToString([]byte("Password:")))
	return user, pass, ok
}

func (c *smtpSession) authPlain(initial string) (string, string, bool) {
	data := initial
	if data == "" {
		c.reply("334 ")
		line, err := c.readLine()
		if err != nil {
			return "", "", false
		}
		data = line
	}
	b, err := base64.StdEncoding.DecodeString(data)
	if err != nil {
		return "", "", false
	}
	parts := strings.Split(string(b), "\x00")
	if len(parts) != 3 {
		return "", "", false
	}
	return parts[1], parts[2], true
}
