package simcloud

import (
	"encoding/json"
	"net/http"
)

func (s *Server) patchRequirements(req *graphRequest) graphResponse {
	var body struct {
		PerUserMFAState *string `json:"perUserMfaState"`
	}
	if err := json.Unmarshal(req.body, &body); err != nil || body.PerUserMFAState == nil {
		return s.graphError(http.StatusBadRequest, "Request_BadRequest", "Invalid request body: expected {\"perUserMfaState\": \"disabled|enabled|enforced\"}.")
	}
	switch *body.PerUserMFAState {
	case MFADisabled, MFAEnabled, MFAEnforced:
	default:
		return s.graphError(http.StatusBadRequest, "Request_BadRequest", "Requested value '"+*body.PerUserMFAState+"' is not a valid perUserMfaState.")
	}
	u, unlock := s.target(req)
	defer unlock()
	if u == nil {
		return s.notFound(req.params["id"])
	}
	u.setMFAState(*body.PerUserMFAState)
	return graphResponse{status: http.StatusNoContent}
}

func (s *Server) revokeSessions(req *graphRequest) graphResponse {
	u, unlock := s.target(req)
	defer unlock()
	if u == nil {
		return s.notFound(req.params["id"])
	}
	now := s.Now()
	u.sessionsValidFrom = now
	u.revokedBefore = now
	return graphResponse{status: http.StatusOK, body: map[string]any{
		"@odata.context": s.context(req, "Edm.Boolean"),
		"value":          true,
	}}
}

// toMap turns a struct into the JSON object Graph would send.
func toMap(v any) map[string]any {
	b, _ := json.Marshal(v)
	var m map[string]any
	json.Unmarshal(b, &m)
	return m
}
