package zoomtest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
)

// WithWildAnswers makes the fake answer as Zoom does in the wild rather than as its spec
// says, with the drift Zoom's own examples and other clients' users have met, so that
// code under test meets it too. The values stay those of the fake's state; only their
// form changes, and undeclared data is added:
//
//   - Get user: pmi is a JSON string ("3000000001"); custom_attributes is one object,
//     not an array, as in Zoom's Get User example, and a user without attributes gets
//     {"key": "cbf_wild_cost_center", "name": "Cost center", "value": "CC-<user ID>"};
//     a key the spec does not declare, wild_undocumented_field, stands for the fields
//     Zoom sends before any spec has them (division_ids and license_info_list did:
//     ZOOM_FACTS.md "Known decode drift in the wild"; the spec declares both now); the
//     "status" key is sent twice, with the same value.
//   - List users: pmi is a string for the users at odd positions of each page (the
//     second, fourth, ...); every user has wild_undocumented_field; the first user of a
//     page has its "email" key twice; with include_fields=custom_attributes each user's
//     attributes are one object as above.
//   - Get settings (no option, no custom_query_fields): an undeclared section
//     zoom_ai_companion and an undeclared key in_meeting.wild_undocumented_setting;
//     schedule_meeting.host_video is sent twice with the same value. (Zoom's example tsp
//     section, call_out_countries as strings, is what the spec declares now: not drift,
//     so not added.)
//   - Schedulers: pmi is a string for the schedulers at odd positions.
//   - Upload virtual background: size is a string of digits (Zoom's older spec declared a
//     string; ours an integer).
//
// zoomusers decodes all of this, coercing or dropping what does not fit and reporting
// each drift (see zoomusers.Drift), and hands the undeclared keys back
// (zoomusers.Undeclared); a client of your own should do both.
func WithWildAnswers() Option { return func(c *config) { c.wild = true } }

// wildRule changes one kind of answer; it returns false to leave the body alone.
type wildRule func(body *jnode, r *http.Request) bool

var (
	userPath       = regexp.MustCompile(`^/users/([^/]+)$`)
	settingsPath   = regexp.MustCompile(`^/users/[^/]+/settings$`)
	schedulersPath = regexp.MustCompile(`^/users/[^/]+/schedulers$`)
	backgroundPath = regexp.MustCompile(`^/users/[^/]+/settings/virtual_backgrounds$`)
)

// ruleFor picks the change for a request, by its route below /v2.
func ruleFor(r *http.Request) wildRule {
	p := r.URL.Path
	switch {
	case r.Method == http.MethodGet && p == "/users":
		return wildListing
	case r.Method == http.MethodGet && userPath.MatchString(p) && !fixedUserPaths[userPath.FindStringSubmatch(p)[1]]:
		return wildUser
	case r.Method == http.MethodGet && settingsPath.MatchString(p):
		return wildSettings
	case r.Method == http.MethodGet && schedulersPath.MatchString(p):
		return func(body *jnode, _ *http.Request) bool {
			for i, s := range body.get("schedulers").elements() {
				if i%2 == 1 {
					s.get("pmi").stringify()
				}
			}
			return true
		}
	case r.Method == http.MethodPost && backgroundPath.MatchString(p):
		return func(body *jnode, _ *http.Request) bool {
			body.get("size").stringify()
			return true
		}
	}
	return nil
}

// fixedUserPaths are the /users/<word> routes that are not a user.
var fixedUserPaths = map[string]bool{"email": true, "vanity_name": true, "summary": true, "features": true}

func wildUser(u *jnode, _ *http.Request) bool {
	u.get("pmi").stringify()
	oneAttribute(u)
	undeclared(u)
	u.repeat("status")
	return true
}

func wildListing(body *jnode, r *http.Request) bool {
	attrs := r.URL.Query().Get("include_fields") == "custom_attributes"
	for i, u := range body.get("users").elements() {
		if i%2 == 1 {
			u.get("pmi").stringify()
		}
		if attrs {
			oneAttribute(u)
		}
		undeclared(u)
		if i == 0 {
			u.repeat("email")
		}
	}
	return true
}

func wildSettings(s *jnode, r *http.Request) bool {
	q := r.URL.Query()
	if q.Get("option") != "" || q.Get("custom_query_fields") != "" {
		return false
	}
	if m := s.get("in_meeting"); m != nil && m.kind == '{' {
		m.set("wild_undocumented_setting", rawNode(`true`))
	}
	if sm := s.get("schedule_meeting"); sm != nil && sm.kind == '{' {
		sm.repeat("host_video")
	}
	s.set("zoom_ai_companion", rawNode(`{"enable": true, "auto_start": false}`))
	return true
}

// oneAttribute sends custom_attributes as one object, as Zoom's Get User example does.
func oneAttribute(u *jnode) {
	attrs := u.get("custom_attributes")
	switch {
	case attrs == nil:
		id := u.get("id")
		value := "CC-unknown"
		if id != nil && id.kind == '"' {
			value = "CC-" + id.text()
		}
		obj := rawNode(`{"key": "cbf_wild_cost_center", "name": "Cost center", "value": ""}`)
		obj.get("value").raw, _ = json.Marshal(value)
		u.set("custom_attributes", obj)
	case attrs.kind == '[' && len(attrs.elems) == 1:
		*attrs = *attrs.elems[0]
	}
}

