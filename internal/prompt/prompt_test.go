package prompt

import (
	"context"
	"errors"
	"io"
	"testing"
)

func TestPrompterReturnsOnCancel(t *testing.T) {
	stdin, w := io.Pipe()
	defer w.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	p := New(ctx, stdin, io.Discard)
	if _, err := p.Line("? "); !errors.Is(err, context.Canceled) {
		t.Fatalf("line: %v", err)
	}
	if _, err := p.Secret("? "); !errors.Is(err, context.Canceled) {
		t.Fatalf("secret: %v", err)
	}
}
