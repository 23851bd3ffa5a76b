package steps

import (
	"github.com/apppass/apppass/flow"
)

// Screen is one row of flow's stage table with the view that draws it.
type Screen struct {
	flow.Screen
	New func(*Common) Step
}

// view is how each stage of flow's table is drawn: a new stage is a row
// in flow.Screens, its decision in flow, and its view here. (A switch, not
// a map: the summary's view reads the table.)
func view(id ID) func(*Common) Step {
	switch id {
	case IDWelcome:
		return NewWelcome
	case IDSignIn:
		return NewSignIn
	case IDConnection:
		return NewConnection
	case IDDiagnosis:
		return NewDiagnosis
	case IDEnableSMTPAuth:
		return NewEnableSMTPAuth
	case IDAllow:
		return NewAllowAppPasswords
	case IDEnable:
		return NewEnableMFA
	case IDEnforce:
		return NewEnforceMFA
	case IDSignOut:
		return NewSignOut
	case IDCreate:
		return NewCreateAppPassword
	case IDReEnable:
		return NewReEnable
	case IDTest:
		return NewTestAppPassword
	case IDTestOAuth:
		return NewTestOAuth
	case IDWaitApp:
		return NewWaitForApp
	case IDSummary:
		return NewSummary
	}
	return nil
}

// Screens is every screen after the demo's picker, in flow order.
func Screens() []Screen {
	var out []Screen
	for _, sc := range flow.Screens() {
		out = append(out, Screen{Screen: sc, New: view(sc.ID)})
	}
	return out
}

// ScreenByID finds a screen's row.
func ScreenByID(id ID) (Screen, bool) {
	sc, ok := flow.ScreenByID(id)
	return Screen{Screen: sc, New: view(id)}, ok
}
