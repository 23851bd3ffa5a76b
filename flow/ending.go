package flow

import "errors"

// ErrChangeUnsure ends a run in which a change was sent and its outcome
// could not be read (exit 3): the journal holds it as unknown, and apppass
// reads it again at its next start.
var ErrChangeUnsure = errors.New("a change was sent but its outcome is unknown: apppass reads it again at its next start (see the summary)")

// ErrChangeFailed ends a run in which a change was tried and did not land
// (exit 1): the summary lists it under "Tried, failed".
var ErrChangeFailed = errors.New("a change did not land: see \"Tried, failed\" in the summary")

// Ending is the run's exit status, from the record alone: a change of
// unknown outcome first, then one that failed; nil when every change tried
// landed or was declined.
func (s *Session) Ending() error {
	switch {
	case len(s.Unsure()) > 0:
		return ErrChangeUnsure
	case len(s.Failed()) > 0:
		return ErrChangeFailed
	}
	return nil
}
