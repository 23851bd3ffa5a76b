package cmdutil

import (
	"io"
	"os"

	"github.com/charmbracelet/x/term"
)

// IOStreams are a command's standard streams and whether they are
// terminals, found once: the wizard takes the full screen only when both
// stdin and stdout are.
type IOStreams struct {
	In          io.Reader
	Out, ErrOut io.Writer
	InTTY       bool // In is a terminal
	OutTTY      bool // Out is a terminal
}

// Streams wraps the given streams; those that are terminal files count as
// terminals, anything else (a pipe, a buffer in a test) does not.
func Streams(in io.Reader, out, errOut io.Writer) *IOStreams {
	return &IOStreams{In: in, Out: out, ErrOut: errOut, InTTY: isTerminal(in), OutTTY: isTerminal(out)}
}

// System is the process's own stdin, stdout and stderr.
func System() *IOStreams { return Streams(os.Stdin, os.Stdout, os.Stderr) }

func isTerminal(f any) bool {
	file, ok := f.(*os.File)
	return ok && term.IsTerminal(file.Fd())
}
