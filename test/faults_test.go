package test

// The fault suite: the client driven over real loopback HTTP against servers that
// misbehave as production servers, proxies and attackers do. Each case checks what the
// server saw (requests, headers) and what the caller got (error, time against a generous
// bound, memory).

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/zoomkit/go-zoomusers/zoomusers"
)

const userJSON = `{"id":"u1","email":"a@example.com","type":1}`

func writeUser(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	io.WriteString(w, userJSON)
}

// Connection resets: an idempotent GET is tried again; a POST whose request reached the
// server is never repeated, since Zoom may have processed it.
func TestFaultConnectionResets(t *testing.T) {
	t.Run("before the request is read, GET retried", func(t *testing.T) {
		raw := newRawServer(t, func(c net.Conn) {
			if tc, ok := c.(*net.TCPConn); ok {
				tc.SetLinger(0) // close with a reset, not a clean FIN
			}
		})
		h := newHostile(t, nil)
		c := h.client(nil, zoomusers.WithBaseURL(raw.url()+"/v2"))
		var err error
		within(t, 30*time.Second, func() { _, err = c.User("u1").Get(context.Background(), nil) })
		if err == nil {
			t.Fatal("a server that resets every connection: no error")
		}
		if n := raw.conns.Load(); n < 4 || n > 8 {
			t.Errorf("server saw %d connections, want the 4 attempts of the default policy (Go may add one per attempt)", n)
		}
	})
	t.Run("after the request is read, POST not repeated", func(t *testing.T) {
		var requests atomic.Int64
		raw := newRawServer(t, func(c net.Conn) {
			if _, err := http.ReadRequest(bufio.NewReader(c)); err == nil {
				requests.Add(1)
			}
			if tc, ok := c.(*net.TCPConn); ok {
				tc.SetLinger(0)
			}
		})
		h := newHostile(t, nil)
		c := h.client(nil, zoomusers.WithBaseURL(raw.url()+"/v2"))
		_, err := c.CreateUser(context.Background(), zoomusers.CreateUserRequest{Action: zoomusers.CreateUserActionCreate, UserInfo: zoomusers.NewUser{Email: "new@example.com", Type: zoomusers.UserTypeBasic}})
		if err == nil {
			t.Fatal("no error from a reset connection")
		}
		if n := requests.Load(); n != 1 {
			t.Errorf("the create request reached the server %d times, want exactly 1", n)
		}
	})
	t.Run("after the request is read, GET retried", func(t *testing.T) {
		var requests atomic.Int64
		raw := newRawServer(t, func(c net.Conn) {
			if _, err := http.ReadRequest(bufio.NewReader(c)); err == nil && requests.Add(1) == 3 {
				io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "+fmt.Sprint(len(userJSON))+"\r\nConnection: close\r\n\r\n"+userJSON)
				return
			}
			if tc, ok := c.(*net.TCPConn); ok {
				tc.SetLinger(0)
			}
		})
		h := newHostile(t, nil)
		c := h.client(nil, zoomusers.WithBaseURL(raw.url()+"/v2"))
		u, err := c.User("u1").Get(context.Background(), nil)
		if err != nil || u.Email == nil || *u.Email != "a@example.com" {
			t.Fatalf("third attempt answers: %+v, %v", u, err)
		}
		if n := requests.Load(); n != 3 {
			t.Errorf("server read %d requests, want 3", n)
		}
	})
}

// Stalls end with the caller's context, in headers and in bodies, and say so.
func TestFaultStalls(t *testing.T) {
	cases := map[string]http.HandlerFunc{
		"headers": func(w http.ResponseWriter, r *http.Request) { stall(t, r) },
		"body": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Length", "1000")
			io.WriteString(w, `{"id":"u1","email":`)
			w.(http.Flusher).Flush()
			stall(t, r)
		},
		"error body": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Length", "1000")
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, `{"code":1001,`)
			w.(http.Flusher).Flush()
			stall(t, r)
		},
	}
	for name, handler := range cases {
		t.Run(name, func(t *testing.T) {
			h := newHostile(t, handler)
			c := h.client(nil)
			var err error
			took := within(t, 20*time.Second, func() {
				_, err = c.User("u1").Get(deadline(t, 300*time.Millisecond), nil)
			})
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("err = %v, want one that wraps context.DeadlineExceeded", err)
			}
			if took < 300*time.Millisecond {
				t.Errorf("returned after %s, before the deadline", took)
			}
			if n := h.apiRequests.Load(); n != 1 {
				t.Errorf("server saw %d requests after the deadline passed, want 1", n)
			}
		})
	}
}

