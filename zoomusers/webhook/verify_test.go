package webhook_test

import (
	"errors"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/zoomkit/go-zoomusers/zoomusers/webhook"
)

// A request signed outside Go (openssl dgst -sha256 -hmac), so that Sign and Verify are
// not only checked against each other.
const (
	vectorSecret = "sekret-token"
	vectorTS     = "1700000000"
	vectorBody   = `{"event":"user.deactivated","event_ts":1700000000123,"payload":{"account_id":"acc1","object":{"id":"u1"}}}`
	vectorSig    = "v0=00d9ff8bc4ca85ff1dd23816e2e41cd10fd9c1a249f7aab644b8ebb4dea8d2a9"
	// openssl's HMAC of "plain-123" under vectorSecret.
	vectorEncrypted = "dbe5416909eef1e33004ed070507093d7c97ece9db05f905e37f823ea6c3f4d6"
)

var vectorTime = time.Unix(1700000000, 0)

func vectorHeader() http.Header {
	h := http.Header{}
	h.Set("x-zm-signature", vectorSig)
	h.Set("x-zm-request-timestamp", vectorTS)
	return h
}

func at(t time.Time) func() time.Time { return func() time.Time { return t } }

func TestVerifyKnownVector(t *testing.T) {
	opts := webhook.Options{Secrets: []string{vectorSecret}, Now: at(vectorTime.Add(time.Minute))}
	if err := webhook.Verify([]byte(vectorBody), vectorHeader(), opts); err != nil {
		t.Fatalf("openssl's signature refused: %v", err)
	}
	got := webhook.Sign(vectorSecret, vectorTime, []byte(vectorBody))
	if got.Get("X-Zm-Signature") != vectorSig || got.Get("X-Zm-Request-Timestamp") != vectorTS {
		t.Errorf("Sign = %v, want openssl's %s at %s", got, vectorSig, vectorTS)
	}
	if got := webhook.EncryptToken(vectorSecret, "plain-123"); got != vectorEncrypted {
		t.Errorf("EncryptToken = %s, want openssl's %s", got, vectorEncrypted)
	}
}

func TestVerifyRefusals(t *testing.T) {
	now := vectorTime.Add(time.Minute)
	body := []byte(vectorBody)
	with := func(edit func(h http.Header)) http.Header {
		h := vectorHeader()
		edit(h)
		return h
	}
	tampered := append([]byte{}, body...)
	tampered[len(tampered)-3] = '2' // "u1" -> "u2"
	cases := []struct {
		name   string
		body   []byte
		header http.Header
		opts   webhook.Options
		want   error
	}{
		{"no secrets", body, vectorHeader(), webhook.Options{Now: at(now)}, webhook.ErrNoSecret},
		{"no signature", body, with(func(h http.Header) { h.Del("x-zm-signature") }), webhook.Options{}, webhook.ErrNoSignature},
		{"no timestamp", body, with(func(h http.Header) { h.Del("x-zm-request-timestamp") }), webhook.Options{}, webhook.ErrNoSignature},
		{"wrong secret", body, vectorHeader(), webhook.Options{Secrets: []string{"other"}}, webhook.ErrSignature},
		{"body changed", tampered, vectorHeader(), webhook.Options{}, webhook.ErrSignature},
		{"timestamp changed", body, with(func(h http.Header) { h.Set("x-zm-request-timestamp", "1700000001") }), webhook.Options{}, webhook.ErrSignature},
		{"no v0 prefix", body, with(func(h http.Header) { h.Set("x-zm-signature", vectorSig[3:]) }), webhook.Options{}, webhook.ErrSignature},
		{"v1 prefix", body, with(func(h http.Header) { h.Set("x-zm-signature", "v1="+vectorSig[3:]) }), webhook.Options{}, webhook.ErrSignature},
		{"not hex", body, with(func(h http.Header) { h.Set("x-zm-signature", "v0=zz"+vectorSig[5:]) }), webhook.Options{}, webhook.ErrSignature},
		{"short MAC", body, with(func(h http.Header) { h.Set("x-zm-signature", vectorSig[:40]) }), webhook.Options{}, webhook.ErrSignature},
		{"stale", body, vectorHeader(), webhook.Options{Now: at(vectorTime.Add(5*time.Minute + time.Second))}, webhook.ErrStale},
		{"future", body, vectorHeader(), webhook.Options{Now: at(vectorTime.Add(-5*time.Minute - time.Second))}, webhook.ErrStale},
		{"tighter tolerance", body, vectorHeader(), webhook.Options{Tolerance: 30 * time.Second}, webhook.ErrStale},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.opts.Secrets == nil && c.want != webhook.ErrNoSecret {
				c.opts.Secrets = []string{vectorSecret}
			}
			if c.opts.Now == nil {
				c.opts.Now = at(now)
			}
			err := webhook.Verify(c.body, c.header, c.opts)
			if !errors.Is(err, c.want) {
				t.Fatalf("Verify = %v, want %v", err, c.want)
			}
			if _, err := webhook.ConstructEvent(c.body, c.header, c.opts); !errors.Is(err, c.want) {
				t.Errorf("ConstructEvent = %v, want %v", err, c.want)
			}
		})
	}
}

func TestVerifyTolerance(t *testing.T) {
	h := vectorHeader()
	body := []byte(vectorBody)
	for _, c := range []struct {
		skew, tol time.Duration
		ok        bool
	}{
		{5 * time.Minute, 0, true}, // the default tolerance, inclusive
		{-5 * time.Minute, 0, true},
		{10 * time.Minute, 15 * time.Minute, true},
		{16 * time.Minute, 15 * time.Minute, false},
		{24 * time.Hour, -1, true}, // check turned off for replays
	} {
		opts := webhook.Options{Secrets: []string{vectorSecret}, Tolerance: c.tol, Now: at(vectorTime.Add(c.skew))}
		if err := webhook.Verify(body, h, opts); (err == nil) != c.ok {
			t.Errorf("skew %s, tolerance %s: %v, want ok=%v", c.skew, c.tol, err, c.ok)
		}
	}
	// A non-numeric timestamp that is nevertheless signed is refused as stale.
	if err := webhook.Verify(body, signedAt(vectorSecret, "yesterday", body), webhook.Options{Secrets: []string{vectorSecret}}); !errors.Is(err, webhook.ErrStale) {
		t.Errorf("non-numeric timestamp: %v", err)
	}
}

// signedAt signs body with an arbitrary timestamp string, as a forger with the secret
// could.
func signedAt(secret, ts string, body []byte) http.Header {
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err == nil {
		return webhook.Sign(secret, time.Unix(sec, 0), body)
	}
	// Sign takes a time; build the header for a non-numeric one from EncryptToken, whose
	// HMAC over "v0:ts:body" is the same computation.
	h := http.Header{}
	h.Set("x-zm-request-timestamp", ts)
	h.Set("x-zm-signature", "v0="+webhook.EncryptToken(secret, "v0:"+ts+":"+string(body)))
	return h
}

func TestVerifyRotation(t *testing.T) {
	body := []byte(vectorBody)
	now := time.Now()
	opts := webhook.Options{Secrets: []string{"new-token", "old-token"}, Now: at(now)}
	for _, secret := range opts.Secrets {
		if err := webhook.Verify(body, webhook.Sign(secret, now, body), opts); err != nil {
			t.Errorf("signed with %s: %v", secret, err)
		}
	}
	if err := webhook.Verify(body, webhook.Sign("retired-token", now, body), opts); !errors.Is(err, webhook.ErrSignature) {
		t.Errorf("retired token accepted: %v", err)
	}
}
