// Package versioncmd is `apppass version` (and `apppass --version`).
package versioncmd

import (
	"context"
	"fmt"

	"github.com/apppass/apppass/internal/cmdutil"
)

// Usage are the command's usage lines.
const Usage = `  apppass version            print the version (also: apppass --version)
`

// Run prints the build's version.
func Run(_ context.Context, f *cmdutil.Factory, args []string) error {
	if err := cmdutil.Parse(cmdutil.NewFlagSet("version"), Usage, args, f.IO.Out); err != nil {
		return err
	}
	_, err := fmt.Fprintln(f.IO.Out, "apppass", f.Version)
	return err
}
