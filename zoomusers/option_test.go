package zoomusers

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// rateLimited answers a user with the rate-limit headers Zoom sends (ZOOM_FACTS.md, Rate
// limits: X-RateLimit-Category, -Type, -Limit, -Remaining).
func rateLimited(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-RateLimit-Category", "Light")
	w.Header().Set("X-RateLimit-Type", "QPS")
	w.Header().Set("X-RateLimit-Limit", "30")
	w.Header().Set("X-RateLimit-Remaining", "29")
	okUser(w, r)
}

func TestWithResponseIntoSuccess(t *testing.T) {
	f := newFakeZoom(t, rateLimited)
	c := f.client()
	var resp Response
	u, err := c.User("u1").Get(context.Background(), nil, WithResponseInto(&resp))
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || resp.TrackingID != "trk-1" || resp.Attempts != 1 {
		t.Errorf("response = %d %q attempts %d, want 200 trk-1 1", resp.StatusCode, resp.TrackingID, resp.Attempts)
	}
	if want := (RateLimit{Category: "Light", Type: "QPS", Limit: 30, Remaining: 29}); resp.RateLimit != want {
		t.Errorf("rate limit = %+v, want %+v", resp.RateLimit, want)
	}
	var raw map[string]any
	if err := json.Unmarshal(resp.Body, &raw); err != nil || raw["email"] != u.GetEmail() || raw["pmi"] != float64(3542471135) {
		t.Errorf("body = %s (%v), want the user's JSON", resp.Body, err)
	}
	if resp.Header.Get("X-RateLimit-Category") != "Light" {
		t.Errorf("header = %v", resp.Header)
	}
	// A call without the option leaves the earlier capture alone.
	if _, err := c.User("u1").Get(context.Background(), nil); err != nil || resp.TrackingID != "trk-1" {
		t.Errorf("second call: %v, tracking id %q", err, resp.TrackingID)
	}
}

func TestWithResponseIntoFailure(t *testing.T) {
	var n atomic.Int32
	f := newFakeZoom(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) < 3 {
			zoomError(w, http.StatusServiceUnavailable, 0, "busy")
			return
		}
		zoomError(w, http.StatusNotFound, CodeUserNotFound, "User does not exist: nobody.")
	})
	var resp Response
	_, err := f.client().User("nobody").Get(context.Background(), nil, WithResponseInto(&resp))
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("err = %v, want not found", err)
	}
	if resp.StatusCode != 404 || resp.Attempts != 3 || resp.TrackingID != "trk-3" || !strings.Contains(string(resp.Body), "User does not exist") {
		t.Errorf("response = %d attempts %d %q body %s; want the last answer, 404 after 3 attempts", resp.StatusCode, resp.Attempts, resp.TrackingID, resp.Body)
	}
}

func TestWithResponseIntoNoAnswer(t *testing.T) {
	f := newFakeZoom(t, func(http.ResponseWriter, *http.Request) { panic(http.ErrAbortHandler) })
	resp := Response{StatusCode: 999}
	if _, err := f.client().Summary(context.Background(), WithResponseInto(&resp)); err == nil {
		t.Fatal("no error from a dropped connection")
	}
	if resp.StatusCode != 0 || resp.Attempts != 4 {
		t.Errorf("status %d after %d attempts without an answer, want 0 after 4", resp.StatusCode, resp.Attempts)
	}
}

func TestWithMaxResponseBytesPerCall(t *testing.T) {
	f := newFakeZoom(t, okUser)
	c := f.client()
	if _, err := c.User("u1").Get(context.Background(), nil, WithMaxResponseBytes(10)); !errors.Is(err, ErrResponseTooLarge) {
		t.Errorf("err = %v, want ErrResponseTooLarge with a 10-byte bound for this call", err)
	}
	if _, err := c.User("u1").Get(context.Background(), nil); err != nil {
		t.Errorf("the next call keeps the client's bound: %v", err)
	}
}

func TestWithHeaderOnlyOnThatCall(t *testing.T) {
	f := newFakeZoom(t, okUser)
	c := f.client(WithHeader("X-Team", "billing"), WithHeader("X-Trace", "client"))
	ctx := context.Background()
	if _, err := c.User("u1").Get(ctx, nil, WithHeader("X-Trace", "one-call"), WithHeader("X-Once", "yes")); err != nil {
		t.Fatal(err)
	}
	if _, err := c.User("u1").Get(ctx, nil); err != nil {
		t.Fatal(err)
	}
	first, second := f.requests[0].Header, f.requests[1].Header
	if first.Get("X-Once") != "yes" || first.Get("X-Trace") != "one-call" || first.Get("X-Team") != "billing" {
		t.Errorf("first call's headers = %v", first)
	}
	if second.Get("X-Once") != "" || second.Get("X-Trace") != "client" || second.Get("X-Team") != "billing" {
		t.Errorf("second call's headers = %v; the call's own header must not stay", second)
	}
	if first.Get("Authorization") == "" || first.Get("User-Agent") == "" {
		t.Errorf("the client's own headers are gone: %v", first)
	}
	if _, err := c.User("u1").Get(ctx, nil, WithHeader("authorization", "Bearer stolen")); err == nil || len(f.requests) != 2 {
		t.Errorf("WithHeader(Authorization) = %v after %d requests, want a refusal before sending", err, len(f.requests))
	}
}

