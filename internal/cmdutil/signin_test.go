package cmdutil

import (
	"strings"
	"testing"
)

// A browser opens where there is one: $BROWSER, a desktop (Windows and
// macOS always), a Linux display; over SSH or without a display a device
// code is used, and the reason is said.
func TestNoBrowser(t *testing.T) {
	cases := []struct {
		env  map[string]string
		goos string
		want string // a word of the reason, or "" for a browser
	}{
		{map[string]string{"DISPLAY": ":0"}, "linux", ""},
		{map[string]string{"WAYLAND_DISPLAY": "wayland-0"}, "linux", ""},
		{map[string]string{}, "linux", "no graphical display"},
		{map[string]string{}, "freebsd", "no graphical display"},
		{map[string]string{}, "darwin", ""},
		{map[string]string{}, "windows", ""},
		{map[string]string{"SSH_CONNECTION": "10.0.0.1 5000 10.0.0.2 22", "DISPLAY": ":0"}, "linux", "SSH"},
		{map[string]string{"SSH_TTY": "/dev/pts/1"}, "darwin", "SSH"},
		{map[string]string{"SSH_TTY": "/dev/pts/1", "BROWSER": "w3m"}, "linux", ""},
	}
	for _, tc := range cases {
		got := noBrowser(func(k string) string { return tc.env[k] }, tc.goos)
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("%s %v: %q, want %q", tc.goos, tc.env, got, tc.want)
		}
	}
	if why := (SignInFlags{DeviceCode: true}).DeviceCodeWhy(""); !strings.Contains(why, "--device-code") {
		t.Errorf("--device-code: %q", why)
	}
	if why := (SignInFlags{}).DeviceCodeWhy("no display"); why != "no display" {
		t.Errorf("no browser: %q", why)
	}
}
