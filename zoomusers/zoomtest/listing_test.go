package zoomtest_test

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest"
)

type listedPage struct {
	NextPageToken string `json:"next_page_token"`
	PageNumber    int    `json:"page_number"`
	PageCount     int    `json:"page_count"`
	TotalRecords  int    `json:"total_records"`
	Users         []struct {
		Email   string `json:"email"`
		HostKey string `json:"host_key"`
		RoleID  string `json:"role_id"`
	} `json:"users"`
}

func (p listedPage) emails() []string {
	var out []string
	for _, u := range p.Users {
		out = append(out, u.Email)
	}
	return out
}

func list(t *testing.T, srv *zoomtest.Server, query string) (listedPage, answer) {
	t.Helper()
	a := call(t, srv, "GET", "/users?"+query, "", nil)
	var p listedPage
	if a.status == 200 {
		decodeJSON(t, a.body, &p)
	}
	return p, a
}

func TestListFiltersAndFields(t *testing.T) {
	srv := zoomtest.NewServer(zoomtest.WithUsers(5), zoomtest.WithoutRateLimits())
	defer srv.Close()
	if p, _ := list(t, srv, "role_id=0"); !slices.Equal(p.emails(), []string{zoomtest.OwnerEmail}) || p.TotalRecords != 1 {
		t.Errorf("role_id=0 listed %v", p.emails())
	}
	if p, _ := list(t, srv, "role_id=2"); len(p.Users) != 5 || slices.Contains(p.emails(), zoomtest.OwnerEmail) {
		t.Errorf("role_id=2 listed %v", p.emails())
	}
	// Host keys appear only when asked for: the one set, else six digits.
	c := newClient(t, srv)
	if err := c.User("u1@example.com").Update(context.Background(), zoomusers.UserUpdate{HostKey: zoomusers.Ptr("975310")}, nil); err != nil {
		t.Fatal(err)
	}
	p, _ := list(t, srv, "include_fields=host_key")
	for _, u := range p.Users {
		if len(u.HostKey) != 6 || strings.Trim(u.HostKey, "0123456789") != "" {
			t.Errorf("%s host key %q", u.Email, u.HostKey)
		}
	}
	if p.Users[2].HostKey != "975310" {
		t.Errorf("u1's host key listed as %q", p.Users[2].HostKey)
	}
	if p, _ := list(t, srv, "include_fields=custom_attributes"); p.Users[0].HostKey != "" {
		t.Errorf("host key listed without being asked for: %q", p.Users[0].HostKey)
	}
	if got, _ := c.User("u1@example.com").Get(context.Background(), nil); got.HostKey != nil {
		t.Errorf("GET user shows the host key %q", *got.HostKey)
	}
}

func TestPageTokensLastFifteenMinutes(t *testing.T) {
	now := time.Date(2026, 2, 2, 10, 0, 0, 0, time.UTC)
	srv := zoomtest.NewServer(zoomtest.WithUsers(7), zoomtest.WithClock(func() time.Time { return now }), zoomtest.WithoutRateLimits())
	defer srv.Close()
	first, _ := list(t, srv, "page_size=3")
	if first.PageNumber != 1 || first.NextPageToken == "" {
		t.Fatalf("first page: %+v", first)
	}
	now = now.Add(15 * time.Minute) // exactly the token's lifetime
	second, a := list(t, srv, "page_size=3&next_page_token="+url.QueryEscape(first.NextPageToken))
	if a.status != 200 || second.PageNumber != 2 || !slices.Equal(second.emails(), []string{"u2@example.com", "u3@example.com", "u4@example.com"}) {
		t.Errorf("second page at 15 minutes: %d %+v", a.status, second)
	}
	now = now.Add(15*time.Minute + time.Nanosecond)
	_, a = list(t, srv, "page_size=3&next_page_token="+url.QueryEscape(second.NextPageToken))
	if a.status != 400 || a.zoom.Code != 300 || a.zoom.Message != "The next page token is either invalid or has expired." {
		t.Errorf("third page after 15 minutes: %d %q", a.status, a.zoom.Message)
	}
	// A token asked with other filters: no refusal documented, so it goes on where it left
	// off, with the filters asked now.
	fresh, _ := list(t, srv, "page_size=3")
	if next, a := list(t, srv, "page_size=4&next_page_token="+url.QueryEscape(fresh.NextPageToken)); a.status != 200 || !slices.Equal(next.emails(), []string{"u2@example.com", "u3@example.com", "u4@example.com", "u5@example.com"}) {
		t.Errorf("a token with another page size: %d %v", a.status, next.emails())
	}
}

func TestSummaryCounts(t *testing.T) {
	srv := zoomtest.NewServer(zoomtest.WithUsers(7), zoomtest.WithoutRateLimits())
	defer srv.Close()
	c := newClient(t, srv)
	ctx := context.Background()
	if _, err := c.CreateUser(ctx, zoomusers.CreateUserRequest{Action: zoomusers.CreateUserActionCreate, UserInfo: zoomusers.NewUser{Email: "p@example.com", Type: zoomusers.UserTypeLicensed}}); err != nil {
		t.Fatal(err)
	}
	s, err := c.Summary(ctx)
	// The owner and u0, u3, u6 are licensed; u1, u2, u4, u5 basic; p pending.
	if err != nil || *s.LicensedUsersCount != 4 || *s.BasicUsersCount != 4 || *s.PendingUsersCount != 1 || *s.TotalUsersCount != 9 {
		t.Errorf("summary = %+v, %v", s, err)
	}
}

func TestBulkFeatureReportsOnlyFailures(t *testing.T) {
	srv := zoomtest.NewServer(zoomtest.WithUsers(3), zoomtest.WithoutRateLimits())
	defer srv.Close()
	a := callJSON(t, srv, "POST", "/users/features", map[string]any{"feature_type": "zoom_whiteboard", "feature_value": "true",
		"users": []map[string]string{{"email": "u0@example.com"}, {"email": "u1@example.com"}}})
	if a.status != 201 || strings.Contains(string(a.body), "fail_details") {
		t.Errorf("all users found: %d %s", a.status, a.body)
	}
	a = callJSON(t, srv, "POST", "/users/features", map[string]any{"feature_type": "zoom_whiteboard", "feature_value": "false",
		"users": []map[string]string{{"email": "u2@example.com"}, {"id": "nobody"}}})
	if a.status != 201 || !strings.Contains(string(a.body), `"user_ids":["nobody"]`) {
		t.Errorf("one user missing: %d %s", a.status, a.body)
	}
	for i, want := range []string{"true", "true", "false"} {
		if st, _ := srv.UserState(fmt.Sprintf("u%d@example.com", i)); st.Features["zoom_whiteboard"] != want {
			t.Errorf("u%d zoom_whiteboard = %q, want %q", i, st.Features["zoom_whiteboard"], want)
		}
	}
}

// Only validation failures carry an errors list, as in Zoom's answers.
func TestErrorsListOnlyOnValidationFailures(t *testing.T) {
	srv := zoomtest.NewServer(zoomtest.WithoutRateLimits())
	defer srv.Close()
	a := call(t, srv, "GET", "/users/ghost@example.com", "", nil)
	if a.status != 404 || a.zoom.Code != 1001 || strings.Contains(string(a.body), `"errors"`) {
		t.Errorf("a missing user: %d %s", a.status, a.body)
	}
}