// retryEverything retries any failed attempt at once, up to three attempts, so that a
// POST the default policy would not repeat is repeated.
type retryEverything struct{}

func (retryEverything) Backoff(a Attempt) (time.Duration, bool) {
	return time.Millisecond, a.Number < 3
}

func TestRetriesOffForOnePOST(t *testing.T) {
	var posts atomic.Int32
	f := newFakeZoom(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && posts.Add(1) <= 3 {
			zoomError(w, http.StatusServiceUnavailable, 0, "busy")
			return
		}
		writeJSON(w, http.StatusCreated, map[string]any{"id": "new1", "email": "new@example.com"})
	})
	c := f.client(WithRetryPolicy(retryEverything{}))
	req := CreateUserRequest{Action: "create", UserInfo: NewUser{Email: "new@example.com", Type: UserTypeBasic}}
	var once Response
	_, err := c.CreateUser(context.Background(), req, WithRetryPolicy(NoRetries), WithResponseInto(&once))
	if err == nil || posts.Load() != 1 || once.Attempts != 1 || once.StatusCode != 503 {
		t.Fatalf("with NoRetries: err %v after %d POSTs (captured %d attempts, status %d), want one 503", err, posts.Load(), once.Attempts, once.StatusCode)
	}
	var again Response
	if _, err := c.CreateUser(context.Background(), req, WithResponseInto(&again)); err != nil {
		t.Fatalf("the client's policy: %v", err)
	}
	if posts.Load() != 4 || again.Attempts != 3 || again.StatusCode != 201 {
		t.Errorf("without the option: %d POSTs in all, %d attempts, status %d; want 4, 3, 201", posts.Load(), again.Attempts, again.StatusCode)
	}
}

func TestClientOptionRefusedPerCall(t *testing.T) {
	f := newFakeZoom(t, okUser)
	c := f.client()
	_, err := c.User("u1").Get(context.Background(), nil, WithBaseURL("https://elsewhere.example.com/v2"))
	if !errors.Is(err, errClientOption) || f.apiRequests.Load() != 0 {
		t.Errorf("err = %v after %d requests, want errClientOption before sending", err, f.apiRequests.Load())
	}
	if _, err := New(WithAccessToken("t"), WithResponseInto(&Response{})); err == nil || !strings.Contains(err.Error(), "one call") {
		t.Errorf("New(WithResponseInto) = %v, want a refusal", err)
	}
}

func TestPagerAppliesOptionsToEveryPage(t *testing.T) {
	f := newFakeZoom(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("next_page_token") == "" {
			writeJSON(w, 200, map[string]any{"users": []any{map[string]any{"id": "a", "type": 1}}, "next_page_token": "p2"})
			return
		}
		writeJSON(w, 200, map[string]any{"users": []any{map[string]any{"id": "b", "type": 1}}})
	})
	var resp Response
	n := 0
	for _, err := range f.client().ListUsers(context.Background(), nil, WithHeader("X-Job", "sync"), WithResponseInto(&resp)).All() {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 2 || len(f.requests) != 2 {
		t.Fatalf("%d users in %d requests, want 2 in 2", n, len(f.requests))
	}
	for i, r := range f.requests {
		if r.Header.Get("X-Job") != "sync" {
			t.Errorf("page %d lacks the header", i+1)
		}
	}
	if resp.TrackingID != "trk-2" || !strings.Contains(string(resp.Body), `"b"`) {
		t.Errorf("captured %q %s, want the last page's answer", resp.TrackingID, resp.Body)
	}
}