// Oversized and endless answers end at the configured cap, with bounded memory.
func TestFaultOversizedBodies(t *testing.T) {
	t.Run("endless success body", func(t *testing.T) {
		var sent atomic.Int64
		h := newHostile(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"id":"u1","email":"`)
			chunk := bytes.Repeat([]byte("a"), 32<<10)
			for r.Context().Err() == nil {
				n, err := w.Write(chunk)
				sent.Add(int64(n))
				if err != nil || sent.Load() > 1<<30 {
					return
				}
			}
		})
		c := h.client(nil, zoomusers.WithMaxResponseBytes(4<<20))
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		var err error
		within(t, 60*time.Second, func() { _, err = c.User("u1").Get(context.Background(), nil) })
		runtime.ReadMemStats(&after)
		if !errors.Is(err, zoomusers.ErrResponseTooLarge) {
			t.Fatalf("err = %v, want ErrResponseTooLarge", err)
		}
		// io.ReadAll doubles its buffer: a 4 MiB cap allocates a few times that in all.
		if grew := after.TotalAlloc - before.TotalAlloc; grew > 64<<20 {
			t.Errorf("reading a capped 4 MiB answer allocated %d MiB", grew>>20)
		}
		if n := h.apiRequests.Load(); n != 1 {
			t.Errorf("server saw %d requests, want 1", n)
		}
	})
	t.Run("a page at the default cap is read whole", func(t *testing.T) {
		// 2,000 users of about 1.5 KB: the largest page Zoom sends fits the default cap.
		var page bytes.Buffer
		page.WriteString(`{"page_size":2000,"next_page_token":"","users":[`)
		for i := range 2000 {
			if i > 0 {
				page.WriteByte(',')
			}
			fmt.Fprintf(&page, `{"id":"u%d","email":"u%d@example.com","type":1,"dept":"%s"}`, i, i, strings.Repeat("d", 1400))
		}
		page.WriteString(`]}`)
		h := newHostile(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Write(page.Bytes())
		})
		n := 0
		for _, err := range h.client(nil).ListUsers(context.Background(), &zoomusers.ListUsersParams{PageSize: 2000}).All() {
			if err != nil {
				t.Fatal(err)
			}
			n++
		}
		if n != 2000 {
			t.Errorf("listed %d users, want 2000", n)
		}
	})
	t.Run("endless error body", func(t *testing.T) {
		h := newHostile(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"code":300,"message":"`)
			chunk := bytes.Repeat([]byte("x"), 32<<10)
			for r.Context().Err() == nil {
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
		})
		var err error
		within(t, 30*time.Second, func() { _, err = h.client(nil).User("u1").Get(context.Background(), nil) })
		var zerr *zoomusers.Error
		if !errors.As(err, &zerr) || zerr.StatusCode != 400 {
			t.Fatalf("err = %v, want a 400 *Error", err)
		}
		if len(err.Error()) > 4<<10 || len(zerr.Body) > 4<<10 || len(zerr.Message) > 4<<10 {
			t.Errorf("kept %d bytes of message, %d of body, %d of text", len(zerr.Message), len(zerr.Body), len(err.Error()))
		}
	})
	t.Run("huge error message in valid JSON", func(t *testing.T) {
		h := newHostile(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprintf(w, `{"code":300,"message":"%s","errors":[`, strings.Repeat("m", 20<<10))
			for i := range 500 {
				if i > 0 {
					io.WriteString(w, ",")
				}
				fmt.Fprintf(w, `{"field":"f%d","message":"bad"}`, i)
			}
			io.WriteString(w, `]}`)
		})
		_, err := h.client(nil).User("u1").Get(context.Background(), nil)
		var zerr *zoomusers.Error
		if !errors.As(err, &zerr) || zerr.Code != 300 {
			t.Fatalf("err = %v, want code 300", err)
		}
		if len(zerr.Message) > 2<<10 || len(zerr.FieldErrors) > 100 {
			t.Errorf("kept a %d-byte message and %d field errors", len(zerr.Message), len(zerr.FieldErrors))
		}
	})
	t.Run("body shorter than Content-Length", func(t *testing.T) {
		h := newHostile(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Length", "500")
			io.WriteString(w, `{"id":"u1"`)
		})
		_, err := h.client(nil).User("u1").Get(context.Background(), nil)
		if !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("err = %v, want one that wraps io.ErrUnexpectedEOF", err)
		}
	})
}

