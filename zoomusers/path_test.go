package zoomusers

import (
	"context"
	"net/http"
	"reflect"
	"testing"

	"github.com/zoomkit/go-zoomusers/gen"
)

// TestPathRequestMatchesGenerated: the requests pathRequest builds are those the
// generated builders build for the same operation and parameters, IDs that need
// escaping included.
func TestPathRequestMatchesGenerated(t *testing.T) {
	ids := []string{
		"u1", "me", "a+b@example.com", "with space", "slash/inside", "percent%41", "a%2Fb",
		"üñí", "q?x=1", "frag#x", "semi;colon", "colon:x", "tab\x7f", "~tilde", "dollar$&'()*,=",
	}
	for _, base := range []string{"https://api.zoom.us/v2", "http://127.0.0.1:8080/v2/", "http://[::1]:9/deep/er/v2"} {
		c, err := New(WithAccessToken("t"), WithBaseURL(base))
		if err != nil {
			t.Fatal(err)
		}
		server := c.api.Server
		for _, id := range ids {
			if validateID("user ID", id) != nil {
				continue
			}
			cases := []struct {
				op   OperationID
				args []string
				gen  func() (*http.Request, error)
			}{
				{OpUser, []string{id}, func() (*http.Request, error) { return gen.NewUserRequest(server, id, nil) }},
				{OpUserAssistants, []string{id}, func() (*http.Request, error) { return gen.NewUserAssistantsRequest(server, id) }},
				{OpUserAssistantsDelete, []string{id}, func() (*http.Request, error) { return gen.NewUserAssistantsDeleteRequest(server, id) }},
				{OpGetCollaborationDevice, []string{id, id + "-dev"}, func() (*http.Request, error) {
					return gen.NewGetCollaborationDeviceRequest(server, id, id+"-dev")
				}},
				{OpUserSummary, nil, func() (*http.Request, error) { return gen.NewUserSummaryRequest(server) }},
				{OpUserZak, nil, func() (*http.Request, error) { return gen.NewUserZAKRequest(server) }},
				{OpUserPermission, []string{id}, func() (*http.Request, error) { return gen.NewUserPermissionRequest(server, id) }},
				{OpUserAssistantDelete, []string{id, id}, func() (*http.Request, error) { return gen.NewUserAssistantDeleteRequest(server, id, id) }},
				{OpUserSchedulers, []string{id}, func() (*http.Request, error) { return gen.NewUserSchedulersRequest(server, id) }},
				{OpUserSchedulersDelete, []string{id}, func() (*http.Request, error) { return gen.NewUserSchedulersDeleteRequest(server, id) }},
				{OpUserSchedulerDelete, []string{id, id}, func() (*http.Request, error) { return gen.NewUserSchedulerDeleteRequest(server, id, id) }},
				{OpListCollaborationDevices, []string{id}, func() (*http.Request, error) { return gen.NewListCollaborationDevicesRequest(server, id) }},
				{OpGetUserMeetingTemplates, []string{id, id}, func() (*http.Request, error) { return gen.NewGetUserMeetingTemplatesRequest(server, id, id) }},
				{OpUserPictureDelete, []string{id}, func() (*http.Request, error) { return gen.NewUserPictureDeleteRequest(server, id) }},
				{OpGetUserPresenceStatus, []string{id}, func() (*http.Request, error) { return gen.NewGetUserPresenceStatusRequest(server, id) }},
				{OpUserSSOTokenDelete, []string{id}, func() (*http.Request, error) { return gen.NewUserSSOTokenDeleteRequest(server, id) }},
			}
			for _, tc := range cases {
				want, err := tc.gen()
				if err != nil {
					t.Fatalf("%s %q: generated: %v", tc.op, id, err)
				}
				got, err := c.pathRequest(context.Background(), tc.op, tc.args...)
				if err != nil {
					t.Fatalf("%s %q: %v", tc.op, id, err)
				}
				if got.Method != want.Method || got.URL.String() != want.URL.String() || got.URL.Path != want.URL.Path ||
					got.URL.RawPath != want.URL.RawPath || got.Host != want.Host || got.URL.RawQuery != want.URL.RawQuery ||
					!reflect.DeepEqual(got.Header, want.Header) || (got.Body == nil) != (want.Body == nil) {
					t.Errorf("%s %q on %s:\n got %s %s (path %q raw %q host %q)\nwant %s %s (path %q raw %q host %q)", tc.op, id, base,
						got.Method, got.URL, got.URL.Path, got.URL.RawPath, got.Host,
						want.Method, want.URL, want.URL.Path, want.URL.RawPath, want.Host)
				}
			}
		}
	}
}

// TestPathRequestArguments: a mismatch between an operation's path and the arguments
// is an error, not a malformed request.
func TestPathRequestArguments(t *testing.T) {
	c, err := New(WithAccessToken("t"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		op   OperationID
		args []string
	}{{OpUser, nil}, {OpUser, []string{"a", "b"}}, {OperationID("nope"), []string{"a"}}} {
		if req, err := c.pathRequest(context.Background(), tc.op, tc.args...); err == nil {
			t.Errorf("%s %q: built %s, want an error", tc.op, tc.args, req.URL)
		}
	}
}
