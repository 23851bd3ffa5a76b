// Package logoutcmd is `apppass logout`: it removes apppass's cached
// sign-in for one cloud.
package logoutcmd

import (
	"context"
	"fmt"
	"os"
	"runtime"

	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/internal/cmdutil"
)

// Usage are the command's usage lines.
const Usage = `  apppass logout [--cloud C] remove apppass's cached sign-in for a cloud
`

// Run removes the cached accounts of one cloud; the file stays for others.
func Run(ctx context.Context, f *cmdutil.Factory, args []string) error {
	fs := cmdutil.NewFlagSet("logout")
	cloudName := fs.String("cloud", "global", "the Microsoft cloud `CLOUD`: global, gcc-high, dod or china")
	if err := cmdutil.Parse(fs, Usage, args, f.IO.Out); err != nil {
		return err
	}
	cloud, err := graphclient.CloudByName(*cloudName)
	if err != nil {
		return err
	}
	path, err := graphclient.DefaultCachePath(cloud.Name)
	if err != nil {
		return err
	}
	client, err := f.NewClient(graphclient.Config{Cloud: cloud, CachePath: path})
	if err != nil {
		return err
	}
	if err := client.SignOut(ctx); err != nil {
		return err
	}
	// Say only what is true: a cache someone else can read is an error.
	if info, err := os.Stat(path); err == nil && runtime.GOOS != "windows" && info.Mode().Perm()&0o077 != 0 {
		return fmt.Errorf("the token cache %s is readable by others (mode %v); make it private with chmod 600 or remove it", path, info.Mode().Perm())
	}
	fmt.Fprintf(f.IO.Out, "Signed out of %s: the token cache %s holds no account of this cloud.\n%s\n",
		cloud.Description, path, graphclient.CacheProtection())
	return nil
}
