package test

import (
	"context"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/zoomkit/go-zoomusers/gen"
	"github.com/zoomkit/go-zoomusers/zoomusers"
)

// newerUser is a user answer carrying what Zoom sends and the spec cannot pin down:
// bitmasks at 2^59 and 2^63-1 (ZOOM_FACTS.md "Zoom keeps moving": values reach 2^59 and
// must stay int64 end to end), a user type, login type and license type Zoom has not
// documented.
const newerUser = `{"id":"u1","email":"a@example.com","type":7,"login_types":[130],
 "zoom_one_type":9223372036854775807,"pronouns_option":9,
 "license_info_list":[{"license_type":"ZOOM_FUTURE_BUNDLE","license_option":576460752303423488,"subscription_id":"s1"}]}`

// TestBitmasksAndUnknownEnumsThroughTheClient: over HTTP, 64-bit bitmasks decode exactly
// and enum values the spec does not list decode, keep their raw value and print it.
func TestBitmasksAndUnknownEnumsThroughTheClient(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, newerUser)
	}))
	defer srv.Close()
	c, err := zoomusers.New(zoomusers.WithAccessToken("t"), zoomusers.WithBaseURL(srv.URL+"/v2"))
	if err != nil {
		t.Fatal(err)
	}
	u, err := c.User("a@example.com").Get(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if u.ZoomOneType == nil || *u.ZoomOneType != math.MaxInt64 {
		t.Errorf("zoom_one_type = %v, want 2^63-1", u.ZoomOneType)
	}
	if u.LicenseInfoList == nil || len(*u.LicenseInfoList) != 1 {
		t.Fatalf("license_info_list = %v", u.LicenseInfoList)
	}
	li := (*u.LicenseInfoList)[0]
	if li.LicenseOption == nil || *li.LicenseOption != 1<<59 {
		t.Errorf("license_option = %v, want 2^59", li.LicenseOption)
	}
	if li.LicenseType == nil || *li.LicenseType != "ZOOM_FUTURE_BUNDLE" {
		t.Errorf("an open license_type must keep Zoom's value: %v", li.LicenseType)
	}
	if u.Type != 7 || u.Type.String() != "7" {
		t.Errorf("undocumented user type: %d prints %q, want 7 printed as \"7\"", u.Type, u.Type.String())
	}
	if u.LoginTypes == nil || (*u.LoginTypes)[0].String() != "130" {
		t.Errorf("undocumented login type should print 130: %v", u.LoginTypes)
	}
	if u.PronounsOption == nil || u.PronounsOption.String() != "9" {
		t.Errorf("undocumented pronouns option should print 9: %v", u.PronounsOption)
	}
	if gen.UserType(1).String() != "Basic" {
		t.Errorf("a documented value prints its label: %q", gen.UserType(1).String())
	}
}

// fakeSettingsZoom answers settings as Zoom does: PATCH answers 204 whatever the keys,
// stores only the keys it knows (here: schedule_meeting.host_video) and, for a pending
// user, nothing at all (ZOOM_FACTS.md, "Zoom keeps moving" and "Behaviour seen in the
// field"); GET answers what is stored.
type fakeSettingsZoom struct {
	mu        sync.Mutex
	hostVideo bool
	pending   bool
	bodies    []string
}

func (z *fakeSettingsZoom) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	z.mu.Lock()
	defer z.mu.Unlock()
	switch r.Method {
	case http.MethodPatch:
		raw, _ := io.ReadAll(r.Body)
		z.bodies = append(z.bodies, string(raw))
		var body struct {
			ScheduleMeeting struct {
				HostVideo *bool `json:"host_video"`
			} `json:"schedule_meeting"`
		}
		json.Unmarshal(raw, &body)
		if body.ScheduleMeeting.HostVideo != nil && !z.pending {
			z.hostVideo = *body.ScheduleMeeting.HostVideo
		}
		w.WriteHeader(http.StatusNoContent)
	default:
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"schedule_meeting": map[string]any{"host_video": z.hostVideo}})
	}
}

// TestPatchSettingsReadsBack: the library helper sends known and unknown keys, then
// reports per key what Zoom applied and what it ignored; a pending user's silent no-op
// reads back as ignored.
func TestPatchSettingsReadsBack(t *testing.T) {
	z := &fakeSettingsZoom{}
	srv := httptest.NewServer(z)
	defer srv.Close()
	c, err := zoomusers.New(zoomusers.WithAccessToken("t"), zoomusers.WithBaseURL(srv.URL+"/v2"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	got, err := c.User("a@example.com").PatchSettings(ctx, "", map[string]any{
		"schedule_meeting.host_video": true,
		"zoom_canvas.brand_new_key":   true,
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(z.bodies) != 1 || !strings.Contains(z.bodies[0], `"brand_new_key":true`) || !strings.Contains(z.bodies[0], `"host_video":true`) {
		t.Errorf("the PATCH should carry both keys, nested: %q", z.bodies)
	}
	if len(got) != 2 || got[0].Path != "schedule_meeting.host_video" || !got[0].Applied ||
		got[1].Path != "zoom_canvas.brand_new_key" || got[1].Applied || got[1].Shown {
		t.Errorf("outcomes: %+v", got)
	}

	z.pending = true
	got, err = c.User("a@example.com").PatchSettings(ctx, "", map[string]any{"schedule_meeting.host_video": false})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Applied || !got[0].Shown || got[0].Got != true {
		t.Errorf("a silent no-op must read back as not applied, holding the old value: %+v", got)
	}
}
