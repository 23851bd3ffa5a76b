package filelock

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/apppass/apppass/internal/tempdir"
)

// One holder at a time, within a process and between processes; the lock
// goes when its holder releases it or dies.
func TestOneHolderAtATime(t *testing.T) {
	if runtime.GOOS != "linux" && runtime.GOOS != "darwin" && runtime.GOOS != "windows" {
		t.Skip("no file locks on " + runtime.GOOS)
	}
	path := filepath.Join(tempdir.New(t), "journal.lock")
	a, err := Acquire(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, held, err := TryAcquire(path); held || err != nil {
		t.Fatalf("a second holder got the lock (%v, %v)", held, err)
	}
	if err := a.Unlock(); err != nil {
		t.Fatal(err)
	}
	b, held, err := TryAcquire(path)
	if !held || err != nil {
		t.Fatalf("the lock was not released (%v, %v)", held, err)
	}
	b.Unlock()
	if info, err := os.Stat(path); err != nil || (runtime.GOOS != "windows" && info.Mode().Perm() != 0o600) {
		t.Fatalf("lock file: %v, %v", info, err)
	}
}

// A process killed while holding the lock leaves none behind: the child
// takes the lock and is killed; the parent then gets it.
func TestLockDiesWithItsHolder(t *testing.T) {
	if os.Getenv("FILELOCK_CHILD") != "" {
		if _, err := Acquire(os.Getenv("FILELOCK_CHILD")); err != nil {
			os.Exit(2)
		}
		os.Stdout.Write([]byte("held\n"))
		select {} // wait to be killed
	}
	if runtime.GOOS != "linux" && runtime.GOOS != "darwin" {
		t.Skip("the child process test runs on Linux and macOS")
	}
	path := filepath.Join(tempdir.New(t), "journal.lock")
	cmd := exec.Command(os.Args[0], "-test.run=^TestLockDiesWithItsHolder$")
	cmd.Env = append(os.Environ(), "FILELOCK_CHILD="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 5)
	if _, err := out.Read(buf); err != nil || string(buf) != "held\n" {
		t.Fatalf("the child did not take the lock: %q %v", buf, err)
	}
	if _, held, _ := TryAcquire(path); held {
		t.Fatal("the lock was free while the child held it")
	}
	cmd.Process.Kill()
	cmd.Wait()
	l, held, err := TryAcquire(path)
	if !held || err != nil {
		t.Fatalf("the dead child's lock is still held (%v, %v)", held, err)
	}
	l.Unlock()
}
