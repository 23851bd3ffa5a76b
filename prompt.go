package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/charmbracelet/x/term"
)

// prompter asks for secrets: without echo on a terminal, one line at a time
// from a pipe (for scripts). What it reads is never written anywhere.
type prompter struct {
	in     io.Reader
	lines  *bufio.Reader
	stderr io.Writer
}

func newPrompter(in io.Reader, stderr io.Writer) *prompter {
	return &prompter{in: in, lines: bufio.NewReader(in), stderr: stderr}
}

// secret asks for one secret; an empty answer means skip.
func (p *prompter) secret(question string) (string, error) {
	fmt.Fprint(p.stderr, question)
	if f, ok := p.in.(*os.File); ok && term.IsTerminal(f.Fd()) {
		b, err := term.ReadPassword(f.Fd())
		fmt.Fprintln(p.stderr)
		return string(b), err
	}
	line, err := p.lines.ReadString('\n')
	if err != nil && line == "" {
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// line asks an ordinary question and returns the answer without its newline.
func (p *prompter) line(question string) (string, error) {
	fmt.Fprint(p.stderr, question)
	line, err := p.lines.ReadString('\n')
	if err != nil && line == "" {
		return "", err
	}
	return strings.TrimSpace(line), nil
}
