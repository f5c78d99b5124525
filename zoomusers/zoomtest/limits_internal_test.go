package zoomtest

import (
	"testing"
	"time"

	"github.com/zoomkit/go-zoomusers/zoomusers"
)

// TestRefusedRequestsUseNoDailySlot: a request refused by the per-second limit is not
// counted against the daily cap: Zoom did not serve it.
func TestRefusedRequestsUseNoDailySlot(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	l := newLimiter(zoomusers.PlanFree, func() time.Time { return now })
	var refused int
	for range 5 {
		if l.allow(zoomusers.OpUserSettings) != nil { // Medium: 2 a second on Free
			refused++
		}
	}
	if refused != 3 || l.day["medium"].n != 2 {
		t.Errorf("%d refused, %d counted against the daily cap; want 3 and 2", refused, l.day["medium"].n)
	}
}
