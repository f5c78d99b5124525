package bulk

import (
	"fmt"
	"time"
)

// Phase is the part of a job under way.
type Phase string

// Phases of a job.
const (
	PhaseListing  Phase = "listing"  // Snapshot of the account (Total unknown: 0)
	PhaseReading  Phase = "reading"  // the plan's reads of profiles and settings
	PhaseApplying Phase = "applying" // Apply
)

// Progress is how far a phase has come.
type Progress struct {
	Phase       Phase
	Done, Total int // rows (users, while listing); Total 0 when unknown
	Failed      int
	Elapsed     time.Duration
	// Rate is rows per second so far; ETA the time left at that rate (0 when unknown).
	Rate float64
	ETA  time.Duration
}

func (p Progress) String() string {
	s := fmt.Sprintf("%s: %d", p.Phase, p.Done)
	if p.Total > 0 {
		s += fmt.Sprintf("/%d (%d%%)", p.Total, p.Done*100/p.Total)
	}
	if p.Failed > 0 {
		s += fmt.Sprintf(", %d failed", p.Failed)
	}
	s += fmt.Sprintf(", %.1f/s", p.Rate)
	if p.ETA > 0 {
		s += ", ETA " + p.ETA.Round(time.Second).String()
	}
	return s
}

func report(f func(Progress), phase Phase, done, total, failed int, start time.Time) {
	if f == nil {
		return
	}
	p := Progress{Phase: phase, Done: done, Total: total, Failed: failed, Elapsed: time.Since(start)}
	if secs := p.Elapsed.Seconds(); secs > 0 {
		p.Rate = float64(done) / secs
	}
	if p.Rate > 0 && total > done {
		p.ETA = time.Duration(float64(total-done) / p.Rate * float64(time.Second))
	}
	f(p)
}
