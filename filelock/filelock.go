// Package filelock holds an exclusive lock on a lock file between
// processes, so two apppass runs never interleave a journal record or drop
// each other's refresh token: flock on Linux and macOS, LockFileEx on
// Windows. The lock goes with the process: a run killed while holding it
// leaves nothing stale behind. It imports nothing of ours.
package filelock

import (
	"fmt"
	"os"
)

// Lock is a held lock; Unlock releases it.
type Lock struct {
	f *os.File
}

// Acquire waits for and takes the exclusive lock on the file at path
// (created 0600 if missing). The file itself holds nothing.
func Acquire(path string) (*Lock, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("the lock file: %w", err)
	}
	if err := lock(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("locking %s: %w", path, err)
	}
	return &Lock{f: f}, nil
}

// Unlock releases the lock.
func (l *Lock) Unlock() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := unlock(l.f)
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	l.f = nil
	return err
}

// TryAcquire takes the lock if no one holds it, and reports false (with no
// error) if another holder has it.
func TryAcquire(path string) (*Lock, bool, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, false, fmt.Errorf("the lock file: %w", err)
	}
	held, err := tryLock(f)
	if err != nil || !held {
		f.Close()
		return nil, false, err
	}
	return &Lock{f: f}, true, nil
}