func TestHandleWith(t *testing.T) {
	f := newFakeZoom(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 201, map[string]any{"ids": "a1", "add_at": "2024-01-01T00:00:00Z"})
	})
	u := f.client().User("u1")
	var resp Response
	if _, err := u.With(WithHeader("X-Job", "onboard"), WithResponseInto(&resp)).AddAssistants(context.Background(), Assistant{Email: Ptr("a@example.com")}); err != nil {
		t.Fatal(err)
	}
	if _, err := u.AddAssistants(context.Background(), Assistant{Email: Ptr("a@example.com")}); err != nil {
		t.Fatal(err)
	}
	if f.requests[0].Header.Get("X-Job") != "onboard" || f.requests[1].Header.Get("X-Job") != "" || resp.StatusCode != 201 {
		t.Errorf("headers %q then %q, captured %d; want the header on the With handle's call alone", f.requests[0].Header.Get("X-Job"), f.requests[1].Header.Get("X-Job"), resp.StatusCode)
	}
}

// authSettingsZoom holds one user's recording authentication switch, answers GET settings
// for option=recording_authentication and applies PATCH bodies, as Zoom does.
func authSettingsZoom(t *testing.T, on bool) (*fakeZoom, *atomic.Bool) {
	var state atomic.Bool
	state.Store(on)
	f := newFakeZoom(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			writeJSON(w, 200, map[string]any{"recording_authentication": state.Load(), "authentication_options": []any{}})
			return
		}
		var body map[string]json.RawMessage
		json.NewDecoder(r.Body).Decode(&body)
		if v, ok := body["recording_authentication"]; ok {
			state.Store(string(v) == "true")
		}
		w.WriteHeader(http.StatusNoContent)
	})
	return f, &state
}

// TestRecordingAuthOptionAloneKeepsTheSwitch: the old RecordingAuthUpdate sent its switch,
// false unless set, with every change, so changing one authentication option turned
// recording authentication off.
func TestRecordingAuthOptionAloneKeepsTheSwitch(t *testing.T) {
	f, on := authSettingsZoom(t, true)
	u := f.client().User("u1")
	opt := &AuthenticationOptionUpdate{Action: Ptr(AuthenticationOptionUpdateAction("update")), ID: Ptr("auth-1"), Domains: Ptr("example.com")}
	if err := u.UpdateRecordingAuthentication(context.Background(), RecordingAuthUpdate{AuthenticationOption: opt}); err != nil {
		t.Fatal(err)
	}
	if !on.Load() {
		t.Errorf("changing an authentication option turned recording authentication off")
	}
	last := f.bodies[len(f.bodies)-1]
	var sent map[string]json.RawMessage
	if err := json.Unmarshal(last, &sent); err != nil || string(sent["recording_authentication"]) != "true" || sent["authentication_option"] == nil {
		t.Errorf("sent %s, want the option with the current switch (true)", last)
	}
	// Setting the switch sends it as set, without reading first.
	before := len(f.requests)
	if err := u.UpdateRecordingAuthentication(context.Background(), RecordingAuthUpdate{RecordingAuthentication: Ptr(false)}); err != nil || on.Load() || len(f.requests) != before+1 {
		t.Errorf("switch off: %v, on %v, %d requests; want one PATCH turning it off", err, on.Load(), len(f.requests)-before)
	}
	if err := u.UpdateRecordingAuthentication(context.Background(), RecordingAuthUpdate{}); err == nil || len(f.requests) != before+1 {
		t.Errorf("empty update: %v; want a refusal naming the fields, before sending", err)
	}
}

// TestMeetingAuthOptionAloneSendsNoSwitch: the meeting body carries only what was set.
func TestMeetingAuthOptionAloneSendsNoSwitch(t *testing.T) {
	f := newFakeZoom(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	u := f.client().User("u1")
	opt := &AuthenticationOptionUpdate{Action: Ptr(AuthenticationOptionUpdateAction("show")), ID: Ptr("auth-1")}
	if err := u.UpdateMeetingAuthentication(context.Background(), MeetingAuthUpdate{AuthenticationOption: opt}); err != nil {
		t.Fatal(err)
	}
	var sent map[string]json.RawMessage
	if err := json.Unmarshal(f.bodies[0], &sent); err != nil || len(sent) != 1 || sent["authentication_option"] == nil {
		t.Errorf("sent %s, want the authentication option alone", f.bodies[0])
	}
	if err := u.UpdateMeetingAuthentication(context.Background(), MeetingAuthUpdate{}); err == nil || len(f.requests) != 1 {
		t.Errorf("empty update: %v; want a refusal before sending", err)
	}
}

// MeHandle's own calls take options too, per call and through With, which keeps the
// handle a MeHandle.
func TestMeHandleTakesOptions(t *testing.T) {
	f := newFakeZoom(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"token": "t-" + r.URL.Path})
	})
	me := f.client().Me()
	ctx := context.Background()
	var resp Response
	if _, err := me.With(WithHeader("X-Job", "join")).OnBehalfToken(ctx, "81234567890", WithResponseInto(&resp)); err != nil {
		t.Fatal(err)
	}
	if _, err := me.With(WithHeader("X-Job", "zak")).ZAK(ctx, WithHeader("X-Once", "yes")); err != nil {
		t.Fatal(err)
	}
	if _, err := me.OnBehalfToken(ctx, "81234567890"); err != nil {
		t.Fatal(err)
	}
	obf, zak, plain := f.requests[0].Header, f.requests[1].Header, f.requests[2].Header
	if obf.Get("X-Job") != "join" || resp.StatusCode != 200 || !strings.HasSuffix(f.requests[0].URL.Path, "/users/me/token") {
		t.Errorf("OnBehalfToken through With: X-Job %q, captured status %d; want the handle's header and the answer", obf.Get("X-Job"), resp.StatusCode)
	}
	if zak.Get("X-Job") != "zak" || zak.Get("X-Once") != "yes" {
		t.Errorf("ZAK through With: headers %v; want the handle's and the call's", zak)
	}
	if plain.Get("X-Job") != "" {
		t.Errorf("the handle With was called on kept its options: X-Job %q", plain.Get("X-Job"))
	}
}

