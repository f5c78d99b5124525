// Package webhook receives Zoom's event notifications for users: it verifies that a
// request comes from Zoom, parses its user.* event into a typed value, and serves an
// endpoint that answers Zoom's URL validation and hands verified events to your code.
//
// Verify and parse one request yourself, as with stripe-go's webhook.ConstructEvent:
//
//	body, _ := io.ReadAll(r.Body)
//	ev, err := webhook.ConstructEvent(body, r.Header, webhook.Options{Secrets: []string{secret}})
//
// or mount a Handler, which also answers endpoint.url_validation, limits the body, drops
// Zoom's redeliveries through a Deduper and reports each refusal to a *slog.Logger:
//
//	h, err := webhook.NewHandler(func(ctx context.Context, ev *webhook.Event) error {
//		switch d := ev.Data.(type) {
//		case *webhook.UserDeactivated:
//			return disable(ctx, d.User.Email)
//		}
//		return nil
//	}, webhook.HandlerOptions{Options: webhook.Options{Secrets: []string{secret}}})
//	http.Handle("POST /zoom/events", h)
//
// Verification works on the raw bytes of the body, never on a re-encoding: Zoom signs
// "v0:" + x-zm-request-timestamp + ":" + body with HMAC-SHA256 under the app's secret token.
// Several secrets may be configured at once, so that a token can be rotated without
// refusing events signed with the old one. The package depends only on the standard
// library; it does not need the zoomusers client.
package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Headers Zoom signs its requests with.
const (
	HeaderSignature = "X-Zm-Signature"
	HeaderTimestamp = "X-Zm-Request-Timestamp"
)

// DefaultTolerance is how far x-zm-request-timestamp may be from the receiver's clock
// before a request is refused as a replay.
const DefaultTolerance = 5 * time.Minute

// Reasons a request is refused. The errors Verify and ConstructEvent return wrap one of
// them with details; match with errors.Is.
var (
	// ErrNoSignature: the x-zm-signature or x-zm-request-timestamp header is missing.
	ErrNoSignature = errors.New("webhook: request is not signed (no x-zm-signature or x-zm-request-timestamp header)")
	// ErrSignature: the signature matches none of the configured secret tokens.
	ErrSignature = errors.New("webhook: signature does not match any configured secret token")
	// ErrStale: the request timestamp is unreadable or further from now than the tolerance.
	ErrStale = errors.New("webhook: request timestamp is outside the tolerance")
	// ErrMalformed: the body is signed correctly but is not a Zoom event.
	ErrMalformed = errors.New("webhook: body is not a Zoom event")
	// ErrNoSecret: no secret token was configured, so nothing can be verified.
	ErrNoSecret = errors.New("webhook: no secret token configured (Options.Secrets is empty)")
)

// Options configure verification.
type Options struct {
	// Secrets are the app's secret tokens (the Secret Token of its Feature page); a
	// request signed with any of them is accepted. Configure the old and the new token
	// together while rotating.
	Secrets []string
	// Tolerance is how far the request timestamp may be from Now, either way:
	// DefaultTolerance when zero. A negative value turns the check off, for replaying
	// stored requests; never do that for live traffic.
	Tolerance time.Duration
	// Now is the clock to compare timestamps with; time.Now when nil.
	Now func() time.Time
}

func (o Options) tolerance() time.Duration {
	if o.Tolerance == 0 {
		return DefaultTolerance
	}
	return o.Tolerance
}

func (o Options) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

// Sign returns the headers Zoom would send with body at time t under secret: the
// x-zm-request-timestamp in Unix seconds and the x-zm-signature. It is for tests and
// fakes that play Zoom's part (package zoomtest uses it).
func Sign(secret string, t time.Time, body []byte) http.Header {
	ts := strconv.FormatInt(t.Unix(), 10)
	h := http.Header{}
	h.Set(HeaderTimestamp, ts)
	h.Set(HeaderSignature, "v0="+hex.EncodeToString(mac(secret, ts, body)))
	return h
}

// mac is HMAC-SHA256 under secret of Zoom's message "v0:{timestamp}:{body}".
func mac(secret, timestamp string, body []byte) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte("v0:"))
	m.Write([]byte(timestamp))
	m.Write([]byte(":"))
	m.Write(body)
	return m.Sum(nil)
}

// EncryptToken is the encryptedToken that answers endpoint.url_validation: the hex
// HMAC-SHA256 of plainToken under the secret token.
func EncryptToken(secret, plainToken string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(plainToken))
	return hex.EncodeToString(m.Sum(nil))
}

// Verify checks that body, with the headers it came with, was signed by Zoom with one of
// opts.Secrets within the tolerance. It returns nil or an error wrapping ErrNoSecret,
// ErrNoSignature, ErrSignature or ErrStale.
func Verify(body []byte, header http.Header, opts Options) error {
	_, err := verify(body, header, opts)
	return err
}

// verify is Verify that also returns the secret that matched, which answers URL
// validation: during a rotation Zoom validates with the token it signs with.
func verify(body []byte, header http.Header, opts Options) (string, error) {
	if len(opts.Secrets) == 0 {
		return "", ErrNoSecret
	}
	sig, ts := header.Get(HeaderSignature), header.Get(HeaderTimestamp)
	if sig == "" || ts == "" {
		return "", ErrNoSignature
	}
	hexMAC, ok := strings.CutPrefix(sig, "v0=")
	if !ok {
		return "", fmt.Errorf("%w: x-zm-signature does not start with v0=", ErrSignature)
	}
	got, err := hex.DecodeString(hexMAC)
	if err != nil || len(got) != sha256.Size {
		return "", fmt.Errorf("%w: x-zm-signature is not a hex HMAC-SHA256", ErrSignature)
	}
	matched := -1
	for i, secret := range opts.Secrets {
		// Every secret is tried, so the time taken does not reveal which one matched.
		if hmac.Equal(got, mac(secret, ts, body)) && matched < 0 {
			matched = i
		}
	}
	if matched < 0 {
		return "", fmt.Errorf("%w (%d tried): check the app's Secret Token; while rotating, configure the old and the new one", ErrSignature, len(opts.Secrets))
	}
	// The timestamp is checked after the signature, so an attacker learns nothing about
	// the tolerance from forged requests.
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return "", fmt.Errorf("%w: x-zm-request-timestamp %q is not Unix seconds", ErrStale, ts)
	}
	if tol := opts.tolerance(); tol > 0 {
		skew := opts.now().Sub(time.Unix(sec, 0))
		if skew > tol || skew < -tol {
			return "", fmt.Errorf("%w: request signed at %s, %s from this host's clock (tolerance %s)",
				ErrStale, time.Unix(sec, 0).UTC().Format(time.RFC3339), skew.Round(time.Second), tol)
		}
	}
	return opts.Secrets[matched], nil
}

// ConstructEvent verifies body as Verify does and parses it as Parse does. An event type
// this package does not know is not an error: its Data is *Unknown.
func ConstructEvent(body []byte, header http.Header, opts Options) (*Event, error) {
	if err := Verify(body, header, opts); err != nil {
		return nil, err
	}
	return Parse(body)
}
