package zoomusers

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"reflect"

	"github.com/zoomkit/go-zoomusers/internal/decoding"
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

// DriftAction is what the client did with a value that did not fit the model; its
// String method returns "coerced" or "dropped".
type DriftAction = decoding.Action

const (
	// DriftCoerced means the value was converted without loss and kept: a number sent
	// as a string (or the reverse), one object where an array is declared, a
	// one-element array where a single value is declared.
	DriftCoerced = decoding.Coerced
	// DriftDropped means the value was left out: the field reads as absent (a nil
	// pointer, never false or zero), an array keeps its other elements and an object its
	// other members. The earlier values of a duplicated key are dropped this way too.
	DriftDropped = decoding.Dropped
)

// String describes the drift on one line, with the value shortened.
func (d Drift) String() string {
	return fmt.Sprintf("%s: %s: %s %s (want %v): %s", d.Operation, d.Path, d.Action, decoding.Clip(d.Value), d.Want, d.Reason)
}

// reportDrift logs each drift of one answer at warn level (to the WithLogger logger,
// else slog.Default, so that drift is never silent) and hands it to the drift handler.
func (c *Client) reportDrift(ctx context.Context, op OperationID, drifts []decoding.Drift) {
	if len(drifts) == 0 {
		return
	}
	logger := c.logger
	if logger == nil {
		logger = slog.Default()
	}
	decoding.Log(ctx, logger, string(op), drifts)
	if c.driftHandler != nil {
		for _, d := range drifts {
			c.driftHandler(ctx, Drift{Operation: op, Path: d.Path, Value: d.Value, Want: d.Want, Action: d.Action, Reason: d.Reason})
		}
	}
}
