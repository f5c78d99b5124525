package zoomusers

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestGetSendsItsParameters: each field of GetUserParams reaches Zoom as its query
// parameter, and a call without them sends none (issue 23's survivors: login_type,
// encrypted_email and search_by_unique_id could be dropped unnoticed).
func TestGetSendsItsParameters(t *testing.T) {
	var got []url.Values
	f := newFakeZoom(t, func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.URL.Query())
		writeJSON(w, http.StatusOK, map[string]any{"id": "u1", "email": "u1@example.com"})
	})
	c := f.client()
	ctx := context.Background()
	lt := LoginTypeSSO
	calls := []*GetUserParams{
		nil,
		{LoginType: &lt},
		{EncryptedEmail: true},
		{SearchByUniqueID: true},
		{LoginType: &lt, EncryptedEmail: true, SearchByUniqueID: true},
		{}, // all zero: nothing to send
	}
	for _, p := range calls {
		if _, err := c.User("u1").Get(ctx, p); err != nil {
			t.Fatalf("Get(%+v): %v", p, err)
		}
	}
	want := []url.Values{
		{},
		{"login_type": {"101"}},
		{"encrypted_email": {"true"}},
		{"search_by_unique_id": {"true"}},
		{"login_type": {"101"}, "encrypted_email": {"true"}, "search_by_unique_id": {"true"}},
		{},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("query parameters (-want +got):\n%s", diff)
	}
}
