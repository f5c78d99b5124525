package zoomusers

import (
	"context"
	"fmt"
	"net/http"
	"sync/atomic"
)

// The headers every attempt carries are set without Header.Set (which would canonicalize
// and allocate a map entry anew) but each request gets slices of its own: a caller's
// RoundTripper may edit a header value in place, and a slice shared between requests in
// flight would make that a data race with every other request.

// authHeader holds the Authorization value of the latest token, built once per token
// rather than once per attempt.
type authHeader struct {
	v atomic.Pointer[authValue]
}

type authValue struct {
	token  string
	header string
}

// header returns the Authorization value for token.
func (a *authHeader) header(token string) string {
	if v := a.v.Load(); v != nil && v.token == token {
		return v.header
	}
	v := &authValue{token: token, header: "Bearer " + token}
	a.v.Store(v)
	return v.header
}

// prepare returns the request of one attempt, authorized with token. The first
// attempt sends the generated request itself: the generated code built it for this
// call alone, so no one else holds it. Later attempts send a clone with a rewound body,
// since the transport may still be reading the request (and body) of an attempt that
// failed: req itself is never written to after the first attempt.
func (c *Client) prepare(ctx context.Context, req *http.Request, attempt int, token string) (*http.Request, error) {
	r := req
	switch {
	case attempt > 1:
		r = req.Clone(ctx)
		if req.GetBody != nil {
			body, err := req.GetBody()
			if err != nil {
				return nil, fmt.Errorf("zoomusers: rewinding request body: %w", err)
			}
			r.Body = body
		}
	case req.Context() != ctx:
		r = req.WithContext(ctx)
	}
	if r.Header == nil {
		r.Header = make(http.Header, 3)
	}
	r.Header["Authorization"] = []string{c.auth.header(token)}
	r.Header["User-Agent"] = []string{c.userAgent}
	if len(r.Header["Accept"]) == 0 {
		r.Header["Accept"] = []string{"application/json"}
	}
	return r, nil
}
