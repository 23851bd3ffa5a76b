//go:build !linux

package cmdtest

import "testing"

// TinyDisk mounts a tiny filesystem on Linux; elsewhere the test skips.
func TinyDisk(t testing.TB, size int) string {
	t.Helper()
	t.Skip("a tiny filesystem is mounted on Linux only")
	return ""
}

// Fill fills the tiny disk; TinyDisk skipped before it can be called here.
func Fill(t testing.TB, dir string, room int) { t.Helper() }