// Redirects keep credentials on their origin: another host, port or scheme is refused
// before anything is sent there, and the error says why.
func TestFaultRedirects(t *testing.T) {
	var elsewhere atomic.Int64
	var elsewhereAuth atomic.Value
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
		elsewhereAuth.Store(r.Header.Get("Authorization"))
		writeUser(w)
	}))
	defer other.Close()
	tlsOther := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
		writeUser(w)
	}))
	defer tlsOther.Close()

	for name, target := range map[string]func(h *hostile) string{
		"another port": func(*hostile) string { return other.URL + "/v2/users/u1" },
		"another host name": func(h *hostile) string {
			return strings.Replace(h.srv.URL, "127.0.0.1", "localhost", 1) + "/v2/users/u1"
		},
		"another scheme":                     func(*hostile) string { return tlsOther.URL + "/v2/users/u1" },
		"plain http off loopback (not sent)": func(*hostile) string { return "http://zoom.invalid/v2/users/u1" },
	} {
		t.Run(name, func(t *testing.T) {
			elsewhere.Store(0)
			var h *hostile
			h = newHostile(t, func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, target(h), http.StatusTemporaryRedirect)
			})
			_, err := h.client(nil).User("u1").Get(context.Background(), nil)
			if !errors.Is(err, zoomusers.ErrRedirectRefused) {
				t.Fatalf("err = %v, want ErrRedirectRefused", err)
			}
			if !strings.Contains(err.Error(), "credentials") {
				t.Errorf("error %q does not say why", err)
			}
			if strings.Contains(err.Error(), "tok-") {
				t.Errorf("error %q shows the token", err)
			}
			if n := elsewhere.Load(); n != 0 {
				t.Errorf("the other origin received %d requests (Authorization %q)", n, elsewhereAuth.Load())
			}
			if n := h.apiRequests.Load(); n != 1 {
				t.Errorf("the refused redirect was retried: %d requests", n)
			}
		})
	}

	t.Run("same origin is followed with the token", func(t *testing.T) {
		h := newHostile(t, func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/v2/users/old" {
				http.Redirect(w, r, "/v2/users/new", http.StatusMovedPermanently)
				return
			}
			if r.Header.Get("Authorization") != "Bearer tok-1" {
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			writeUser(w)
		})
		if _, err := h.client(nil).User("old").Get(context.Background(), nil); err != nil {
			t.Fatal(err)
		}
		if n := h.apiRequests.Load(); n != 2 {
			t.Errorf("server saw %d requests, want the original and the redirected one", n)
		}
	})

	t.Run("token endpoint redirected elsewhere", func(t *testing.T) {
		var stolen atomic.Int64
		thief := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { stolen.Add(1) }))
		defer thief.Close()
		h := newHostile(t, nil)
		h.setToken(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, thief.URL+"/oauth/token", http.StatusTemporaryRedirect)
		})
		var log bytes.Buffer
		_, err := h.client(&log).User("u1").Get(context.Background(), nil)
		if !errors.Is(err, zoomusers.ErrRedirectRefused) {
			t.Fatalf("err = %v, want ErrRedirectRefused", err)
		}
		if stolen.Load() != 0 {
			t.Error("the client secret was sent to the redirect's target")
		}
		assertNoSecrets(t, err.Error()+log.String())
	})

	t.Run("plain http refused at construction", func(t *testing.T) {
		for _, opt := range []zoomusers.Option{zoomusers.WithBaseURL("http://api.zoom.us/v2"), zoomusers.WithTokenURL("http://zoom.us/oauth/token")} {
			_, err := zoomusers.New(zoomusers.WithAccessToken("t"), opt)
			if err == nil || !strings.Contains(err.Error(), "https") {
				t.Errorf("New with a plain-http endpoint: %v, want an error asking for https", err)
			}
		}
	})
}

