package bulk

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/mail"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/settingspec"
)

// Status is the state a row wants its user in.
type Status string

// Desired states of a user. The empty Status leaves an existing user's status alone and
// creates a missing user.
const (
	StatusAny           Status = ""
	StatusActive        Status = "active"        // exists and is active (created if missing)
	StatusInactive      Status = "inactive"      // exists and is deactivated
	StatusDisassociated Status = "disassociated" // removed from the account, keeps a Basic account of their own
	StatusDeleted       Status = "deleted"       // erased for good
)

func (s Status) removes() bool { return s == StatusDisassociated || s == StatusDeleted }

// Row is the desired state of one user.
type Row struct {
	// Line is where the row starts in the input (1 is a CSV file's header).
	Line int `json:"-"`
	// Email names the user; it is the row's key, so it must be unique in a job.
	Email  string `json:"email"`
	Status Status `json:"status,omitempty"`
	// Profile holds profile fields to set, by their JSON name in the user update body
	// (first_name, dept, job_title, type, pmi, ...), as JSON values.
	Profile map[string]any `json:"profile,omitempty"`
	// Settings holds settings to set, by settingspec path.
	Settings settingspec.Values `json:"settings,omitempty"`
	// TransferTo receives the user's meetings, webinars, recordings and every other asset
	// Zoom can transfer, when the row removes the user.
	TransferTo string `json:"transfer_to,omitempty"`
	// CreateAction creates a missing user: create (Zoom emails an invitation and the user
	// stays pending until accepted), autoCreate, custCreate or ssoCreate. Empty means the
	// PlanOptions' default.
	CreateAction zoomusers.CreateUserAction `json:"create_action,omitempty"`
}

// key identifies the row's content in a journal: a row edited since is a new row.
func (r Row) key() string {
	raw, _ := json.Marshal(r) // map keys are sorted: the same row, the same key
	return fmt.Sprintf("%x", sha256Sum(raw))
}

// Format is an input or report format.
type Format string

// Formats of Read and of reports.
const (
	CSV        Format = "csv"
	JSONLines  Format = "jsonl" // one JSON object per line
	FormatJSON Format = "json"  // reports only: one JSON object per line, as JSONLines
)

// InputError is a mistake in a job's input, found before any request.
type InputError struct {
	Line   int
	Column string // "" when the whole row is wrong
	Msg    string
}

func (e *InputError) Error() string {
	if e.Column == "" {
		return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
	}
	return fmt.Sprintf("line %d, %s: %s", e.Line, e.Column, e.Msg)
}

// InputErrors are every mistake found in an input (at most maxInputErrors).
type InputErrors []*InputError

const maxInputErrors = 20

func (es InputErrors) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d mistake(s) in the input:", len(es))
	for _, e := range es {
		b.WriteString("\n  " + e.Error())
	}
	return b.String()
}

// Columns that are not profile fields or settings.
const (
	colEmail        = "email"
	colStatus       = "status"
	colType         = "type"
	colTransferTo   = "transfer_to"
	colCreateAction = "create_action"
	settingsPrefix  = "settings."
)

