package scancmd

import (
	"context"
	"errors"

	tea "charm.land/bubbletea/v2"

	"github.com/apppass/apppass/internal/cmdutil"
	"github.com/apppass/apppass/scan"
	"github.com/apppass/apppass/scanview"
)

// runScreen is the full-screen table; ctrl+c or q quits and restores the
// terminal. Like the printed forms, it exits 3 when a verdict is unknown.
func runScreen(ctx context.Context, f *cmdutil.Factory, g scan.Graph, opts scan.Options, banner string) error {
	m := scanview.New(scanview.Options{Context: ctx, Graph: g, Scan: opts, Export: f.Export, NoColor: f.Config.NoColor, Banner: banner})
	p := tea.NewProgram(m, tea.WithContext(ctx), tea.WithInput(f.IO.In), tea.WithOutput(f.IO.Out))
	_, err := p.Run()
	switch {
	case errors.Is(err, tea.ErrInterrupted) || errors.Is(err, tea.ErrProgramKilled):
		return context.Canceled
	case err != nil:
		return err
	case m.Err() != nil:
		return m.Err()
	case m.Result() != nil && m.Result().Unknown() > 0:
		return cmdutil.ErrVerdictUnknown
	}
	return nil
}