// assertNoSecrets fails when s holds the client secret, its Basic-auth form or a token.
func assertNoSecrets(t *testing.T, s string) {
	t.Helper()
	basic := base64.StdEncoding.EncodeToString([]byte(hostileClient + ":" + hostileSecret))
	for _, secret := range []string{hostileSecret, basic, "refresh-secret-", "tok-"} {
		if strings.Contains(s, secret) {
			t.Errorf("%q appears in %q", secret, s)
		}
	}
}

// Malformed and hostile headers never make the client spin, hang or wait absurdly.
func TestFaultHostileHeaders(t *testing.T) {
	rateLimited := func(limitType, retryAfter string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("X-RateLimit-Type", limitType)
			w.Header().Set("X-RateLimit-Limit", "not-a-number")
			if retryAfter != "" {
				w.Header().Set("Retry-After", retryAfter)
			}
			w.WriteHeader(http.StatusTooManyRequests)
			io.WriteString(w, `{"code":429,"message":"You have reached the maximum per-second rate limit for this API."}`)
		}
	}
	twoAttempts := zoomusers.WithRetryPolicy(zoomusers.DefaultRetryPolicy{MaxAttempts: 2, BaseDelay: 5 * time.Millisecond, MaxDelay: 5 * time.Second})

	// Retried: the wait is at least Zoom's one-second window, whatever the header said. A
	// per-second limit's Retry-After that cannot be a real wait (a day, the year 9999) is
	// as unreadable as "soon" (issue 23): the call backs off instead of ending at once.
	for _, ra := range []string{"", "soon", "-3", "0", "Mon, 01 Jan 2001 00:00:00 GMT", "2001-01-01T00:00:00Z",
		"99999999999999999999999", "86400", "9999-12-31T23:59:59Z", "Fri, 31 Dec 9999 23:59:59 GMT"} {
		t.Run(fmt.Sprintf("QPS Retry-After %q", ra), func(t *testing.T) {
			h := newHostile(t, rateLimited("QPS", ra))
			var err error
			took := within(t, 30*time.Second, func() { _, err = h.client(nil, twoAttempts).User("u1").Get(context.Background(), nil) })
			if !errors.Is(err, zoomusers.ErrRateLimited) {
				t.Fatalf("err = %v, want ErrRateLimited", err)
			}
			if n := h.apiRequests.Load(); n != 2 {
				t.Errorf("server saw %d requests, want 2 attempts", n)
			}
			if took < time.Second {
				t.Errorf("retried after %s: inside the same one-second rate window", took)
			}
		})
	}
	// Not retried: a daily limit says to come back later than any sane in-process wait.
	for _, ra := range []string{"99999999999999999999999", "86400", "9999-12-31T23:59:59Z", "Fri, 31 Dec 9999 23:59:59 GMT"} {
		t.Run(fmt.Sprintf("Daily-limit Retry-After %q", ra), func(t *testing.T) {
			h := newHostile(t, rateLimited("Daily-limit", ra))
			var err error
			within(t, 30*time.Second, func() { _, err = h.client(nil).User("u1").Get(context.Background(), nil) })
			var zerr *zoomusers.Error
			if !errors.As(err, &zerr) || zerr.RetryAfter.Before(time.Now().Add(time.Hour)) {
				t.Fatalf("err = %v, want a 429 whose RetryAfter is far away", err)
			}
			if n := h.apiRequests.Load(); n != 1 {
				t.Errorf("server saw %d requests, want 1", n)
			}
		})
	}
	t.Run("oversized header", func(t *testing.T) {
		h := newHostile(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Junk", strings.Repeat("j", 2<<20))
			writeUser(w)
		})
		var err error
		within(t, 30*time.Second, func() { _, err = h.client(nil).User("u1").Get(context.Background(), nil) })
		if err == nil {
			t.Fatal("a 2 MB header was accepted")
		}
	})
}

