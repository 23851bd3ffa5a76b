package prompt

import (
	"context"
	"errors"
	"io"
	"strings"
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

// Issue 22, case 7: `diagnose --test-smtp </dev/zero` and
// `demo --accessible </dev/zero` read without end. An answer stops at
// MaxAnswer bytes, with a clear error, having read little more.
func TestAnswersAreBounded(t *testing.T) {
	zero := &countingZero{}
	p := New(context.Background(), zero, io.Discard)
	for _, ask := range []func(string) (string, error){p.Line, p.Secret} {
		if _, err := ask("? "); !errors.Is(err, ErrTooLong) {
			t.Fatalf("an endless answer: %v", err)
		}
	}
	if zero.n > 4*MaxAnswer {
		t.Fatalf("read %d bytes for two answers", zero.n)
	}
	long := strings.Repeat("a", MaxAnswer-1) + "\n"
	if got, err := New(context.Background(), strings.NewReader(long), io.Discard).Line("? "); err != nil || len(got) != MaxAnswer-1 {
		t.Fatalf("an answer just under the bound: %d bytes, %v", len(got), err)
	}
}

// countingZero is /dev/zero that counts what was read.
type countingZero struct{ n int }

func (z *countingZero) Read(b []byte) (int, error) {
	clear(b)
	z.n += len(b)
	return len(b), nil
}
