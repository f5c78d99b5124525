package decoding

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"reflect"
)

// Drift is one value of an answer that did not fit the model. zoomusers.Drift is this
// with the operation added; its documentation is the one callers read.
type Drift struct {
	// Path locates the value in the answer, such as users[3].pmi.
	Path string
	// Value is the value as it arrived, in full (a copy: the body is pooled).
	Value json.RawMessage
	// Want is the Go type the model declares at Path, pointers removed; nil inside a
	// value the model takes as any JSON.
	Want reflect.Type
	// Action says whether the value was kept after a lossless conversion or dropped.
	Action Action
	// Reason says what arrived instead of what was declared, and what became of it.
	Reason string
}

// Action is what the decoder did with a value that did not fit the model.
type Action int

const (
	// Coerced means the value was converted without loss and kept.
	Coerced Action = iota + 1
	// Dropped means the value was left out: the field reads as absent.
	Dropped
)

// String returns "coerced" or "dropped".
func (a Action) String() string {
	switch a {
	case Coerced:
		return "coerced"
	case Dropped:
		return "dropped"
	}
	return fmt.Sprintf("DriftAction(%d)", int(a))
}

// MaxLoggedValue bounds how much of a drifted value a log line carries: enough to
// recognise it, not a whole dropped object.
const MaxLoggedValue = 64

// MaxLoggedDrifts bounds the warn lines one answer produces; a page of 2,000 users
// with the same drift logs this many and a summary, while a drift handler still
// receives every one.
const MaxLoggedDrifts = 10

// Clip shortens a drifted value to MaxLoggedValue bytes for a log line.
func Clip(b []byte) string {
	if len(b) <= MaxLoggedValue {
		return string(b)
	}
	return string(b[:MaxLoggedValue]) + "…"
}

// Log writes each drift of one answer to logger at warn level, at most MaxLoggedDrifts
// of them and then one line counting the rest, so that drift is never silent and a
// drifting page does not flood the log.
func Log(ctx context.Context, logger *slog.Logger, operation string, drifts []Drift) {
	if len(drifts) == 0 || !logger.Enabled(ctx, slog.LevelWarn) {
		return
	}
	for i, d := range drifts {
		if i == MaxLoggedDrifts {
			logger.LogAttrs(ctx, slog.LevelWarn, "zoomusers: more answer drift not logged",
				slog.String("operation", operation), slog.Int("drifts", len(drifts)), slog.Int("not_logged", len(drifts)-i))
			return
		}
		logger.LogAttrs(ctx, slog.LevelWarn, "zoomusers: answer drifts from the model",
			slog.String("operation", operation),
			slog.String("path", d.Path),
			slog.String("action", d.Action.String()),
			slog.String("value", Clip(d.Value)),
			slog.String("want", fmt.Sprint(d.Want)),
			slog.String("reason", d.Reason))
	}
}
