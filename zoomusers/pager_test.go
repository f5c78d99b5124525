package zoomusers

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
)

// pagedUsers serves total users in pages, checking that every page repeats the filters.
func pagedUsers(t *testing.T, total int, filters url.Values) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		for k := range filters {
			if q.Get(k) != filters.Get(k) {
				t.Errorf("page %q: %s = %q, want %q", q.Get("next_page_token"), k, q.Get(k), filters.Get(k))
			}
		}
		size := 0
		fmt.Sscan(q.Get("page_size"), &size)
		start := 0
		if tok := q.Get("next_page_token"); tok != "" {
			fmt.Sscanf(tok, "tok-%d", &start)
		}
		end := min(start+size, total)
		users := []map[string]any{}
		for i := start; i < end; i++ {
			users = append(users, map[string]any{"id": fmt.Sprint("u", i), "email": fmt.Sprintf("u%d@example.com", i), "type": 1})
		}
		next := ""
		if end < total {
			next = fmt.Sprint("tok-", end)
		}
		writeJSON(w, 200, map[string]any{"page_size": size, "total_records": total, "next_page_token": next, "users": users})
	}
}

func TestListUsersAllPages(t *testing.T) {
	filters := url.Values{"status": {"inactive"}, "role_id": {"2"}, "page_size": {"7"}, "include_fields": {"host_key"}, "license": {"zoom_workforce_management"}}
	f := newFakeZoom(t, pagedUsers(t, 20, filters))
	c := f.client()
	var ids []string
	for u, err := range c.ListUsers(context.Background(), &ListUsersParams{
		Status: UserStatusInactive, RoleID: "2", PageSize: 7,
		IncludeFields: "host_key", License: "zoom_workforce_management",
	}).All() {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, *u.ID)
	}
	if len(ids) != 20 || ids[0] != "u0" || ids[19] != "u19" {
		t.Errorf("listed %d users: %v", len(ids), ids)
	}
	if n := f.apiRequests.Load(); n != 3 {
		t.Errorf("requests = %d, want 3 pages", n)
	}
}

func TestListUsersPagesCarryMetadata(t *testing.T) {
	f := newFakeZoom(t, pagedUsers(t, 5, nil))
	var pages []*UserPage
	for p, err := range f.client().ListUsers(context.Background(), &ListUsersParams{PageSize: 2}).Pages() {
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, p)
	}
	if len(pages) != 3 || pages[0].NextPageToken != "tok-2" || pages[2].NextPageToken != "" || pages[0].TotalRecords != 5 || len(pages[2].Users) != 1 {
		t.Errorf("pages = %+v", pages)
	}
}

func TestListUsersStopsFetchingWhenLoopBreaks(t *testing.T) {
	f := newFakeZoom(t, pagedUsers(t, 1000, nil))
	n := 0
	for _, err := range f.client().ListUsers(context.Background(), &ListUsersParams{PageSize: 10}).All() {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n == 15 {
			break
		}
	}
	if got := f.apiRequests.Load(); got != 2 {
		t.Errorf("breaking after 15 users fetched %d pages, want 2", got)
	}
}

func TestListUsersFailsOnRepeatedToken(t *testing.T) {
	var served atomic.Int32 // a new user on each page: only the token repeats
	f := newFakeZoom(t, func(w http.ResponseWriter, r *http.Request) {
		id := fmt.Sprint("u", served.Add(1))
		writeJSON(w, 200, map[string]any{"next_page_token": "same", "users": []any{map[string]any{"id": id, "email": id + "@example.com", "type": 1}}})
	})
	var err error
	count := 0
	for _, e := range f.client().ListUsers(context.Background(), nil).All() {
		if e != nil {
			err = e
			break
		}
		count++
	}
	if err == nil || !strings.Contains(err.Error(), "repeated next_page_token") {
		t.Fatalf("err = %v, want a repeated-token error", err)
	}
	if count != 2 || f.apiRequests.Load() != 2 {
		t.Errorf("yielded %d users over %d requests, want 2 and 2", count, f.apiRequests.Load())
	}
}

