// Package prompt asks a command's plain questions: secrets without echo on
// a terminal, lines from a pipe, and ctrl+c ending any question at once.
package prompt

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/charmbracelet/x/term"
)

// Prompter asks questions on stderr: secrets without echo on a terminal,
// one line at a time from a pipe (for scripts). What it reads is never
// written anywhere. Cancelling its context (ctrl+c) ends any question at
// once, with the terminal's echo restored.
type Prompter struct {
	ctx    context.Context
	in     io.Reader
	lines  *bufio.Reader
	stderr io.Writer
}

// New returns a Prompter reading in and asking on stderr until ctx ends.
func New(ctx context.Context, in io.Reader, stderr io.Writer) *Prompter {
	return &Prompter{ctx: ctx, in: in, lines: bufio.NewReader(in), stderr: stderr}
}

// Secret asks for one secret; an empty answer means skip.
func (p *Prompter) Secret(question string) (string, error) {
	fmt.Fprint(p.stderr, question)
	if f, ok := p.in.(*os.File); ok && term.IsTerminal(f.Fd()) {
		state, err := term.GetState(f.Fd())
		if err != nil {
			return "", err
		}
		// ReadPassword turns echo off; if ctrl+c ends the question first,
		// echo must come back before apppass exits.
		defer term.Restore(f.Fd(), state)
		answer, err := p.wait(func() (string, error) {
			b, err := term.ReadPassword(f.Fd())
			return string(b), err
		})
		fmt.Fprintln(p.stderr)
		return answer, err
	}
	line, err := p.wait(p.readLine)
	return strings.TrimRight(line, "\r\n"), err
}

// Line asks an ordinary question and returns the answer without its newline.
func (p *Prompter) Line(question string) (string, error) {
	fmt.Fprint(p.stderr, question)
	line, err := p.wait(p.readLine)
	return strings.TrimSpace(line), err
}

// MaxAnswer bounds one answer read from a pipe: a UPN, a password or a
// yes. Past it apppass stops reading (stdin might be /dev/zero).
const MaxAnswer = 4 << 10

// ErrTooLong is an answer longer than MaxAnswer.
var ErrTooLong = fmt.Errorf("an answer longer than %d bytes is not an answer; apppass stopped reading it", MaxAnswer)

func (p *Prompter) readLine() (string, error) {
	var line []byte
	for {
		chunk, err := p.lines.ReadSlice('\n')
		line = append(line, chunk...)
		if len(line) > MaxAnswer {
			return "", ErrTooLong
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil && len(line) > 0 {
			err = nil // a last line without its newline still counts
		}
		return string(line), err
	}
}

// wait runs a blocking read, returning early when the context ends. The
// abandoned read can only finish into a channel nobody reads: the command
// is ending, and a cancelled prompter starts no other read.
func (p *Prompter) wait(read func() (string, error)) (string, error) {
	if err := p.ctx.Err(); err != nil {
		return "", err // never a second read beside an abandoned one
	}
	type answer struct {
		text string
		err  error
	}
	done := make(chan answer, 1)
	go func() {
		text, err := read()
		done <- answer{text, err}
	}()
	select {
	case a := <-done:
		return a.text, a.err
	case <-p.ctx.Done():
		fmt.Fprintln(p.stderr)
		return "", p.ctx.Err()
	}
}
