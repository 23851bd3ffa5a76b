//go:build linux || darwin

package journal

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/apppass/apppass/internal/tempdir"
)

// crashPoints are where a run can die while journaling a change: before a
// record's first byte, halfway through its bytes, after its bytes but
// before fsync, and after the record is on disk.
var crashPoints = []string{"before", "halfway", "unsynced", "synced"}

// TestCrashChild is the child process of TestKilledAtEveryWritePoint: it
// begins and finishes one change and kills itself (SIGKILL, as kill -9)
// at the point JOURNAL_CRASH names, in the record it names (1: Begin,
// 2: Finish).
func TestCrashChild(t *testing.T) {
	spec := os.Getenv("JOURNAL_CRASH")
	if spec == "" {
		t.Skip("the child of TestKilledAtEveryWritePoint")
	}
	parts := strings.SplitN(spec, ":", 3) // record:point:path
	record, _ := strconv.Atoi(parts[0])
	point, path := parts[1], parts[2]
	die := func() { syscall.Kill(os.Getpid(), syscall.SIGKILL); select {} }
	n := 0
	writeRecord = func(f *os.File, b []byte) error {
		n++
		if n != record {
			_, err := f.Write(b)
			return err
		}
		switch point {
		case "before":
			die()
		case "halfway":
			f.Write(b[:len(b)/2])
			die()
		}
		_, err := f.Write(b)
		if point == "unsynced" {
			die()
		}
		return err
	}
	j, err := Open(path, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	id, err := j.Begin(Change{Account: "child@contoso.com", Kind: PerUserMFA, Before: "enabled", After: "enforced"})
	if err != nil {
		t.Fatal(err)
	}
	if record == 1 {
		die()
	}
	j.Finish(Change{ID: id, Account: "child@contoso.com", Kind: PerUserMFA, Before: "enabled", After: "enforced", Outcome: Done})
	die()
}

// A run killed at any point of writing either record of a change: the
// next run's records are never lost, the child's change is listed exactly
// when its outcome is not known, and a torn line is reported.
func TestKilledAtEveryWritePoint(t *testing.T) {
	for record := 1; record <= 2; record++ {
		for _, point := range crashPoints {
			t.Run(fmt.Sprintf("record %d %s", record, point), func(t *testing.T) {
				path := filepath.Join(tempdir.New(t), "journal.jsonl")
				cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$")
				cmd.Env = append(os.Environ(), fmt.Sprintf("JOURNAL_CRASH=%d:%s:%s", record, point, path))
				err := cmd.Run()
				var exit *exec.ExitError
				if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
					t.Fatalf("the child was not killed: %v", err)
				}
				j, _ := Open(path, time.Now)
				next, err := j.Begin(Change{Account: "next@contoso.com", Kind: PerUserMFA, Before: "disabled", After: "enabled"})
				if err != nil {
					t.Fatal(err)
				}
				left, err := j.Unfinished()
				var accounts []string
				for _, c := range left {
					accounts = append(accounts, c.Account)
				}
				// The child's change is unknown once its Begin is on disk
				// and its Finish is not.
				childBegun := record == 2 || point == "unsynced" || point == "synced"
				childDone := record == 2 && (point == "unsynced" || point == "synced")
				want := []string{"next@contoso.com"}
				if childBegun && !childDone {
					want = []string{"child@contoso.com", "next@contoso.com"}
				}
				if strings.Join(accounts, " ") != strings.Join(want, " ") || left[len(left)-1].ID != next {
					t.Fatalf("unfinished %v, want %v", accounts, want)
				}
				var damaged *DamagedError
				if torn := point == "halfway"; torn != errors.As(err, &damaged) {
					t.Fatalf("torn line reported: %v, want %v", err, torn)
				}
			})
		}
	}
}
