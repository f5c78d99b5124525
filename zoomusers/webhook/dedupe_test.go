package webhook

import (
	"context"
	"testing"
	"time"
)

func TestMemoryDeduperExpiry(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	d := NewMemoryDeduper(2 * time.Hour)
	d.now = func() time.Time { return now }
	ctx := context.Background()
	step := func(want Claim) {
		t.Helper()
		if got, _ := d.Begin(ctx, "k"); got != want {
			t.Fatalf("at %s: Begin = %d, want %d", now.Format(time.TimeOnly), got, want)
		}
	}
	step(ClaimNew)
	step(ClaimBusy)
	d.End(ctx, "k", false) // failed: the next delivery is handled
	step(ClaimNew)
	d.End(ctx, "k", true)
	step(ClaimDone)
	now = now.Add(85 * time.Minute) // Zoom's last redelivery
	step(ClaimDone)
	now = now.Add(36 * time.Minute) // past the retention
	step(ClaimNew)
	// A claim whose handler never returns lapses before Zoom's first redelivery.
	now = now.Add(claimLease + time.Second)
	step(ClaimNew)
	if d.Len() != 0 {
		t.Errorf("Len = %d, want 0 (nothing handled within the retention)", d.Len())
	}
	d.End(ctx, "k", true)
	if d.Len() != 1 {
		t.Errorf("Len = %d, want 1", d.Len())
	}
}