// Read reads rows from CSV (a header row, then one user per row) or JSON lines (one
// object per line). Columns, or keys: email (required); status (active, inactive,
// disassociated, deleted); type (basic, licensed, unassigned, none, or Zoom's number);
// transfer_to; create_action; any field of Zoom's user update body by its JSON name
// (first_name, last_name, dept, job_title, timezone, pmi, ...); and settings as
// "settings.<path>" (settings.schedule_meeting.host_video), or in JSON lines also as a
// nested "settings" object. An empty cell, or a null, leaves that field as it is.
// Every mistake is reported, as InputErrors, before anything is sent to Zoom.
func Read(r io.Reader, format Format) ([]Row, error) {
	var rows []Row
	var errs InputErrors
	add := func(line int, cells map[string]any) {
		row, rowErrs := parseRow(line, cells)
		errs = append(errs, rowErrs...)
		if len(rowErrs) == 0 {
			rows = append(rows, row)
		}
	}
	switch format {
	case CSV:
		cr := csv.NewReader(r)
		cr.FieldsPerRecord = 0
		header, err := cr.Read()
		if err == io.EOF {
			return nil, InputErrors{{Line: 1, Msg: "the file is empty; want a header row naming the columns, such as email,first_name,status"}}
		}
		if err != nil {
			return nil, InputErrors{{Line: 1, Msg: err.Error()}}
		}
		for i, h := range header {
			header[i] = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		}
		if colErrs := checkColumns(header); len(colErrs) > 0 {
			return nil, colErrs
		}
		for {
			rec, err := cr.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				errs = append(errs, &InputError{Line: csvLine(err), Msg: err.Error()})
				break
			}
			line, _ := cr.FieldPos(0)
			cells := map[string]any{}
			for i, v := range rec {
				if v = strings.TrimSpace(v); v != "" {
					cells[header[i]] = v
				}
			}
			add(line, cells)
			if len(errs) >= maxInputErrors {
				break
			}
		}
	case JSONLines:
		br := newLineReader(r)
		for {
			line, text, err := br.next()
			if err == io.EOF {
				break
			}
			if err != nil {
				return nil, err
			}
			if len(bytes.TrimSpace(text)) == 0 {
				continue
			}
			var obj map[string]any
			dec := json.NewDecoder(bytes.NewReader(text))
			dec.UseNumber()
			if err := dec.Decode(&obj); err != nil {
				errs = append(errs, &InputError{Line: line, Msg: "not a JSON object: " + err.Error()})
				continue
			}
			cells, flatErr := flatten(obj)
			if flatErr != nil {
				errs = append(errs, &InputError{Line: line, Msg: flatErr.Error()})
				continue
			}
			if colErrs := checkColumns(slices.Sorted(maps.Keys(cells))); len(colErrs) > 0 {
				for _, e := range colErrs {
					e.Line = line
				}
				errs = append(errs, colErrs...)
				continue
			}
			add(line, cells)
			if len(errs) >= maxInputErrors {
				break
			}
		}
	default:
		return nil, fmt.Errorf("bulk: unknown input format %q: want csv or jsonl", format)
	}
	seen := map[string]int{}
	for _, row := range rows {
		k := strings.ToLower(row.Email)
		if first, dup := seen[k]; dup {
			errs = append(errs, &InputError{Line: row.Line, Column: colEmail, Msg: fmt.Sprintf("%s already has a row, on line %d; give each user one row", row.Email, first)})
			continue
		}
		seen[k] = row.Line
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return rows, nil
}

// flatten turns a JSON lines object into cells: a nested "settings" object becomes
// settings.<path> keys, nulls are dropped.
func flatten(obj map[string]any) (map[string]any, error) {
	cells := map[string]any{}
	for k, v := range obj {
		if v == nil {
			continue
		}
		if k == "settings" {
			m, ok := v.(map[string]any)
			if !ok {
				return nil, errors.New(`"settings" must be an object of sections, such as {"schedule_meeting": {"host_video": true}}`)
			}
			flattenSettings(cells, strings.TrimSuffix(settingsPrefix, "."), m)
			continue
		}
		cells[k] = v
	}
	return cells, nil
}

func flattenSettings(cells map[string]any, prefix string, m map[string]any) {
	for k, v := range m {
		path := prefix + "." + k
		if sub, ok := v.(map[string]any); ok {
			if _, err := settingspec.Lookup(strings.TrimPrefix(path, settingsPrefix)); err != nil {
				flattenSettings(cells, path, sub)
				continue
			}
		}
		if v != nil {
			cells[path] = v
		}
	}
}

// profileFields are the JSON names of the user update body and the Go types of their
// values, so that a cell is typed as the body wants it.
var profileFields = sync.OnceValue(func() map[string]reflect.Type {
	out := map[string]reflect.Type{}
	t := reflect.TypeFor[zoomusers.UserUpdate]()
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		ft := t.Field(i).Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		out[name] = ft
	}
	return out
})

