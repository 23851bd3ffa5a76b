package simcloud

// NotifyHangs calls fn, with the request's client-request-id header, each
// time a hang fault starts holding a request. A hang answers nothing until
// the client gives up; tests make the client give up on this signal rather
// than on a clock, so a loaded machine cannot turn a slow answer into a hang.
func (s *Server) NotifyHangs(fn func(clientRequestID string)) {
	s.hangs.Store(&fn)
}
