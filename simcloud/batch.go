package simcloud

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
)

// maxBatch is Graph's limit of requests in one JSON batch.
const maxBatch = 20

type batchItem struct {
	ID      string            `json:"id"`
	Method  string            `json:"method"`
	URL     string            `json:"url"`
	Headers map[string]string `json:"headers,omitempty"`
	Body    json.RawMessage   `json:"body,omitempty"`
}

// batch answers POST /{version}/$batch: 200 overall, each item with its own status.
func (s *Server) batch(req *graphRequest) graphResponse {
	if req.method != http.MethodPost {
		return s.graphError(http.StatusMethodNotAllowed, "BadRequest", "Use POST for $batch.")
	}
	var in struct {
		Requests []batchItem `json:"requests"`
	}
	if err := json.Unmarshal(req.body, &in); err != nil {
		return s.graphError(http.StatusBadRequest, "BadRequest", "Invalid batch payload format.")
	}
	if len(in.Requests) == 0 || len(in.Requests) > maxBatch {
		return s.graphError(http.StatusBadRequest, "BadRequest", "The number of batch requests must be between 1 and 20.")
	}
	responses := make([]map[string]any, 0, len(in.Requests))
	for _, item := range in.Requests {
		resp := s.batchOne(req, item)
		out := map[string]any{"id": item.ID, "status": resp.status}
		headers := map[string]string{}
		for k, v := range resp.header {
			headers[k] = strings.Join(v, ",")
		}
		if resp.body != nil || resp.raw != nil {
			headers["Content-Type"] = "application/json"
			if resp.raw != nil {
				out["body"] = json.RawMessage(resp.raw)
				if !json.Valid(resp.raw) {
					out["body"] = string(resp.raw)
				}
			} else {
				out["body"] = resp.body
			}
		}
		out["headers"] = headers
		responses = append(responses, out)
	}
	return graphResponse{status: http.StatusOK, body: map[string]any{"responses": responses}}
}

func (s *Server) batchOne(outer *graphRequest, item batchItem) graphResponse {
	u, err := url.Parse("/" + outer.version + "/" + strings.TrimPrefix(item.URL, "/"))
	if err != nil || strings.HasPrefix(strings.TrimPrefix(item.URL, "/"), "v1.0/") || strings.HasPrefix(strings.TrimPrefix(item.URL, "/"), "beta/") {
		return s.graphError(http.StatusBadRequest, "BadRequest", "Invalid request URL in batch: "+item.URL)
	}
	version, segs := splitGraphPath(u.EscapedPath())
	for i := range segs {
		segs[i], _ = url.PathUnescape(segs[i])
	}
	req := &graphRequest{method: strings.ToUpper(item.Method), version: version, segs: segs,
		query: u.Query(), body: item.Body, caller: outer.caller, base: outer.base,
		unknownEnums: prefersUnknownEnums(itemHeader(item.Headers, "Prefer"))}
	return s.serve(req)
}

// itemHeader is a batch item's header, whatever the case of its name.
func itemHeader(h map[string]string, name string) []string {
	for k, v := range h {
		if strings.EqualFold(k, name) {
			return []string{v}
		}
	}
	return nil
}