// Columns lists the column names Read knows besides settings.<path>.
func Columns() []string {
	cols := []string{colEmail, colStatus, colType, colTransferTo, colCreateAction}
	for _, name := range slices.Sorted(maps.Keys(profileFields())) {
		if name != colType {
			cols = append(cols, name)
		}
	}
	return cols
}

func checkColumns(header []string) InputErrors {
	var errs InputErrors
	known := Columns()
	seen := map[string]bool{}
	for _, h := range header {
		switch {
		case seen[h]:
			errs = append(errs, &InputError{Line: 1, Column: h, Msg: "the column appears twice"})
		case strings.HasPrefix(h, settingsPrefix):
			if _, err := settingspec.Lookup(strings.TrimPrefix(h, settingsPrefix)); err != nil {
				errs = append(errs, &InputError{Line: 1, Column: h, Msg: err.Error()})
			}
		case !slices.Contains(known, h):
			msg := "unknown column; the columns are " + strings.Join(known, ", ") + ", and settings.<section>.<field>"
			if _, err := settingspec.Lookup(h); err == nil {
				msg = fmt.Sprintf("unknown column; for the setting, name it %s%s", settingsPrefix, h)
			}
			errs = append(errs, &InputError{Line: 1, Column: h, Msg: msg})
		}
		seen[h] = true
	}
	if !seen[colEmail] && len(errs) == 0 {
		errs = append(errs, &InputError{Line: 1, Column: colEmail, Msg: "no email column: every row names its user by email"})
	}
	return errs
}

// userTypes are the names a type cell may use.
var userTypes = map[string]zoomusers.UserType{
	"basic": zoomusers.UserTypeBasic, "licensed": zoomusers.UserTypeLicensed,
	"unassigned": zoomusers.UserTypeUnassigned, "none": zoomusers.UserTypeNone,
}

// TypeName names a user type for a person.
func TypeName(t zoomusers.UserType) string {
	for name, v := range userTypes {
		if v == t {
			return name
		}
	}
	return strconv.Itoa(int(t))
}

var createActions = []zoomusers.CreateUserAction{zoomusers.CreateUserActionCreate, zoomusers.CreateUserActionAutoCreate, zoomusers.CreateUserActionCustCreate, zoomusers.CreateUserActionSSOCreate}

