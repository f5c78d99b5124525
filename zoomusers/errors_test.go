package zoomusers

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestErrorBodies(t *testing.T) {
	tests := []struct {
		name    string
		serve   http.HandlerFunc
		want    Error
		is      []error
		message string // a substring of Error()
	}{{
		name: "zoom json",
		serve: func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 404, map[string]any{"code": 1001, "message": "User does not exist: x@example.com."})
		},
		want: Error{StatusCode: 404, Code: 1001, Message: "User does not exist: x@example.com."},
		is:   []error{ErrNotFound},
	}, {
		name: "field errors",
		serve: func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 400, map[string]any{"code": 300, "message": "Validation Failed.", "errors": []any{map[string]any{"field": "user_info.email", "message": "Invalid field."}}})
		},
		want:    Error{StatusCode: 400, Code: 300, Message: "Validation Failed.", FieldErrors: []FieldError{{Field: "user_info.email", Message: "Invalid field."}}},
		message: "user_info.email: Invalid field.",
	}, {
		name: "conflict",
		serve: func(w http.ResponseWriter, r *http.Request) {
			zoomError(w, 409, CodeEmailInUse, "User already in the account: a@example.com")
		},
		want: Error{StatusCode: 409, Code: 1005, Message: "User already in the account: a@example.com"},
		is:   []error{ErrConflict},
	}, {
		name: "forbidden",
		serve: func(w http.ResponseWriter, r *http.Request) {
			zoomError(w, 403, CodeMissingScopes, "Invalid access token, does not contain scopes.")
		},
		want: Error{StatusCode: 403, Code: 4700, Message: "Invalid access token, does not contain scopes."},
		is:   []error{ErrForbidden},
	}, {
		name: "html from the edge",
		serve: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(429)
			w.Write([]byte("<html><body><h1>429 Too Many Requests</h1></body></html>"))
		},
		want:    Error{StatusCode: 429, Message: "non-JSON body (text/html): <html><body><h1>429 Too Many Requests</h1></body></html>"},
		is:      []error{ErrRateLimited},
		message: "non-JSON body (text/html): <html><body><h1>429 Too Many Requests</h1></body></html>",
	}, {
		name: "empty body",
		serve: func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(404)
		},
		want:    Error{StatusCode: 404, Message: "empty body"},
		is:      []error{ErrNotFound},
		message: "404 Not Found: empty body",
	}, {
		name: "unescaped quotes",
		serve: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(400)
			w.Write([]byte(`{"code":300,"message":"Value "abc" is invalid"}`))
		},
		want: Error{StatusCode: 400, Code: 300, Message: `Value "abc" is invalid`},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeZoom(t, tt.serve)
			_, err := f.client(WithRetryPolicy(NoRetries)).User("x@example.com").Get(context.Background(), nil)
			var got *Error
			if !errors.As(err, &got) {
				t.Fatalf("err = %v (%T), want *Error", err, err)
			}
			if got.TrackingID != "trk-1" {
				t.Errorf("TrackingID = %q, want trk-1", got.TrackingID)
			}
			if got.Method != "GET" || got.Path != "/v2/users/x@example.com" {
				t.Errorf("request = %s %s", got.Method, got.Path)
			}
			tt.want.Method, tt.want.Path, tt.want.TrackingID = got.Method, got.Path, got.TrackingID
			if tt.want.RateLimit == (RateLimit{}) {
				tt.want.RateLimit.Remaining = -1
			}
			if diff := cmp.Diff(&tt.want, got, cmpIgnoreBody); diff != "" {
				t.Errorf("Error mismatch (-want +got):\n%s", diff)
			}
			for _, target := range tt.is {
				if !errors.Is(err, target) {
					t.Errorf("errors.Is(err, %v) = false", target)
				}
			}
			if !strings.Contains(err.Error(), tt.message) || !strings.Contains(err.Error(), "trk-1") {
				t.Errorf("Error() = %q, want it to contain %q and the tracking id", err.Error(), tt.message)
			}
		})
	}
}

var cmpIgnoreBody = cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".Body" }, cmp.Ignore())

func TestCodeIsNotStatus(t *testing.T) {
	// Zoom's code 200 means "no privilege": it must never pass for success.
	f := newFakeZoom(t, func(w http.ResponseWriter, r *http.Request) {
		zoomError(w, 400, CodeNoPrivilege, "No privilege.")
	})
	err := f.client().User("u1").Delete(context.Background(), nil)
	var zerr *Error
	if !errors.As(err, &zerr) || zerr.Code != 200 || zerr.StatusCode != 400 {
		t.Fatalf("err = %v, want code 200 with status 400", err)
	}
}

func TestAny2xxIsSuccess(t *testing.T) {
	for _, status := range []int{200, 201, 202, 204} {
		f := newFakeZoom(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header()["Content-Type"] = nil
			w.Header().Set("X-Zm-Trackingid", "trk-empty")
			w.WriteHeader(status)
		})
		if err := f.client().User("u1").SetStatus(context.Background(), UserStatusActionDeactivate); err != nil {
			t.Errorf("status %d with an empty body: %v", status, err)
		}
		// Create promises the new user in its answer: without one, the caller must not get
		// a zero user that looks like success.
		created, err := f.client().CreateUser(context.Background(), CreateUserRequest{Action: CreateUserActionCreate})
		if !errors.Is(err, ErrEmptyResponse) || created != nil {
			t.Errorf("create answered %d with an empty body: %v, %v; want ErrEmptyResponse", status, created, err)
			continue
		}
		for _, want := range []string{"userCreate", fmt.Sprint(status), "trk-empty"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not name %s", err, want)
			}
		}
	}
}

func TestUnknownFieldsDoNotFailDecoding(t *testing.T) {
	f := newFakeZoom(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"id":"u1","email":"not an address","type":1,"pmi":9876543210,"division_ids":["d1"],"license_info_list":[{"x":1}]}`))
	})
	u, err := f.client().User("u1").Get(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if *u.PMI != 9876543210 || *u.Email != "not an address" {
		t.Errorf("user = %+v", u)
	}
}

func TestDailyLimitErrorSaysWhenToComeBack(t *testing.T) {
	reset := time.Now().Add(20 * time.Hour).UTC().Truncate(time.Second)
	f := newFakeZoom(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-RateLimit-Type", "Daily-limit")
		w.Header().Set("X-RateLimit-Category", "Light")
		w.Header().Set("X-RateLimit-Limit", "6000")
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("Retry-After", reset.Format(time.RFC3339))
		zoomError(w, 429, 429, "You have reached the maximum daily rate limit for this API.")
	})
	_, err := f.client().User("u1").Get(context.Background(), nil)
	var zerr *Error
	if !errors.As(err, &zerr) {
		t.Fatal(err)
	}
	if !zerr.DailyLimit() || !zerr.RetryAfter.Equal(reset) {
		t.Errorf("DailyLimit = %v, RetryAfter = %v, want true, %v", zerr.DailyLimit(), zerr.RetryAfter, reset)
	}
	want := RateLimit{Category: "Light", Type: "Daily-limit", Limit: 6000, Remaining: 0}
	if zerr.RateLimit != want {
		t.Errorf("RateLimit = %+v, want %+v", zerr.RateLimit, want)
	}
	if !strings.Contains(err.Error(), "retry after "+reset.Format(time.RFC3339)) {
		t.Errorf("Error() = %q does not say when to come back", err)
	}
	if n := f.apiRequests.Load(); n != 1 {
		t.Errorf("a daily limit was retried: %d requests", n)
	}
}
