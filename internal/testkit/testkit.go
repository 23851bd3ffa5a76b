// Package testkit is what tests share so that none races a wall clock: how
// long a test may wait for a condition (as long as the test binary itself
// allows), simulated hangs ended on the simulator's signal instead of a
// time-out, and the switch that runs the exhaustive matrices. Tests only.
package testkit

import (
	"context"
	"os"
	"testing"
	"time"
)

// MatrixEnv is the environment variable that runs the exhaustive matrices
// (every scenario × every fault × every route): APPPASS_MATRIX=1.
const MatrixEnv = "APPPASS_MATRIX"

// Exhaustive reports whether the exhaustive matrices run. Without it a
// matrix test runs a representative slice, so the README's test command
// stays quick and still meets every kind of case.
func Exhaustive() bool { return os.Getenv(MatrixEnv) == "1" }

// noDeadline is the patience of a test binary run with -timeout 0.
const noDeadline = time.Hour

// deadliner is a *testing.T (benchmarks and fuzz targets have no deadline).
type deadliner interface{ Deadline() (time.Time, bool) }

// Patience is how long a test may wait for something to happen: until
// shortly before the test binary's own deadline, so that a loaded machine
// only makes a test slower, never makes it fail, while a test that truly
// hangs still fails with its own message rather than the binary's panic.
func Patience(tb testing.TB) time.Duration {
	d, ok := tb.(deadliner)
	if !ok {
		return noDeadline
	}
	deadline, ok := d.Deadline()
	if !ok {
		return noDeadline
	}
	left := time.Until(deadline)
	return left - left/10 // a tenth is left to report the failure
}

// Context is a context that ends with the test or at its Patience.
func Context(tb testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), Patience(tb))
	tb.Cleanup(cancel)
	return ctx
}
