package simcloud

import "fmt"

// The simulated person at the browser: who approves a device code and, when
// Options.SignInAtOnce is set, who the authorize page signs in without a
// form. It starts as the scenario's admin; the demo makes it the account
// owner for the end-user path.

// SetPerson makes the account with this UPN the person at the browser.
func (s *Server) SetPerson(upn string) error {
	s.dir.mu.Lock()
	u := s.dir.byUPN(upn)
	s.dir.mu.Unlock()
	if u == nil {
		return fmt.Errorf("simcloud: no account %q in scenario %s", upn, s.scenario.Name)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.person = u.UserPrincipalName
	return nil
}

// Person is the UPN of the person at the browser.
func (s *Server) Person() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.person == "" {
		return s.scenario.Admin
	}
	return s.person
}