func TestListUsersExpiredToken(t *testing.T) {
	f := newFakeZoom(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("next_page_token") != "" {
			zoomError(w, 400, CodeValidation, "The next page token is either invalid or has expired.")
			return
		}
		writeJSON(w, 200, map[string]any{"next_page_token": "old", "users": []any{}})
	})
	var err error
	for _, e := range f.client().ListUsers(context.Background(), nil).Pages() {
		err = e
	}
	if !errors.Is(err, ErrPageTokenExpired) || !strings.Contains(err.Error(), "start the listing again") {
		t.Fatalf("err = %v, want ErrPageTokenExpired with advice", err)
	}
	var zerr *Error
	if !errors.As(err, &zerr) || zerr.Code != CodeValidation {
		t.Errorf("the *Error is not reachable: %v", err)
	}
}

func TestListUsersStopsOnAbsentToken(t *testing.T) {
	// Old-style answers have page_count/page_number and no token at all.
	f := newFakeZoom(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"page_count": 1, "page_number": 1, "users": []any{map[string]any{"email": "p@example.com", "type": 1}}})
	})
	n := 0
	for _, err := range f.client().ListUsers(context.Background(), nil).All() {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 1 || f.apiRequests.Load() != 1 {
		t.Errorf("%d users over %d requests, want 1 and 1", n, f.apiRequests.Load())
	}
}

func TestListUsersRejectsBadPageSize(t *testing.T) {
	f := newFakeZoom(t, pagedUsers(t, 1, nil))
	for _, err := range f.client().ListUsers(context.Background(), &ListUsersParams{PageSize: 2001}).All() {
		if err == nil || !strings.Contains(err.Error(), "2001") {
			t.Fatalf("err = %v, want a page size error", err)
		}
	}
	if f.apiRequests.Load() != 0 {
		t.Error("a request was sent with a bad page size")
	}
}

// scriptedPages serves the given pages of users in turn, each pointing to the next.
func scriptedPages(pages ...[]map[string]any) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		i := 0
		fmt.Sscanf(r.URL.Query().Get("next_page_token"), "p%d", &i)
		next := ""
		if i+1 < len(pages) {
			next = fmt.Sprint("p", i+1)
		}
		writeJSON(w, 200, map[string]any{"page_size": 2, "next_page_token": next, "users": pages[i]})
	}
}

// A user Zoom repeats on three pages in a row is listed once: the page that dropped it
// still remembers it for the next one (ZOOM_FACTS.md "Behaviour seen in the field":
// duplicates across pages).
func TestUserRepeatedOnThreePagesListedOnce(t *testing.T) {
	dup := map[string]any{"id": "u1", "email": "u1@example.com", "type": 1}
	pending := map[string]any{"email": "Pending@example.com", "type": 1} // no ID: keyed by email
	f := newFakeZoom(t, scriptedPages(
		[]map[string]any{{"id": "u0", "type": 1}, dup, pending},
		[]map[string]any{dup, {"email": "pending@example.com", "type": 1}},
		[]map[string]any{dup, {"email": "PENDING@example.com", "type": 1}, {"id": "u2", "type": 1}},
	))
	var listed []string
	repeated := 0
	for page, err := range f.client().ListUsers(context.Background(), nil).Pages() {
		if err != nil {
			t.Fatal(err)
		}
		repeated += page.Repeated
		for _, u := range page.Users {
			listed = append(listed, u.GetID()+"/"+u.GetEmail())
		}
	}
	if want := "u0/ u1/u1@example.com /Pending@example.com u2/"; strings.Join(listed, " ") != want || repeated != 4 {
		t.Errorf("listed %q with %d repeated; want %q and 4", strings.Join(listed, " "), repeated, want)
	}
}

// Users with neither ID nor email have no key to compare: none of them is dropped as a
// repeat of another.
func TestUsersWithoutIDOrEmailAreNeverDropped(t *testing.T) {
	anon := func(name string) map[string]any { return map[string]any{"first_name": name, "type": 1} }
	f := newFakeZoom(t, scriptedPages(
		[]map[string]any{anon("a"), anon("b")},
		[]map[string]any{anon("c"), anon("d")},
	))
	var names []string
	for u, err := range f.client().ListUsers(context.Background(), nil).All() {
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, u.GetFirstName())
	}
	if strings.Join(names, "") != "abcd" {
		t.Errorf("listed %q, want all four users without a key", names)
	}
}
