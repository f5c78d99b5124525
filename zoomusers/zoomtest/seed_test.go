package zoomtest

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/zoomkit/go-zoomusers/gen"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest/internal/zoomserver"
)

// heapAfter returns the live heap after build has run and the garbage is collected,
// keeping build's result alive until measured.
func heapAfter(build func() any) (uint64, any) {
	var m runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&m)
	before := m.HeapAlloc
	v := build()
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&m)
	return m.HeapAlloc - min(before, m.HeapAlloc), v
}

// TestLargeSeedsStayCheap seeds 100,000 users and checks that each costs well under one
// settings map: settings are copied from the shared defaults only when first written.
func TestLargeSeedsStayCheap(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds 100,000 users")
	}
	const n = 100_000
	seeded, s := heapAfter(func() any { return newState(n, DefaultPlan, time.Now) })
	perUser := float64(seeded) / n

	const copies = 1000
	settings, _ := heapAfter(func() any {
		out := make([]map[string]any, copies)
		for i := range out {
			out[i] = cloneJSON(defaultSettings())
		}
		return out
	})
	perSettings := float64(settings) / copies

	t.Logf("heap per seeded user: %.0f B; one settings map: %.0f B (ratio %.2f)", perUser, perSettings, perUser/perSettings)
	if perUser > perSettings/2 {
		t.Errorf("a seeded user costs %.0f B, over half a settings map (%.0f B): are settings copied eagerly?", perUser, perSettings)
	}
	if perUser > 2048 {
		t.Errorf("a seeded user costs %.0f B, want under 2 KiB", perUser)
	}
	runtime.KeepAlive(s)
}

// TestSettingsAreCopiedOnFirstWrite checks where the copy happens: reading settings,
// even through UserState, leaves the user on the shared defaults; writing copies them,
// and the defaults stay as they were.
func TestSettingsAreCopiedOnFirstWrite(t *testing.T) {
	srv := NewUnstarted(WithUsers(3), WithoutRateLimits())
	st := srv.state
	ctx := context.Background()
	for _, u := range st.users {
		if u.settings != nil {
			t.Fatalf("%s has settings before any use", *u.Email)
		}
	}
	u0 := st.byEmail["u0@example.com"]
	if _, err := st.UserSettings(ctx, zoomserver.UserSettingsRequestObject{UserID: "u0@example.com"}); err != nil {
		t.Fatal(err)
	}
	if state, _ := srv.UserState("u0@example.com"); state.Settings == nil || u0.settings != nil {
		t.Fatalf("reading settings copied them (%v) or UserState has none", u0.settings != nil)
	}
	var patch gen.UserSettingsUpdateJSONRequestBody
	if err := patch.UnmarshalJSON([]byte(`{"schedule_meeting": {"host_video": true}}`)); err != nil {
		t.Fatal(err)
	}
	if _, err := st.UserSettingsUpdate(ctx, zoomserver.UserSettingsUpdateRequestObject{UserID: "u0@example.com", Body: &patch}); err != nil {
		t.Fatal(err)
	}
	if u0.settings == nil {
		t.Fatal("a write left the user without its own settings")
	}
	mine, _ := srv.UserState("u0@example.com")
	other, _ := srv.UserState("u1@example.com")
	if v, _ := mine.Setting("schedule_meeting", "host_video"); v != true {
		t.Errorf("u0 host_video = %v, want true", v)
	}
	if v, _ := other.Setting("schedule_meeting", "host_video"); v != false {
		t.Errorf("u1 host_video = %v: a write reached the shared defaults", v)
	}
	// A caller changing its copy changes nothing in the fake.
	mine.Settings["schedule_meeting"].(map[string]any)["host_video"] = false
	other.Settings["schedule_meeting"].(map[string]any)["host_video"] = true
	if again, _ := srv.UserState("u0@example.com"); !isTrue(again.Setting("schedule_meeting", "host_video")) {
		t.Error("changing UserState's copy changed the user's settings")
	}
	if again, _ := srv.UserState("u2@example.com"); isTrue(again.Setting("schedule_meeting", "host_video")) {
		t.Error("changing UserState's copy changed the defaults")
	}
}

func isTrue(v any, ok bool) bool { b, is := v.(bool); return ok && is && b }
