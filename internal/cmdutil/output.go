package cmdutil

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/apppass/apppass/demo"
	"github.com/apppass/apppass/termsafe"
)

// FormatFlags are a command's output flags (--json, --csv, ...), of which
// one may be given.
type FormatFlags struct {
	names  []string
	chosen map[string]*bool
}

// Register adds one boolean flag per format, each with its usage, in order.
func (f *FormatFlags) Register(fs *flag.FlagSet, formats ...[2]string) {
	f.chosen = map[string]*bool{}
	for _, nf := range formats {
		f.names = append(f.names, nf[0])
		f.chosen[nf[0]] = fs.Bool(nf[0], false, nf[1])
	}
}

// Chosen is the format given ("" for none), or an error naming the
// formats given together.
func (f FormatFlags) Chosen(command string) (string, error) {
	var given []string
	chosen := ""
	for _, name := range f.names {
		if *f.chosen[name] {
			chosen = name
			given = append(given, "--"+name)
		}
	}
	if len(given) > 1 {
		return "", fmt.Errorf("%s: give one output format, not %s", command, strings.Join(given, " with "))
	}
	return chosen, nil
}

// StartDemo loads the demo flags' scenario (defaultName when they name
// none), starts the simulated cloud with their faults, its person at the
// browser signing in after approveAfter, and says so on stderr. The caller
// closes the cloud.
func (f *Factory) StartDemo(ctx context.Context, flags DemoFlags, defaultName string, approveAfter time.Duration) (*demo.Cloud, error) {
	name := flags.Scenario
	if name == "" && flags.ScenarioFile == "" {
		name = defaultName
	}
	sc, err := demo.Load(ctx, name, flags.ScenarioFile)
	if err != nil {
		return nil, err
	}
	faults, err := demo.ParseFaults(flags.Faults)
	if err != nil {
		return nil, err
	}
	opts := demo.Options{ApproveAfter: approveAfter, RetryAfter: 1, Faults: faults}
	if f.DemoClock != nil {
		opts.Clock = f.DemoClock(sc.AsOfTime())
	}
	cloud, err := demo.Start(sc, opts)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(f.IO.ErrOut, "DEMO: simulated tenant %s (%s), as of %s\n", termsafe.Clean(sc.Name), termsafe.Clean(sc.Tenant.DisplayName), sc.AsOf)
	return cloud, nil
}
