package zoomusers

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/zoomkit/go-zoomusers/internal/decoding"
)

var (
	// ErrEmptyResponse is returned when Zoom answers an operation that has a response body
	// with a success status and no body at all.
	ErrEmptyResponse = errors.New("zoomusers: success answer without the body the operation returns")
	// ErrResponseTooLarge is returned when a successful answer's body is longer than
	// WithMaxResponseBytes allows.
	ErrResponseTooLarge = errors.New("zoomusers: answer body over the size limit")
)

// decode reads a successful answer into a new T. Any 2xx is success, but an answer
// without a body is an error: the operation promises one. Values that do not fit T
// are coerced or dropped and reported (package internal/decoding), so that one odd
// field never fails the call. It is curried, decode[T](c)(resp, err), so that a generated call's
// two results pass straight in.
func decode[T any](c *Client) func(*http.Response, error) (*T, error) {
	return func(resp *http.Response, err error) (*T, error) { return decodeAnswer[T](c, resp, err) }
}

func decodeAnswer[T any](c *Client, resp *http.Response, err error) (*T, error) {
	if err != nil {
		return nil, err
	}
	out, err := decodeBody[T](c, resp)
	endCall(resp.Request.Context(), err)
	return out, err
}

func decodeBody[T any](c *Client, resp *http.Response) (*T, error) {
	defer resp.Body.Close()
	ctx := resp.Request.Context()
	op := operationOf(ctx)
	co := callOptionsOf(ctx)
	if limit := co.maxBodyOr(c.maxBody); resp.ContentLength > limit {
		// Announced too long: fail before allocating for it.
		return nil, fmt.Errorf("zoomusers: %s: reading the answer to %s %s: %w (Content-Length %d, limit %d)",
			op, resp.Request.Method, resp.Request.URL.Path, ErrResponseTooLarge, resp.ContentLength, limit)
	}
	buf, err := decoding.ReadBody(resp.Body, resp.ContentLength)
	if err != nil {
		return nil, fmt.Errorf("zoomusers: %s: reading the answer to %s %s: %w", op, resp.Request.Method, resp.Request.URL.Path, err)
	}
	defer decoding.ReleaseBody(buf) // decoding copies what it keeps
	body := *buf
	co.recordBody(body) // WithResponseInto (option.go)
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, fmt.Errorf("%w: %s (%s %s) answered %d with an empty body%s", ErrEmptyResponse,
			op, resp.Request.Method, resp.Request.URL.Path, resp.StatusCode, trackingSuffix(resp.Header))
	}
	out := new(T)
	drifts, err := decoding.Unmarshal(body, out)
	c.reportDrift(ctx, op, drifts)
	if err != nil {
		return nil, fmt.Errorf("zoomusers: %s: decoding the answer to %s %s%s: %w", op, resp.Request.Method, resp.Request.URL.Path, trackingSuffix(resp.Header), err)
	}
	return out, nil
}

// done finishes a call whose answer has no body worth reading.
func done(resp *http.Response, err error) error {
	if err != nil {
		return err
	}
	if co := callOptionsOf(resp.Request.Context()); co != nil && co.response != nil {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		co.recordBody(body) // WithResponseInto (option.go)
	} else {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxErrorBody))
	}
	err = resp.Body.Close()
	endCall(resp.Request.Context(), err)
	return err
}

func trackingSuffix(h http.Header) string {
	if id := h.Get("X-Zm-Trackingid"); id != "" {
		return " (tracking id " + id + ")"
	}
	return ""
}

// cappedBody fails with ErrResponseTooLarge once more than its limit has been read, so
// that an endless or oversized answer ends instead of filling memory.
type cappedBody struct {
	io.ReadCloser
	left, max int64
	release   func() // ends the attempt's exchange time (Client.bound)
}

func (b *cappedBody) Close() error {
	err := b.ReadCloser.Close()
	b.release()
	return err
}

func (b *cappedBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		// One byte more tells an answer of exactly the limit from a longer one.
		var one [1]byte
		if n, _ := b.ReadCloser.Read(one[:]); n == 0 {
			return 0, io.EOF
		}
		return 0, fmt.Errorf("%w (%d bytes; raise it with WithMaxResponseBytes)", ErrResponseTooLarge, b.max)
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.ReadCloser.Read(p)
	b.left -= int64(n)
	return n, err
}
