package webhook_test

import (
	"bytes"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/zoomkit/go-zoomusers/zoomusers/webhook"
)

// FuzzVerify: Verify never panics; whatever it accepts under a forged header fails once
// the body changes; what Sign signs always verifies.
func FuzzVerify(f *testing.F) {
	f.Add([]byte(vectorBody), vectorSig, vectorTS, "sekret-token")
	f.Add([]byte(`{}`), "v0=", "0", "")
	f.Add([]byte(``), "v0=zz", "-1", "x")
	f.Add([]byte(`{"event":"user.created"}`), "v0=00", "99999999999999999999", "k")
	f.Fuzz(func(t *testing.T, body []byte, sig, ts, secret string) {
		h := http.Header{}
		h.Set(webhook.HeaderSignature, sig)
		h.Set(webhook.HeaderTimestamp, ts)
		opts := webhook.Options{Secrets: []string{secret, "second"}, Tolerance: -1}
		if err := webhook.Verify(body, h, opts); err == nil {
			changed := append(bytes.Clone(body), 'x')
			if webhook.Verify(changed, h, opts) == nil {
				t.Fatalf("accepted %q and %q under one signature", body, changed)
			}
		}
		now := time.Unix(1_700_000_000, 0)
		good := webhook.Sign(secret, now, body)
		opts = webhook.Options{Secrets: []string{"first", secret}, Now: func() time.Time { return now }}
		if err := webhook.Verify(body, good, opts); err != nil {
			t.Fatalf("refused its own signature: %v", err)
		}
		if _, err := webhook.ConstructEvent(body, good, opts); err != nil && !errors.Is(err, webhook.ErrMalformed) {
			t.Fatalf("ConstructEvent after a good signature: %v", err)
		}
	})
}

// FuzzParse: Parse never panics, an error is always ErrMalformed, and an event always has
// a type, typed data and the body it came from.
func FuzzParse(f *testing.F) {
	for _, body := range samples {
		f.Add([]byte(body))
	}
	f.Add([]byte(`{"event":"user.updated","payload":{"object":[],"old_object":"x","time_stamp":1e300}}`))
	f.Add([]byte(`{"event":"user.presence_status_updated","payload":{"object":{"app":7,"date_time":5}}}`))
	f.Add([]byte(`{"event":"x","event_ts":-9223372036854775808}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		ev, err := webhook.Parse(body)
		if err != nil {
			if !errors.Is(err, webhook.ErrMalformed) {
				t.Fatalf("error %v is not ErrMalformed", err)
			}
			return
		}
		if ev.Type == "" || ev.Data == nil || !bytes.Equal(ev.Raw, body) || len(ev.Key()) != 64 {
			t.Fatalf("event %+v from %q", ev, body)
		}
		_ = ev.UserID()
	})
}
