// Package flow is the walk without a UI: the one sign-in driver and the
// one OAuth test, whose states the full screen draws and plain mode and the
// commands print. (A placeholder: issue 21a writes this file.)
package flow
