package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/simcloud"
	"github.com/apppass/apppass/termsafe"
)

func listScenarios(w io.Writer) error {
	all, err := simcloud.Scenarios()
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tAS OF\tDESCRIPTION")
	for _, sc := range all {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", termsafe.Clean(sc.Name), sc.AsOf, termsafe.Clean(sc.Description))
	}
	return tw.Flush()
}

// logout removes the cached accounts of one cloud; the file stays for others.
func logout(ctx context.Context, args []string, w io.Writer) error {
	fs := flag.NewFlagSet("logout", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	cloudName := fs.String("cloud", "global", "the Microsoft cloud")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("logout: %w", err)
	}
	cloud, err := graphclient.CloudByName(*cloudName)
	if err != nil {
		return err
	}
	path, err := graphclient.DefaultCachePath(cloud.Name)
	if err != nil {
		return err
	}
	client, err := graphclient.New(graphclient.Config{Cloud: cloud, CachePath: path})
	if err != nil {
		return err
	}
	if err := client.SignOut(ctx); err != nil {
		return err
	}
	fmt.Fprintf(w, "Signed out of %s: the token cache %s holds no account of this cloud.\n", cloud.Description, path)
	return nil
}
