package zoomusers

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"reflect"
)

// Drift is one value in a successful answer that did not fit the client's model: Zoom
// sent a number as a string, one object where the spec declares an array of them, a key
// twice, or a value of another type altogether. The client decodes the rest of the
// answer regardless; each drift is logged at warn level and passed to the function
// given to WithDriftHandler, so that a service can count it.
type Drift struct {
	// Operation is the operation whose answer drifted.
	Operation OperationID
	// Path locates the value in the answer, such as users[3].pmi or
	// tsp.call_out_countries[0]; names that are not plain identifiers are quoted
	// (custom["a.b"]).
	Path string
	// Value is the value as it arrived, in full.
	Value json.RawMessage
	// Want is the Go type the model declares at Path, such as int64 or
	// []gen.CustomAttribute (pointers removed); nil inside a value the model takes as
	// any JSON (a repeated key in a union or a free-form object).
	Want reflect.Type
	// Action says whether the value was kept after a lossless conversion or dropped.
	Action DriftAction
	// Reason says what arrived instead of what was declared, and what became of it.
	Reason string
}

// WithDriftHandler calls h, with the call's context, for every value of a successful
// answer that did not fit the model and was coerced or dropped (see Drift), so that a
// service can count what Zoom sends beyond its spec. h runs before the call returns and
// must be quick; each drift is also logged at warn level whether or not h is set.
func WithDriftHandler(h func(context.Context, Drift)) Option {
	return func(c *config) error {
		c.driftHandler = h
		return nil
	}
}

// DriftAction is what the client did with a value that did not fit the model.
type DriftAction int

const (
	// DriftCoerced means the value was converted without loss and kept: a number sent
	// as a string (or the reverse), one object where an array is declared, a
	// one-element array where a single value is declared.
	DriftCoerced DriftAction = iota + 1
	// DriftDropped means the value was left out: the field reads as absent (a nil
	// pointer, never false or zero), an array keeps its other elements and an object its
	// other members. The earlier values of a duplicated key are dropped this way too.
	DriftDropped
)

// String returns "coerced" or "dropped".
func (a DriftAction) String() string {
	switch a {
	case DriftCoerced:
		return "coerced"
	case DriftDropped:
		return "dropped"
	}
	return fmt.Sprintf("DriftAction(%d)", int(a))
}

// String describes the drift on one line, with the value shortened.
func (d Drift) String() string {
	return fmt.Sprintf("%s: %s: %s %s (want %v): %s", d.Operation, d.Path, d.Action, clipValue(d.Value, maxLoggedValue), d.Want, d.Reason)
}

// maxLoggedValue bounds how much of a drifted value a log line carries: enough to
// recognise it, not a whole dropped object.
const maxLoggedValue = 64

// maxLoggedDrifts bounds the warn lines one answer produces; a page of 2,000 users
// with the same drift logs this many and a summary, while the drift handler still
// receives every one.
const maxLoggedDrifts = 10

// clipValue shortens a drifted value for a log line.
func clipValue(b []byte, n int) string {
	if len(b) <= n {
		return string(b)
	}
	return string(b[:n]) + "…"
}

// reportDrift logs each drift of one answer at warn level (to the WithLogger logger,
// else slog.Default, so that drift is never silent) and hands it to the drift handler.
func (c *Client) reportDrift(ctx context.Context, op OperationID, drifts []Drift) {
	if len(drifts) == 0 {
		return
	}
	logger := c.logger
	if logger == nil {
		logger = slog.Default()
	}
	for i := range drifts {
		drifts[i].Operation = op
	}
	if logger.Enabled(ctx, slog.LevelWarn) {
		for i, d := range drifts {
			if i == maxLoggedDrifts {
				logger.LogAttrs(ctx, slog.LevelWarn, "zoomusers: more answer drift not logged",
					slog.String("operation", string(op)), slog.Int("drifts", len(drifts)), slog.Int("not_logged", len(drifts)-i))
				break
			}
			logger.LogAttrs(ctx, slog.LevelWarn, "zoomusers: answer drifts from the model",
				slog.String("operation", string(op)),
				slog.String("path", d.Path),
				slog.String("action", d.Action.String()),
				slog.String("value", clipValue(d.Value, maxLoggedValue)),
				slog.String("want", fmt.Sprint(d.Want)),
				slog.String("reason", d.Reason))
		}
	}
	if c.driftHandler != nil {
		for _, d := range drifts {
			c.driftHandler(ctx, d)
		}
	}
}