// parseRow checks one row's cells (strings from CSV, JSON values from JSON lines).
func parseRow(line int, cells map[string]any) (Row, InputErrors) {
	row := Row{Line: line}
	var errs InputErrors
	bad := func(col, format string, args ...any) {
		errs = append(errs, &InputError{Line: line, Column: col, Msg: fmt.Sprintf(format, args...)})
	}
	text := func(col string) string {
		switch v := cells[col].(type) {
		case nil:
			return ""
		case string:
			return v
		default:
			bad(col, "want text, got %v", v)
			return ""
		}
	}
	row.Email = text(colEmail)
	if row.Email == "" {
		bad(colEmail, "empty: every row names its user by email")
	} else if err := checkEmail(row.Email); err != nil {
		bad(colEmail, "%v", err)
	}
	switch s := Status(strings.ToLower(text(colStatus))); s {
	case StatusAny, StatusActive, StatusInactive, StatusDisassociated, StatusDeleted:
		row.Status = s
	case "deactivated":
		row.Status = StatusInactive
	default:
		bad(colStatus, "%q: want active, inactive, disassociated or deleted (or empty to leave it)", s)
	}
	if t := text(colTransferTo); t != "" {
		if err := checkEmail(t); err != nil {
			bad(colTransferTo, "%v", err)
		} else if strings.EqualFold(t, row.Email) {
			bad(colTransferTo, "a user cannot transfer to themselves")
		}
		row.TransferTo = t
		if !row.Status.removes() {
			bad(colTransferTo, "only a row that removes its user (status disassociated or deleted) transfers")
		}
	}
	if a := text(colCreateAction); a != "" {
		i := slices.IndexFunc(createActions, func(x zoomusers.CreateUserAction) bool { return strings.EqualFold(string(x), a) })
		if i < 0 {
			bad(colCreateAction, "%q: want create, autoCreate, custCreate or ssoCreate", a)
		} else {
			row.CreateAction = createActions[i]
		}
	}
	if v, ok := cells[colType]; ok {
		s := fmt.Sprint(v)
		t, ok := userTypes[strings.ToLower(s)]
		if !ok {
			n, err := strconv.Atoi(s)
			if err != nil || !slices.Contains([]int{1, 2, 4, 99}, n) {
				bad(colType, "%q: want basic, licensed, unassigned or none (or 1, 2, 4, 99)", s)
			}
			t = zoomusers.UserType(n)
		}
		row.Profile = map[string]any{colType: json.Number(strconv.Itoa(int(t)))}
	}
	for col, v := range cells {
		if path, ok := strings.CutPrefix(col, settingsPrefix); ok {
			f, err := settingspec.Lookup(path)
			if err != nil {
				bad(col, "%v", err)
				continue
			}
			var val any
			if s, isText := v.(string); isText && f.Kind != settingspec.String {
				val, err = f.Parse(s)
			} else {
				val, err = f.Check(jsonValue(v))
			}
			if err != nil {
				bad(col, "%v", err)
				continue
			}
			if row.Settings == nil {
				row.Settings = settingspec.Values{}
			}
			row.Settings[path] = val
			continue
		}
		ft, ok := profileFields()[col]
		if !ok || col == colType {
			continue
		}
		val, err := profileValue(ft, v)
		if err != nil {
			bad(col, "%v", err)
			continue
		}
		if col == "manager" {
			if err := checkEmail(fmt.Sprint(val)); err != nil {
				bad(col, "%v", err)
				continue
			}
		}
		if row.Profile == nil {
			row.Profile = map[string]any{}
		}
		row.Profile[col] = val
	}
	if len(row.Profile) > 0 {
		// The body's own decoding is the last word on types and shapes.
		raw, _ := json.Marshal(row.Profile)
		var upd zoomusers.UserUpdate
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&upd); err != nil {
			bad("", "the profile fields do not fit Zoom's user update: %v", err)
		}
	}
	if row.Status.removes() && (len(row.Profile) > 0 || len(row.Settings) > 0) {
		bad(colStatus, "%s removes the user: leave the profile and settings columns empty", row.Status)
	}
	return row, errs
}

// profileValue types a cell for a field of Go type t: text for strings, a number or a
// boolean parsed from text, or JSON for lists and objects.
func profileValue(t reflect.Type, v any) (any, error) {
	s, isText := v.(string)
	if !isText {
		return jsonValue(v), nil
	}
	switch t.Kind() {
	case reflect.String:
		return s, nil
	case reflect.Bool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return nil, fmt.Errorf("%q: want true or false", s)
		}
		return b, nil
	case reflect.Int, reflect.Int64, reflect.Int32:
		if _, err := strconv.ParseInt(s, 10, 64); err != nil {
			return nil, fmt.Errorf("%q: want an integer", s)
		}
		return json.Number(s), nil
	}
	var out any
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	if err := dec.Decode(&out); err != nil {
		return nil, fmt.Errorf("%q: want JSON (%s)", s, t.Kind())
	}
	return out, nil
}

// jsonValue turns json.Numbers into float64 or int64 for settingspec.
func jsonValue(v any) any {
	switch t := v.(type) {
	case json.Number:
		if n, err := t.Int64(); err == nil {
			return n
		}
		f, _ := t.Float64()
		return f
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = jsonValue(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			out[k] = jsonValue(e)
		}
		return out
	}
	return v
}

// checkEmail accepts a bare address, as Zoom does.
func checkEmail(s string) error {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" || !strings.Contains(s[strings.LastIndex(s, "@")+1:], ".") {
		return fmt.Errorf("%q is not an email address", s)
	}
	return nil
}

func csvLine(err error) int {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.StartLine
	}
	return 0
}
