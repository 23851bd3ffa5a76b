package cmdutil

import (
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"

	"github.com/pkg/browser"
)

// SignInFlags choose how to sign in: in the browser (the default, like
// Microsoft's own tools) or, with --device-code, with a code entered on any
// device.
type SignInFlags struct {
	DeviceCode bool
}

// Register adds --device-code to fs.
func (f *SignInFlags) Register(fs *flag.FlagSet) {
	fs.BoolVar(&f.DeviceCode, "device-code", false, "sign in with a code entered on any device instead of the browser (for a machine without one)")
}

// DeviceCodeWhy says why the sign-in uses a device code rather than the
// browser, or "" for the browser. A demo passes noBrowser "": its browser
// is the simulated person's.
func (f SignInFlags) DeviceCodeWhy(noBrowser string) string {
	if f.DeviceCode {
		return "--device-code asked for it"
	}
	return noBrowser
}

// noBrowser says why no browser can open on this machine, or "" when one
// can: $BROWSER names one; over SSH a browser would open on the far
// machine, whose loopback address is not this one; and Linux and the BSDs
// need a graphical display.
func noBrowser(getenv func(string) string, goos string) string {
	switch {
	case getenv("BROWSER") != "":
		return ""
	case getenv("SSH_CONNECTION") != "" || getenv("SSH_TTY") != "":
		return "this is an SSH session, and the browser's answer must reach this machine"
	case goos == "windows" || goos == "darwin":
		return ""
	case getenv("DISPLAY") == "" && getenv("WAYLAND_DISPLAY") == "":
		return "there is no graphical display here (DISPLAY and WAYLAND_DISPLAY are unset) to open a browser on"
	}
	return ""
}

// browserOpener opens a URL the way the GitHub CLI does: with the command
// in $BROWSER (its words, then the URL) when set, else the platform's
// opener. A $BROWSER that names an existing file is one word, spaces and
// all (C:\Program Files\...). The browser's chatter never reaches the screen.
func browserOpener(command string) func(url string) error {
	words := strings.Fields(command)
	if _, err := os.Stat(command); err == nil {
		words = []string{command}
	}
	if len(words) == 0 {
		return func(url string) error {
			browser.Stdout, browser.Stderr = io.Discard, io.Discard
			return browser.OpenURL(url)
		}
	}
	return func(url string) error {
		cmd := exec.Command(words[0], append(words[1:], url)...)
		if err := cmd.Start(); err != nil {
			return fmt.Errorf("$BROWSER (%s) did not start: %w", words[0], err)
		}
		go cmd.Wait() // reap it; a browser may stay open for long
		return nil
	}
}
