package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"
)

// watchedWriter tells when a text has been written (a prompt shown).
type watchedWriter struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	text  string
	shown chan struct{}
}

func watchFor(text string) *watchedWriter {
	return &watchedWriter{text: text, shown: make(chan struct{})}
}

func (w *watchedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	had := strings.Contains(w.buf.String(), w.text)
	w.buf.Write(p)
	if !had && strings.Contains(w.buf.String(), w.text) {
		close(w.shown)
	}
	return len(p), nil
}

// runCancelledAt runs a command whose stdin never answers and presses
// ctrl+c (cancels the context) once the prompt is shown.
func runCancelledAt(t *testing.T, prompt string, args ...string) (int, string) {
	t.Helper()
	isolate(t)
	stdin, w := io.Pipe()
	defer w.Close()
	stderr := watchFor(prompt)
	var stdout bytes.Buffer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { <-stderr.shown; cancel() }()
	code := run(ctx, args, stdin, &stdout, stderr)
	return code, stdout.String()
}

func TestCtrlCAtEveryPrompt(t *testing.T) {
	cases := map[string]struct {
		prompt string
		args   []string
	}{
		"--test-smtp":      {"to test against SMTP AUTH", []string{"diagnose", "--demo", "--test-smtp"}},
		"--check-password": {"Regular password of", []string{"diagnose", "--demo", "--check-password"}},
		"--accessible":     {"Account the app signs in as", []string{"demo", "--accessible"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			code, out := runCancelledAt(t, tc.prompt, tc.args...)
			if code != exitCancelled || out != "" {
				t.Fatalf("exit %d, stdout %q; want exit %d and no report", code, out, exitCancelled)
			}
		})
	}
}

func TestPrompterReturnsOnCancel(t *testing.T) {
	stdin, w := io.Pipe()
	defer w.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	p := newPrompter(ctx, stdin, io.Discard)
	if _, err := p.line("? "); !errors.Is(err, context.Canceled) {
		t.Fatalf("line: %v", err)
	}
	if _, err := p.secret("? "); !errors.Is(err, context.Canceled) {
		t.Fatalf("secret: %v", err)
	}
}
