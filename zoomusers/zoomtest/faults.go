package zoomtest

import (
	"net/http"
	"time"
)

// Fault is a failure to inject into the answers to an operation.
type Fault struct {
	// Status answers with this HTTP status and Zoom's error body (500, 502, 503, 504, ...).
	Status int
	// HTML429 answers 429 with an HTML page and no rate-limit headers, as an edge server does.
	HTML429 bool
	// Drop closes the connection without an answer.
	Drop bool
	// EmptyBody answers Status (200 when 0) with no body and no Content-Type.
	EmptyBody bool
	// Latency delays the answer (then the request proceeds unless another field is set).
	Latency time.Duration
}

type fault struct {
	op    string // operationID, or "" for any
	left  int    // how many more requests it applies to
	every int    // with left 0: applies to every Nth request
	seen  int
	Fault
}

// Inject applies f to the next n requests for operationID ("" for any operation).
func (s *Server) Inject(operationID string, n int, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &fault{op: operationID, left: n, Fault: f})
}

// InjectEvery applies f to every nth request for operationID ("" for any operation).
func (s *Server) InjectEvery(operationID string, n int, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &fault{op: operationID, every: n, Fault: f})
}

// applyFault writes an injected failure, if one applies, and reports whether it did.
func (s *Server) applyFault(w http.ResponseWriter, r *http.Request, op string) bool {
	s.mu.Lock()
	var chosen *Fault
	for _, f := range s.faults {
		if f.op != "" && f.op != op {
			continue
		}
		if f.every > 0 {
			f.seen++
			if f.seen%f.every == 0 {
				chosen = &f.Fault
				break
			}
			continue
		}
		if f.left > 0 {
			f.left--
			chosen = &f.Fault
			break
		}
	}
	s.mu.Unlock()
	if chosen == nil {
		return false
	}
	if chosen.Latency > 0 {
		select {
		case <-time.After(chosen.Latency):
		case <-r.Context().Done():
			return true
		}
	}
	switch {
	case chosen.Drop:
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
			}
		}
	case chosen.HTML429:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusTooManyRequests)
		w.Write([]byte("<html><head><title>429 Too Many Requests</title></head><body>Too Many Requests</body></html>"))
	case chosen.EmptyBody:
		w.Header()["Content-Type"] = nil
		w.WriteHeader(max(chosen.Status, http.StatusOK))
	case chosen.Status != 0:
		writeError(w, chosen.Status, 0, http.StatusText(chosen.Status))
	default:
		return false // latency only: carry on
	}
	return true
}
