package simcloud

import (
	"encoding/json"
	"fmt"
	"testing"
)

// batchStatuses posts one $batch and returns each item's status and headers by id.
func (c *testClient) batchStatuses(urls ...string) (map[string]float64, map[string]map[string]any) {
	c.t.Helper()
	var requests []map[string]any
	for i, u := range urls {
		requests = append(requests, map[string]any{"id": fmt.Sprint(i + 1), "method": "GET", "url": u})
	}
	body, _ := json.Marshal(map[string]any{"requests": requests})
	r := c.graph("POST", "/v1.0/$batch", body, "Content-Type", "application/json")
	if r.status != 200 {
		c.t.Fatalf("batch: %d %s", r.status, r.raw)
	}
	status, headers := map[string]float64{}, map[string]map[string]any{}
	for _, item := range r.json["responses"].([]any) {
		m := item.(map[string]any)
		status[m["id"].(string)] = m["status"].(float64)
		headers[m["id"].(string)], _ = m["headers"].(map[string]any)
	}
	return status, headers
}

// A throttling fault on a route answers that route's items inside a batch,
// one item per use of the fault, each with Graph's Retry-After in the
// item's own headers; the other items are answered as usual.
func TestBatchItemsTakeTheirRoutesFaults(t *testing.T) {
	cases := []struct {
		kind   FaultKind
		status float64
	}{
		{FaultThrottle, 429},
		{FaultUnavailable, 503},
	}
	for _, tc := range cases {
		t.Run(string(tc.kind), func(t *testing.T) {
			c := startClientWith(t, "classic", Options{RetryAfter: 7})
			if err := c.srv.AddFault(Fault{Kind: tc.kind, Endpoint: "user", Times: 2}); err != nil {
				t.Fatal(err)
			}
			user := "/users/" + backup + "?$select=id"
			status, headers := c.batchStatuses(user, "/me", user, user, user)
			want := map[string]float64{"1": tc.status, "2": 200, "3": tc.status, "4": 200, "5": 200}
			for id, s := range want {
				if status[id] != s {
					t.Errorf("item %s: %v, want %v (all: %v)", id, status[id], s, status)
				}
				if retry := headers[id]["Retry-After"]; (s != 200) != (retry == "7") {
					t.Errorf("item %s (%v): Retry-After %v", id, s, retry)
				}
			}
			if status, _ := c.batchStatuses(user); status["1"] != 200 {
				t.Errorf("the fault outlived its two uses: %v", status)
			}
		})
	}
}

// GraphRequests counts round trips to Graph: a $batch once, refused
// requests too, and none of Entra's.
func TestGraphRequestsCountsRoundTrips(t *testing.T) {
	c := startClient(t, "classic")
	if n := c.srv.GraphRequests(); n != 0 {
		t.Fatalf("%d Graph requests after signing in with Entra alone", n)
	}
	c.graph("GET", "/v1.0/me", nil)
	c.graph("GET", "/v1.0/users/nobody@contoso.onmicrosoft.com", nil)
	c.graph("GET", "/v1.0/me", nil, "Authorization", "Bearer forged")
	c.batchStatuses("/me", "/organization", "/users/"+backup)
	if n := c.srv.GraphRequests(); n != 4 {
		t.Fatalf("GraphRequests = %d, want 4", n)
	}
}
