package webhook

import (
	"context"
	"sync"
	"time"
)

// Claim is a Deduper's verdict on an event key.
type Claim int

// The verdicts.
const (
	// ClaimNew: the event is new (or its last handling failed); handle it.
	ClaimNew Claim = iota
	// ClaimDone: the event was handled; drop this delivery.
	ClaimDone
	// ClaimBusy: another delivery of the event is being handled now.
	ClaimBusy
)

// Deduper remembers which events were handled, so that Zoom's redeliveries (about 5,
// 20 and 60 minutes after an answer other than 200 or 204, or none) are dropped. Keys
// are Event.Key. A Deduper shared by several receivers (a database, Redis) makes them
// drop each other's duplicates; MemoryDeduper serves one process.
type Deduper interface {
	// Begin claims key for handling, or says it was handled or is being handled.
	Begin(ctx context.Context, key string) (Claim, error)
	// End releases a claim: handled records the key as done; otherwise it is forgotten,
	// so that the next delivery is handled.
	End(ctx context.Context, key string, handled bool) error
}

// Defaults of MemoryDeduper.
const (
	// DefaultRetention outlasts Zoom's last redelivery, about 85 minutes after the first.
	DefaultRetention = 3 * time.Hour
	// claimLease frees the claim of a handler that never returned, well before Zoom's
	// first redelivery 5 minutes later.
	claimLease = time.Minute
)

// MemoryDeduper is a Deduper in memory, for one process. Its methods are safe for
// concurrent use and never fail.
type MemoryDeduper struct {
	retention time.Duration
	now       func() time.Time

	mu        sync.Mutex
	done      map[string]time.Time // key -> when it may be forgotten
	busy      map[string]time.Time // key -> when the claim lapses
	nextPrune time.Time
}

// NewMemoryDeduper remembers handled events for retention (DefaultRetention when zero).
func NewMemoryDeduper(retention time.Duration) *MemoryDeduper {
	if retention <= 0 {
		retention = DefaultRetention
	}
	return &MemoryDeduper{retention: retention, now: time.Now, done: map[string]time.Time{}, busy: map[string]time.Time{}}
}

// Begin implements Deduper.
func (d *MemoryDeduper) Begin(_ context.Context, key string) (Claim, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	now := d.now()
	d.prune(now)
	if until, ok := d.done[key]; ok && now.Before(until) {
		return ClaimDone, nil
	}
	if until, ok := d.busy[key]; ok && now.Before(until) {
		return ClaimBusy, nil
	}
	d.busy[key] = now.Add(claimLease)
	return ClaimNew, nil
}

// End implements Deduper.
func (d *MemoryDeduper) End(_ context.Context, key string, handled bool) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.busy, key)
	if handled {
		d.done[key] = d.now().Add(d.retention)
	}
	return nil
}

// Len reports how many handled events are remembered.
func (d *MemoryDeduper) Len() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	now, n := d.now(), 0
	for _, until := range d.done {
		if now.Before(until) {
			n++
		}
	}
	return n
}

// prune forgets expired keys, at most once a minute so that Begin stays cheap.
func (d *MemoryDeduper) prune(now time.Time) {
	if now.Before(d.nextPrune) {
		return
	}
	d.nextPrune = now.Add(time.Minute)
	for k, until := range d.done {
		if !now.Before(until) {
			delete(d.done, k)
		}
	}
	for k, until := range d.busy {
		if !now.Before(until) {
			delete(d.busy, k)
		}
	}
}
