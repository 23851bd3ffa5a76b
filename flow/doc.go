// Package flow is the wizard without its drawing: the session, the table
// of stages (screens), each stage's decision, the one sign-in driver and
// the one OAuth test, and the one record of what happened, from which every
// ending is derived — the summary, the exported reports, the note for an
// admin and the undo list.
//
// Both front ends walk it: the full-screen steps draw its states with
// Bubble Tea, and plain mode (wizard.RunPlain) and the commands without a
// screen print the same states as lines. flow imports no UI package
// (architecture_test.go enforces it).
//
// The one record is the run's journal: every change to the tenant goes
// through the session's Log, which passes it to the journal and keeps it.
// Nothing keeps a tally of changes beside it.
package flow
