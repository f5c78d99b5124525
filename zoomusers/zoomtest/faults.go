package zoomtest

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/zoomkit/go-zoomusers/zoomusers"
)

// AnyOperation makes Inject and InjectEvery apply a fault to every operation.
const AnyOperation zoomusers.OperationID = ""

// Fault is a failure to inject into the answers to an operation.
type Fault struct {
	// Status answers with this HTTP status and Zoom's error body (500, 502, 503, 504, ...).
	// 429 answers as Zoom's per-second limit does: X-RateLimit-Category (the operation's
	// label), X-RateLimit-Type: QPS, X-RateLimit-Limit (the plan's) and
	// X-RateLimit-Remaining: 0, without Retry-After.
	Status int
	// DailyLimit answers 429 as Zoom's daily cap does: X-RateLimit-Type: Daily-limit and
	// Retry-After at the next UTC midnight as an RFC 3339 date-time.
	DailyLimit bool
	// HTML429 answers 429 with an HTML page and no rate-limit headers, as an edge server does.
	HTML429 bool
	// Drop closes the connection without an answer.
	Drop bool
	// EmptyBody answers Status (200 when 0) with no body and no Content-Type.
	EmptyBody bool
	// Latency delays the answer (then the request proceeds unless another field is set).
	Latency time.Duration

	// Code and Message set the Zoom code and text of the error body Status answers with
	// (default: code 0 and the status text). Zoom has answered add-assistants with
	// {"code": -1, "message": "Duplicate key null ..."} (devforum thread 137382, ZOOM_FACTS.md
	// "Behaviour seen in the field"): Fault{Status: 400, Code: -1, Message: "Duplicate key null"}.
	Code    int
	Message string
	// ErrorMessage puts the error body's text under error_message instead of message, as
	// some Zoom endpoints do (ZOOM_FACTS.md "Behaviour seen in the field").
	ErrorMessage bool
	// NoEffect answers zoomusers.OpUserAssistantCreate with success and adds nothing, as Zoom
	// has for a single assistant (devforum thread 137382). Only that operation takes it.
	NoEffect bool
	// RepeatUser starts a zoomusers.OpUsers page fetched by next_page_token with the last
	// user of the page before, as Zoom occasionally does (ZOOM_FACTS.md "Behaviour seen in
	// the field"; folio-sec's Terraform provider). Only that operation takes it.
	RepeatUser bool
}

type fault struct {
	op    zoomusers.OperationID // or AnyOperation
	left  int                   // how many more requests it applies to
	every int                   // with left 0: applies to every Nth request
	seen  int
	Fault
}

// Inject applies f to the next n requests for op, a zoomusers.Op* constant, or to any
// operation's with AnyOperation. It refuses an unknown operation, n under 1 and a fault
// that changes nothing.
func (s *Server) Inject(op zoomusers.OperationID, n int, f Fault) error {
	if err := checkFault(op, n, f); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &fault{op: op, left: n, Fault: f})
	return nil
}

// InjectEvery applies f to every nth request for op (AnyOperation for all), from now on.
// It refuses what Inject refuses.
func (s *Server) InjectEvery(op zoomusers.OperationID, n int, f Fault) error {
	if err := checkFault(op, n, f); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &fault{op: op, every: n, Fault: f})
	return nil
}

func checkFault(op zoomusers.OperationID, n int, f Fault) error {
	switch {
	case op != AnyOperation && !op.Valid():
		return fmt.Errorf("zoomtest: unknown operation %q: pass a zoomusers.Op* constant (such as zoomusers.OpUser) or zoomtest.AnyOperation", string(op))
	case n < 1:
		return fmt.Errorf("zoomtest: a fault for %d requests: want 1 or more", n)
	case f == (Fault{}):
		return errors.New("zoomtest: the fault changes nothing: set Status, DailyLimit, HTML429, Drop, EmptyBody, Latency or NoEffect")
	case f.RepeatUser && op != zoomusers.OpUsers:
		return fmt.Errorf("zoomtest: RepeatUser is for %s only", zoomusers.OpUsers)
	case f.NoEffect && op != zoomusers.OpUserAssistantCreate:
		return fmt.Errorf("zoomtest: NoEffect is for %s only (the field report names no other operation)", zoomusers.OpUserAssistantCreate)
	case (f.Code != 0 || f.Message != "" || f.ErrorMessage) && f.Status < 400:
		return errors.New("zoomtest: Code, Message and ErrorMessage shape an error body: set Status 400 to 599 too")
	case f.Status != 0 && f.Status < 400 && !f.EmptyBody:
		return fmt.Errorf("zoomtest: fault status %d is not an error: use 400 to 599, or EmptyBody for an empty success", f.Status)
	}
	return nil
}

// applyFault writes an injected failure, if one applies, and reports whether it did; a
// fault the handler carries out (NoEffect, RepeatUser) is returned for the request's
// context instead.
func (s *Server) applyFault(w http.ResponseWriter, r *http.Request, op zoomusers.OperationID) (handled bool, carry *Fault) {
	s.mu.Lock()
	var chosen *Fault
	for _, f := range s.faults {
		if f.op != AnyOperation && f.op != op {
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
		return false, nil
	}
	if chosen.Latency > 0 {
		select {
		case <-time.After(chosen.Latency):
		case <-r.Context().Done():
			return true, nil
		}
	}
	label := op.Label()
	switch {
	case chosen.Drop:
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
			}
		}
	case chosen.HTML429:
		// Evidence: injected by the test; ZOOM_FACTS.md "Errors" (a 429 from the edge can be HTML).
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusTooManyRequests)
		w.Write([]byte("<html><head><title>429 Too Many Requests</title></head><body>Too Many Requests</body></html>"))
	case chosen.DailyLimit:
		// Evidence: injected by the test; the shape is dailyLimited's (limits.go).
		s.limiter.dailyLimited(label, s.cfg.now()).write(w)
	case chosen.EmptyBody:
		w.Header()["Content-Type"] = nil
		w.WriteHeader(max(chosen.Status, http.StatusOK))
	case chosen.Status == http.StatusTooManyRequests:
		// Evidence: injected by the test; the shape is qpsLimited's (limits.go).
		s.limiter.qpsLimited(label).write(w)
	case chosen.Status != 0 && chosen.ErrorMessage:
		// Evidence: injected by the test; ZOOM_FACTS.md "Behaviour seen in the field" (error_message).
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		w.WriteHeader(chosen.Status)
		json.NewEncoder(w).Encode(map[string]any{"code": chosen.Code, "error_message": chosen.message()})
	case chosen.Status != 0:
		// Evidence: injected by the test (its status, code and message); ZOOM_FACTS.md "Errors".
		writeError(w, chosen.Status, chosen.Code, chosen.message(), nil)
	default:
		return false, chosen // latency, or a fault the handler carries out
	}
	return true, nil
}

// message is the error body's text: Message, or the status text.
func (f *Fault) message() string {
	if f.Message != "" {
		return f.Message
	}
	return http.StatusText(f.Status)
}
