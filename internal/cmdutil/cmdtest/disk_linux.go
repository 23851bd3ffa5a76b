package cmdtest

import (
	"fmt"
	"os"
	"syscall"
	"testing"
)

// TinyDisk mounts a tmpfs of size bytes on a new temporary folder and
// returns the folder, for tests of a full disk. It skips the test where
// it cannot mount (not root, no tmpfs, a container without the right).
func TinyDisk(t testing.TB, size int) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "apppass-tinydisk-")
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mount("tmpfs", dir, "tmpfs", syscall.MS_NOSUID|syscall.MS_NODEV, fmt.Sprintf("size=%d,mode=0700", size)); err != nil {
		os.Remove(dir)
		t.Skipf("cannot mount a tiny tmpfs here: %v", err)
	}
	t.Cleanup(func() {
		syscall.Unmount(dir, syscall.MNT_DETACH)
		os.Remove(dir)
	})
	return dir
}

// Fill writes zeros into a file in dir until the disk is full, leaving
// room bytes free (a tmpfs counts whole pages, so room is approximate).
func Fill(t testing.TB, dir string, room int) {
	t.Helper()
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		t.Fatal(err)
	}
	free := int(st.Bavail) * int(st.Bsize)
	if free <= room {
		return
	}
	if err := os.WriteFile(dir+"/filler", make([]byte, free-room), 0o600); err != nil {
		t.Fatalf("filling the tiny disk: %v", err)
	}
}
