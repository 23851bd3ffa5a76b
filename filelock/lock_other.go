//go:build !unix && !windows

package filelock

import "os"

// Systems with neither flock nor LockFileEx (wasm, plan9) run one apppass
// at a time; the lock is the in-process one callers already hold.
func lock(*os.File) error   { return nil }
func unlock(*os.File) error { return nil }

func tryLock(*os.File) (bool, error) { return true, nil }
