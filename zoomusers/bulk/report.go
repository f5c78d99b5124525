package bulk

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
)

// ReportWriter writes each row's Result as it comes, as CSV (with a header) or as JSON
// lines; it is safe for concurrent use.
type ReportWriter struct {
	mu    sync.Mutex
	csv   *csv.Writer
	json  *json.Encoder
	flush func() error
	err   error
}

// ReportColumns are the CSV report's columns.
var ReportColumns = []string{"line", "email", "outcome", "actions", "transferred", "http_status", "code", "message", "tracking_id"}

// NewReportWriter returns a writer of format CSV or FormatJSON (JSONLines is the same).
func NewReportWriter(w io.Writer, format Format) (*ReportWriter, error) {
	switch format {
	case CSV:
		cw := csv.NewWriter(w)
		err := cw.Write(ReportColumns)
		return &ReportWriter{csv: cw, err: err, flush: func() error { cw.Flush(); return cw.Error() }}, nil
	case FormatJSON, JSONLines:
		return &ReportWriter{json: json.NewEncoder(w), flush: func() error { return nil }}, nil
	}
	return nil, fmt.Errorf("bulk: unknown report format %q: want csv or json", format)
}

// Write writes one result; the first error sticks and is returned by Close.
func (r *ReportWriter) Write(res Result) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err != nil {
		return
	}
	if r.json != nil {
		r.err = r.json.Encode(res)
		return
	}
	actions := make([]string, len(res.Actions))
	for i, a := range res.Actions {
		actions[i] = string(a)
	}
	num := func(n int) string {
		if n == 0 {
			return ""
		}
		return strconv.Itoa(n)
	}
	r.err = r.csv.Write([]string{strconv.Itoa(res.Line), res.Email, string(res.Outcome), strings.Join(actions, " "),
		strings.Join(res.Transferred, " "), num(res.HTTPStatus), num(res.Code), res.Message, res.TrackingID})
	if r.err == nil {
		r.csv.Flush() // a row on disk as soon as it is done: the report of a killed run is whole
		r.err = r.csv.Error()
	}
}

// Close flushes the report and returns the first error met.
func (r *ReportWriter) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.flush(); r.err == nil {
		r.err = err
	}
	return r.err
}