// Storms: many goroutines meeting 401s or 429s neither multiply token requests nor retry
// without pause.
func TestFaultStorms(t *testing.T) {
	const callers = 50
	t.Run("401", func(t *testing.T) {
		h := newHostile(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"code":124,"message":"Invalid access token."}`)
		})
		c := h.client(nil)
		var wg sync.WaitGroup
		var unauthorized atomic.Int64
		within(t, 60*time.Second, func() {
			for range callers {
				wg.Go(func() {
					if _, err := c.User("u1").Get(context.Background(), nil); errors.Is(err, zoomusers.ErrUnauthorized) {
						unauthorized.Add(1)
					}
				})
			}
			wg.Wait()
		})
		if unauthorized.Load() != callers {
			t.Errorf("%d of %d callers got ErrUnauthorized", unauthorized.Load(), callers)
		}
		// Each caller tries once more with a fresh token, then gives up.
		if n := h.apiRequests.Load(); n != 2*callers {
			t.Errorf("server saw %d API requests, want %d", n, 2*callers)
		}
		// Each caller invalidates at most one token, and concurrent fetches are shared.
		if n := h.tokenRequests.Load(); n > callers+1 {
			t.Errorf("%d token requests for %d callers", n, callers)
		}
		t.Logf("%d token requests for %d callers", h.tokenRequests.Load(), callers)
	})
	t.Run("429", func(t *testing.T) {
		h := newHostile(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-RateLimit-Type", "QPS")
			w.WriteHeader(http.StatusTooManyRequests)
		})
		c := h.client(nil, zoomusers.WithRetryPolicy(zoomusers.DefaultRetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Second}))
		var wg sync.WaitGroup
		var limited atomic.Int64
		took := within(t, 60*time.Second, func() {
			for range callers {
				wg.Go(func() {
					if _, err := c.User("u1").Get(context.Background(), nil); errors.Is(err, zoomusers.ErrRateLimited) {
						limited.Add(1)
					}
				})
			}
			wg.Wait()
		})
		if limited.Load() != callers {
			t.Errorf("%d of %d callers got ErrRateLimited", limited.Load(), callers)
		}
		if n := h.apiRequests.Load(); n != 3*callers {
			t.Errorf("server saw %d requests, want %d", n, 3*callers)
		}
		if took < 2*time.Second {
			t.Errorf("three attempts in %s: retries did not wait for the next rate windows", took)
		}
		if n := h.tokenRequests.Load(); n != 1 {
			t.Errorf("%d token requests, want 1", n)
		}
	})
}

// Token endpoints that hang, fail or answer nonsense, for both OAuth flows.
func TestFaultTokenEndpoint(t *testing.T) {
	t.Run("hanging: each caller stops on its own context, one request in flight", func(t *testing.T) {
		h := newHostile(t, func(w http.ResponseWriter, r *http.Request) { writeUser(w) })
		release := make(chan struct{})
		h.setToken(func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-release:
				h.issueToken(w, r)
			case <-r.Context().Done():
			case <-t.Context().Done():
			}
		})
		c := h.client(nil)
		const callers = 20
		var wg sync.WaitGroup
		var timedOut atomic.Int64
		within(t, 30*time.Second, func() {
			for i := range callers {
				wg.Go(func() {
					ctx := deadline(t, time.Duration(100+10*i)*time.Millisecond)
					if _, err := c.User("u1").Get(ctx, nil); errors.Is(err, context.DeadlineExceeded) {
						timedOut.Add(1)
					}
				})
			}
			wg.Wait()
		})
		if timedOut.Load() != callers {
			t.Errorf("%d of %d callers stopped at their deadline", timedOut.Load(), callers)
		}
		if n := h.tokenRequests.Load(); n != 1 {
			t.Errorf("%d token requests in flight, want 1 shared by every caller", n)
		}
		if n := h.apiRequests.Load(); n != 0 {
			t.Errorf("%d API requests without a token", n)
		}
		// The fetch the callers abandoned goes on; its token serves the next call.
		close(release)
		if _, err := c.User("u1").Get(deadline(t, 20*time.Second), nil); err != nil {
			t.Fatal(err)
		}
		if n := h.tokenRequests.Load(); n != 1 {
			t.Errorf("%d token requests, want the one that was in flight", n)
		}
	})
	t.Run("canceled caller", func(t *testing.T) {
		h := newHostile(t, nil)
		h.setToken(func(w http.ResponseWriter, r *http.Request) { stall(t, r) })
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(100*time.Millisecond, cancel)
		var err error
		within(t, 20*time.Second, func() { _, err = h.client(nil).User("u1").Get(ctx, nil) })
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want one that wraps context.Canceled", err)
		}
	})

	echo := func(status int, contentType string) http.HandlerFunc {
		// A hostile endpoint that echoes what it was sent: the Authorization header and
		// the form, which hold the client secret or the refresh token.
		return func(w http.ResponseWriter, r *http.Request) {
			r.ParseForm()
			w.Header().Set("Content-Type", contentType)
			w.WriteHeader(status)
			fmt.Fprintf(w, `{"error":"invalid_client %s","reason":"bad %s %s","code":4741}`, r.Header.Get("Authorization"), r.PostForm.Encode(), hostileSecret)
		}
	}
	for name, endpoint := range map[string]http.HandlerFunc{
		"500 echoing the credentials": echo(http.StatusInternalServerError, "application/json"),
		"401 echoing the credentials": echo(http.StatusUnauthorized, "application/json"),
		"200 without an access token": func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, `{"token_type":"bearer"}`) },
		"200 with HTML":               func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "<html>"+hostileSecret+"</html>") },
		"200 with broken JSON": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"access_token":`)
		},
		"200 with a negative lifetime": nil, // below
	} {
		if endpoint == nil {
			continue
		}
		t.Run("server-to-server: "+name, func(t *testing.T) {
			h := newHostile(t, func(w http.ResponseWriter, r *http.Request) { writeUser(w) })
			h.setToken(endpoint)
			var log bytes.Buffer
			_, err := h.client(&log).User("u1").Get(context.Background(), nil)
			if err == nil {
				t.Fatal("no error")
			}
			if h.apiRequests.Load() != 0 {
				t.Error("an API request went out without a token")
			}
			if !strings.Contains(log.String(), "token request failed") || !strings.Contains(log.String(), "level=WARN") {
				t.Errorf("the failed token request was not logged as a warning:\n%s", log.String())
			}
			assertNoSecrets(t, err.Error()+log.String())
		})
	}
	t.Run("server-to-server: 200 with a negative lifetime", func(t *testing.T) {
		h := newHostile(t, func(w http.ResponseWriter, r *http.Request) { writeUser(w) })
		h.setToken(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"access_token":"tok-neg","token_type":"bearer","expires_in":-60}`)
		})
		c := h.client(nil)
		for range 10 {
			if _, err := c.User("u1").Get(context.Background(), nil); err != nil {
				t.Fatal(err)
			}
		}
		if n := h.tokenRequests.Load(); n != 1 {
			t.Errorf("%d token requests for 10 calls: a token without a usable lifetime is fetched again every time", n)
		}
	})

	t.Run("user OAuth: refresh refused with the refresh token echoed", func(t *testing.T) {
		h := newHostile(t, func(w http.ResponseWriter, r *http.Request) { writeUser(w) })
		h.setToken(echo(http.StatusBadRequest, "application/json"))
		var log bytes.Buffer
		var saved atomic.Int64
		cfg := &oauth2.Config{ClientID: hostileClient, ClientSecret: hostileSecret, Endpoint: oauth2.Endpoint{TokenURL: h.srv.URL + "/oauth/token", AuthStyle: oauth2.AuthStyleInHeader}}
		expired := &oauth2.Token{AccessToken: "tok-old", RefreshToken: "refresh-secret-1", Expiry: time.Now().Add(-time.Hour)}
		c := h.client(&log, zoomusers.WithUserOAuth(cfg, expired, func(context.Context, *oauth2.Token) error { saved.Add(1); return nil }))
		_, err := c.Me().Get(context.Background(), nil)
		var te *zoomusers.TokenError
		if !errors.As(err, &te) || te.Code != 4741 || !errors.Is(err, zoomusers.ErrUnauthorized) {
			t.Fatalf("err = %v, want a *TokenError with code 4741 matching ErrUnauthorized", err)
		}
		if saved.Load() != 0 {
			t.Error("a refused refresh was saved")
		}
		assertNoSecrets(t, err.Error()+log.String()+te.Reason+te.ErrorCode)
	})
	t.Run("user OAuth: hanging refresh", func(t *testing.T) {
		h := newHostile(t, func(w http.ResponseWriter, r *http.Request) { writeUser(w) })
		h.setToken(func(w http.ResponseWriter, r *http.Request) { stall(t, r) })
		cfg := &oauth2.Config{ClientID: hostileClient, ClientSecret: hostileSecret, Endpoint: oauth2.Endpoint{TokenURL: h.srv.URL + "/oauth/token"}}
		expired := &oauth2.Token{AccessToken: "tok-old", RefreshToken: "refresh-secret-1", Expiry: time.Now().Add(-time.Hour)}
		c := h.client(nil, zoomusers.WithUserOAuth(cfg, expired, func(context.Context, *oauth2.Token) error { return nil }))
		var err error
		within(t, 20*time.Second, func() { _, err = c.Me().Get(deadline(t, 200*time.Millisecond), nil) })
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("err = %v, want one that wraps context.DeadlineExceeded", err)
		}
	})
}

// Pacing: waits end with the context, and a slow token fetch does not release a burst.
func TestFaultPacing(t *testing.T) {
	t.Run("a slot past the deadline fails at once", func(t *testing.T) {
		h := newHostile(t, func(w http.ResponseWriter, r *http.Request) { writeUser(w) })
		// 2% of a Free account's Light limit: one request every 14 s.
		c := h.client(nil, zoomusers.WithPacing(zoomusers.PlanFree, 0.02))
		if _, err := c.User("u1").Get(context.Background(), nil); err != nil {
			t.Fatal(err)
		}
		var err error
		within(t, 10*time.Second, func() { _, err = c.User("u1").Get(deadline(t, time.Second), nil) })
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("err = %v, want one that wraps context.DeadlineExceeded", err)
		}
		if n := h.apiRequests.Load(); n != 1 {
			t.Errorf("server saw %d requests, want 1", n)
		}
	})
	t.Run("slow token fetch", func(t *testing.T) {
		var mu sync.Mutex
		var arrivals []time.Time
		h := newHostile(t, func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			arrivals = append(arrivals, time.Now())
			mu.Unlock()
			writeUser(w)
		})
		h.setToken(func(w http.ResponseWriter, r *http.Request) {
			time.Sleep(1500 * time.Millisecond)
			h.issueToken(w, r)
		})
		// Free plan, Light label: 4 requests a second at most.
		c := h.client(nil, zoomusers.WithPacing(zoomusers.PlanFree, 1))
		var wg sync.WaitGroup
		within(t, 60*time.Second, func() {
			for range 12 {
				wg.Go(func() {
					if _, err := c.User("u1").Get(context.Background(), nil); err != nil {
						t.Error(err)
					}
				})
			}
			wg.Wait()
		})
		mu.Lock()
		defer mu.Unlock()
		for i := range arrivals {
			inWindow := 0
			for _, a := range arrivals[i:] {
				if a.Sub(arrivals[i]) < time.Second {
					inWindow++
				}
			}
			if inWindow > 4 {
				t.Fatalf("%d requests arrived within one second of request %d: the token wait released a burst", inWindow, i)
			}
		}
	})
}

// Retry waits end with the context too, and the error keeps the answer that caused them.
func TestFaultRetryWaitEndsWithContext(t *testing.T) {
	h := newHostile(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3")
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	for name, ctx := range map[string]func() context.Context{
		"deadline before the wait ends": func() context.Context { return deadline(t, time.Second) },
		"canceled during the wait": func() context.Context {
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(200*time.Millisecond, cancel)
			return ctx
		},
	} {
		t.Run(name, func(t *testing.T) {
			var err error
			took := within(t, 20*time.Second, func() { _, err = h.client(nil).User("u1").Get(ctx(), nil) })
			var zerr *zoomusers.Error
			if !errors.As(err, &zerr) || zerr.StatusCode != 503 {
				t.Errorf("err = %v, want it to carry the 503", err)
			}
			if !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, context.Canceled) {
				t.Errorf("err = %v, want it to wrap the context's error", err)
			}
			if took >= 3*time.Second {
				t.Errorf("waited %s, the whole Retry-After, past the context", took)
			}
		})
	}
}
