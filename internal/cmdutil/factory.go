// Package cmdutil holds what apppass's commands share: the Factory of
// dependencies main builds once, the I/O streams, the flag sets several
// commands take (cloud, tenant, client id; the demo's scenario and
// faults), --help, and the errors that choose an exit code. In the spirit
// of the GitHub CLI's package of the same name.
package cmdutil

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"time"

	"github.com/apppass/apppass/appdirs"
	"github.com/apppass/apppass/evidence"
	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/internal/prompt"
	"github.com/apppass/apppass/journal"
)

// Factory is built once by main and handed to every command: what a
// command would otherwise reach for itself (os.Stdout, the environment,
// time.Now, graphclient.New, the journal file, the browser), so that tests
// can hand in their own.
type Factory struct {
	// Version is the build's version (set with -ldflags "-X main.version=...").
	Version string
	// IO are the standard streams and whether they are terminals.
	IO *IOStreams
	// Config is what the environment says, read once.
	Config Config
	// Now is the clock of live runs (a demo runs on its simulator's clock).
	Now func() time.Time
	// NewClient builds a Graph client: the live and the demo sign-in alike.
	NewClient func(graphclient.Config) (*graphclient.Client, error)
	// Journal opens the live journal of a cloud (environment is its name).
	Journal func(environment string) (*journal.File, error)
	// Browser opens a URL: $BROWSER, else the platform's opener.
	Browser func(url string) error
	// Export writes a report file and says where.
	Export func(name string, data []byte) (string, error)
	// DemoClock, when set, gives the clock a demo runs on from the
	// scenario's start (nil: the scenario's date plus real time). Tests set
	// it with Wait, which then moves that clock instead of waiting.
	DemoClock func(start time.Time) func() time.Time
	// Wait paces a watch of the sign-in log (nil: the real clock).
	Wait evidence.Wait
}

// Config is what the environment says about how apppass may draw.
type Config struct {
	// NoColor is set by NO_COLOR.
	NoColor bool
	// Dumb is TERM=dumb: a terminal that cannot take the full screen.
	Dumb bool
	// Browser is $BROWSER, the command that opens a page ("": the platform's).
	Browser string
	// NoBrowser says why no browser can open here ("" when one can).
	NoBrowser string
}

// New builds the Factory of a real run on the given streams.
func New(version string, streams *IOStreams) *Factory {
	f := &Factory{
		Version: version,
		IO:      streams,
		Config: Config{NoColor: os.Getenv("NO_COLOR") != "", Dumb: os.Getenv("TERM") == "dumb",
			Browser: os.Getenv("BROWSER"), NoBrowser: noBrowser(os.Getenv, runtime.GOOS)},
		Now:       time.Now,
		NewClient: graphclient.New,
		Browser:   browserOpener(os.Getenv("BROWSER")),
		Export:    ExportToWorkingDir,
	}
	f.Journal = func(environment string) (*journal.File, error) { return openJournal(environment, f.Now) }
	return f
}

// Prompter asks plain questions on the factory's streams until ctx ends.
func (f *Factory) Prompter(ctx context.Context) *prompt.Prompter {
	return prompt.New(ctx, f.IO.In, f.IO.ErrOut)
}

// openJournal opens the live journal of a cloud in the platform's state
// folder (journal.PathIn).
func openJournal(environment string, now func() time.Time) (*journal.File, error) {
	path, err := journal.PathIn(appdirs.System(), environment)
	if err != nil {
		return nil, fmt.Errorf("no folder for the journal: %w", err)
	}
	return journal.Open(path, now)
}