// undeclared adds a key no spec declares (see WithWildAnswers).
func undeclared(u *jnode) {
	u.set("wild_undocumented_field", rawNode(`{"added_by": "zoomtest.WithWildAnswers"}`))
}

// wild rewrites the successful JSON answers of the routes ruleFor names, when
// WithWildAnswers is set.
func (s *Server) wild(next http.Handler) http.Handler {
	if !s.cfg.wild && s.snap == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rule := s.snapshotRule(r) // WithSnapshot (snapshot.go)
		if rule == nil && s.cfg.wild {
			rule = ruleFor(r)
		}
		if rule == nil {
			next.ServeHTTP(w, r)
			return
		}
		rec := &recorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		if rec.hijacked {
			return
		}
		status := rec.status
		if status == 0 {
			status = http.StatusOK
		}
		out := rec.body.Bytes()
		if status/100 == 2 && strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") {
			if body, err := parseJSON(out); err == nil && body.kind == '{' && rule(body, r) {
				out = body.appendTo(nil)
				w.Header().Del("Content-Length")
			}
		}
		w.WriteHeader(status)
		w.Write(out)
	})
}

// recorder holds an answer back so that it can be rewritten; a hijacked connection
// (an injected Drop) passes through.
type recorder struct {
	http.ResponseWriter
	status   int
	body     bytes.Buffer
	hijacked bool
}

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
}

func (r *recorder) Write(p []byte) (int, error) { return r.body.Write(p) }

func (r *recorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	r.hijacked = true
	return http.NewResponseController(r.ResponseWriter).Hijack()
}

// jnode is a JSON value that keeps its members' order and repeated names, which a
// map would lose.
type jnode struct {
	kind    byte // '{', '[', '"' or '0' (any other scalar)
	raw     []byte
	members []jmember
	elems   []*jnode
}

type jmember struct {
	name       string
	value      *jnode
	undeclared bool // a key the model does not declare (snapshots: markUndeclared)
}

func rawNode(text string) *jnode {
	n, err := parseJSON([]byte(text))
	if err != nil {
		panic("zoomtest: bad built-in JSON: " + err.Error())
	}
	return n
}

func parseJSON(b []byte) (*jnode, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	n, err := parseNode(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, &json.SyntaxError{Offset: dec.InputOffset()}
	}
	return n, nil
}

func parseNode(dec *json.Decoder) (*jnode, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		n := &jnode{kind: byte(t)}
		for dec.More() {
			if n.kind == '{' {
				name, err := dec.Token()
				if err != nil {
					return nil, err
				}
				v, err := parseNode(dec)
				if err != nil {
					return nil, err
				}
				n.members = append(n.members, jmember{name: name.(string), value: v})
				continue
			}
			v, err := parseNode(dec)
			if err != nil {
				return nil, err
			}
			n.elems = append(n.elems, v)
		}
		_, err := dec.Token() // the closing delimiter
		return n, err
	case string:
		raw, _ := json.Marshal(t)
		return &jnode{kind: '"', raw: raw}, nil
	case json.Number:
		return &jnode{kind: '0', raw: []byte(t)}, nil
	default: // bool or nil
		raw, _ := json.Marshal(t)
		return &jnode{kind: 'l', raw: raw}, nil
	}
}

// get returns the last value of a member, or nil.
func (n *jnode) get(name string) *jnode {
	if n == nil || n.kind != '{' {
		return nil
	}
	for i := len(n.members) - 1; i >= 0; i-- {
		if n.members[i].name == name {
			return n.members[i].value
		}
	}
	return nil
}

// set replaces a member's value, or adds the member at the end.
func (n *jnode) set(name string, v *jnode) {
	for i := range n.members {
		if n.members[i].name == name {
			n.members[i].value = v
			return
		}
	}
	n.members = append(n.members, jmember{name: name, value: v})
}

// repeat sends a member a second time, with the same value, at the end.
func (n *jnode) repeat(name string) {
	if v := n.get(name); v != nil {
		n.members = append(n.members, jmember{name: name, value: v})
	}
}

func (n *jnode) elements() []*jnode {
	if n == nil || n.kind != '[' {
		return nil
	}
	return n.elems
}

// stringify turns a number into the string of its digits.
func (n *jnode) stringify() {
	if n != nil && n.kind == '0' {
		n.raw, _ = json.Marshal(string(n.raw))
		n.kind = '"'
	}
}

func (n *jnode) text() string {
	var s string
	json.Unmarshal(n.raw, &s)
	return s
}

func (n *jnode) appendTo(b []byte) []byte {
	switch n.kind {
	case '{':
		b = append(b, '{')
		for i, m := range n.members {
			if i > 0 {
				b = append(b, ',')
			}
			name, _ := json.Marshal(m.name)
			b = append(append(b, name...), ':')
			b = m.value.appendTo(b)
		}
		return append(b, '}')
	case '[':
		b = append(b, '[')
		for i, e := range n.elems {
			if i > 0 {
				b = append(b, ',')
			}
			b = e.appendTo(b)
		}
		return append(b, ']')
	}
	return append(b, n.raw...)
}