// A call that fails before any request leaves WithResponseInto's Response empty, not
// holding the answer of an earlier call: refused from the daily-limit memory, or for
// another per-call option.
func TestWithResponseIntoClearedWhenNothingWasSent(t *testing.T) {
	midnight := time.Now().UTC().Truncate(24 * time.Hour).Add(24 * time.Hour).Format(time.RFC3339)
	f := newFakeZoom(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", midnight)
		zoomError(w, http.StatusTooManyRequests, 429, "You have exceeded the daily rate limit (100) of User API requests permitted for this particular user.")
	})
	c := f.client()
	ctx := context.Background()
	if _, err := c.User("u1").Get(ctx, nil); !errors.Is(err, ErrRateLimited) {
		t.Fatalf("first call: %v, want the daily limit", err)
	}
	resp := Response{StatusCode: 999, TrackingID: "stale"}
	if _, err := c.User("u1").Get(ctx, nil, WithResponseInto(&resp)); !errors.Is(err, ErrRateLimited) || f.apiRequests.Load() != 1 {
		t.Fatalf("second call: %v after %d requests, want the remembered limit without a request", err, f.apiRequests.Load())
	}
	if resp.StatusCode != 0 || resp.TrackingID != "" || resp.Attempts != 0 {
		t.Errorf("after a refusal from memory the Response holds %+v, want it empty", resp)
	}
	resp = Response{StatusCode: 999}
	if _, err := c.User("u2").Get(ctx, nil, WithResponseInto(&resp), WithMaxResponseBytes(0)); err == nil || resp.StatusCode != 0 {
		t.Errorf("after a refused option: %v, Response status %d; want an error and an empty Response", err, resp.StatusCode)
	}
}

// A header name that is not a token, or a value with a control character, is refused when
// the option is applied, not sent to fail in the transport attempt after attempt.
func TestWithHeaderRefusesWhatHTTPCannotCarry(t *testing.T) {
	f := newFakeZoom(t, okUser)
	c := f.client()
	ctx := context.Background()
	for _, h := range [][2]string{
		{"X-Note", "line one\nX-Injected: yes"},
		{"X-Note", "carriage\rreturn"},
		{"X-Note", "nul\x00"},
		{"X-Note", "del\x7f"},
		{"X Note", "space in the name"},
		{"X-Note:", "colon in the name"},
		{"", "no name"},
		{"X-Nöte", "non-ASCII name"},
	} {
		if _, err := New(WithServerToServer(testAccount, testClient, testSecret), WithHeader(h[0], h[1])); err == nil {
			t.Errorf("New with WithHeader(%q, %q): no error", h[0], h[1])
		}
		if _, err := c.User("u1").Get(ctx, nil, WithHeader(h[0], h[1])); err == nil || !strings.Contains(err.Error(), "WithHeader") {
			t.Errorf("a call with WithHeader(%q, %q): %v, want the option refused", h[0], h[1], err)
		}
	}
	if n := f.apiRequests.Load(); n != 0 {
		t.Errorf("%d requests sent with refused headers, want 0", n)
	}
	// A tab, and bytes from 0x80 (obsolete text, still valid), are allowed in a value.
	if _, err := c.User("u1").Get(ctx, nil, WithHeader("X-Note", "tab\tand é")); err != nil || f.requests[0].Header.Get("X-Note") != "tab\tand é" {
		t.Errorf("a value with a tab and UTF-8: %v, sent %q", err, f.requests[0].Header.Get("X-Note"))
	}
}
