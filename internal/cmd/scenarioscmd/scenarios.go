// Package scenarioscmd is `apppass scenarios`: the demo's simulated
// tenants, one a line.
package scenarioscmd

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/apppass/apppass/demo"
	"github.com/apppass/apppass/internal/cmdutil"
	"github.com/apppass/apppass/termsafe"
)

// Usage are the command's usage lines.
const Usage = `  apppass scenarios          list the demo's simulated tenants
`

// Run lists the shipped scenarios.
func Run(_ context.Context, f *cmdutil.Factory, args []string) error {
	if err := cmdutil.Parse(cmdutil.NewFlagSet("scenarios"), Usage, args, f.IO.Out); err != nil {
		return err
	}
	all, err := demo.Scenarios()
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(f.IO.Out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tAS OF\tDESCRIPTION")
	for _, sc := range all {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", termsafe.Clean(sc.Name), sc.AsOf, termsafe.Clean(sc.Description))
	}
	return tw.Flush()
}
