package zoomtest

import (
	"bufio"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/zoomkit/go-zoomusers/gen"
	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/internal/decoding"
)

// WithSnapshot seeds the fake from a capture of a real account, as `zoomusers doctor
// -corpus dir` writes it (scrubbed answers named account.<operation>[.<n>].json and a
// NOTES.txt naming each file's route), so that tests meet their own account's shapes:
//
//   - the users of the captured listing and user answers are added to the fake, with
//     their (scrubbed) IDs, emails, names and the profile fields the model declares;
//   - every GET answer of an operation the capture holds is the fake's own answer (so
//     writes still show) in the captured answer's shape: keys the spec does not declare
//     are added with their captured values (a declared key the fake leaves out is not:
//     its captured value is the captured user's, not the one answered), a value captured as a string of digits
//     where the fake has a number is sent as a string (and the reverse), one object
//     captured where the fake has a one-element array is sent as that object, and a
//     key the capture repeats is repeated.
//
// The capture must be readable: NewServer panics naming the problem otherwise (check it
// first with ReadSnapshot, as cmd/zoomtest does).
func WithSnapshot(dir string) Option {
	return func(c *config) { c.snapshot = dir }
}

// Snapshot is a capture read by ReadSnapshot: the captured answers by route.
type Snapshot struct {
	answers map[string][]*jnode // "GET /users/{userId}/settings?option=..." -> bodies
	users   []*jnode            // every user object of the capture, listing first
}

// notesLine is one line of NOTES.txt: file, operation, route.
var notesLine = regexp.MustCompile(`^(\S+\.json)\t(\S+)\t(\S+ \S+)$`)

// ReadSnapshot reads a capture written by `zoomusers doctor -corpus dir`.
func ReadSnapshot(dir string) (*Snapshot, error) {
	f, err := os.Open(filepath.Join(dir, "NOTES.txt"))
	if err != nil {
		return nil, fmt.Errorf("zoomtest: snapshot: %w (a capture of zoomusers doctor -corpus has one)", err)
	}
	defer f.Close()
	snap := &Snapshot{answers: map[string][]*jnode{}}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		m := notesLine.FindStringSubmatch(line)
		if m == nil || !zoomusers.OperationID(m[2]).Valid() {
			return nil, fmt.Errorf("zoomtest: snapshot: NOTES.txt: unreadable line %q", line)
		}
		body, err := os.ReadFile(filepath.Join(dir, m[1]))
		if err != nil {
			return nil, fmt.Errorf("zoomtest: snapshot: %w", err)
		}
		n, err := parseJSON(body)
		if err != nil || n.kind != '{' {
			return nil, fmt.Errorf("zoomtest: snapshot: %s is not a JSON object", m[1])
		}
		markUndeclared(n, "", undeclaredPaths(body, snapshotModel(zoomusers.OperationID(m[2]), m[3])))
		snap.answers[m[3]] = append(snap.answers[m[3]], n)
		switch zoomusers.OperationID(m[2]) {
		case zoomusers.OpUsers:
			snap.users = append(snap.users, n.get("users").elements()...)
		case zoomusers.OpUser:
			snap.users = append(snap.users, n)
		}
	}
	return snap, sc.Err()
}

// snapshotModel is a new value of the model a GET answer of op decodes into (settings by
// the route's option), or nil for an operation that has none: a captured answer's keys
// are compared with it.
func snapshotModel(op zoomusers.OperationID, route string) any {
	switch op {
	case zoomusers.OpUsers:
		return new(gen.UserList)
	case zoomusers.OpUser:
		return new(gen.User)
	case zoomusers.OpUserSettings:
		_, option, _ := strings.Cut(route, "?option=")
		switch option {
		case keyMeetingAuth:
			return new(gen.MeetingAuthenticationSettings)
		case keyRecordingAuth:
			return new(gen.RecordingAuthenticationSettings)
		case keySecurity:
			return new(gen.MeetingSecuritySettings)
		}
		return new(gen.UserSettings)
	case zoomusers.OpUserSummary:
		return new(gen.UserSummary)
	case zoomusers.OpUserEmail:
		return new(gen.EmailCheck)
	case zoomusers.OpUserVanityName:
		return new(gen.VanityNameCheck)
	case zoomusers.OpUserZak, zoomusers.OpUserToken:
		return new(gen.Token)
	case zoomusers.OpUserPermission:
		return new(gen.UserPermissions)
	case zoomusers.OpUserAssistants:
		return new(gen.AssistantList)
	case zoomusers.OpUserSchedulers:
		return new(gen.SchedulerList)
	case zoomusers.OpListCollaborationDevices:
		return new(gen.CollaborationDeviceList)
	case zoomusers.OpGetCollaborationDevice:
		return new(gen.CollaborationDevice)
	case zoomusers.OpGetUserMeetingTemplates:
		return new(gen.MeetingTemplate)
	case zoomusers.OpGetUserPresenceStatus:
		return new(gen.PresenceStatus)
	}
	return nil
}

// undeclaredPaths are the paths of body's keys that model does not declare; none without
// a model, so that nothing of a capture is taken for undeclared by mistake.
func undeclaredPaths(body []byte, model any) map[string]bool {
	paths := map[string]bool{}
	if model == nil {
		return paths
	}
	keys, _ := zoomusers.Undeclared(body, model) // body parsed already: no error
	for _, k := range keys {
		paths[k.Path] = true
	}
	return paths
}

// markUndeclared flags the members of n whose paths (at is n's own, written as
// zoomusers.UndeclaredKey.Path writes it) are in paths: the only keys reshape adds.
func markUndeclared(n *jnode, at string, paths map[string]bool) {
	switch n.kind {
	case '{':
		for i := range n.members {
			m := &n.members[i]
			p := memberPath(at, m.name)
			m.undeclared = paths[p]
			markUndeclared(m.value, p, paths)
		}
	case '[':
		for i, e := range n.elems {
			markUndeclared(e, fmt.Sprintf("%s[%d]", at, i), paths)
		}
	}
}

// memberPath is the path of member name of the value at path at: dotted for names of
// letters, digits, _ and -, else quoted in brackets, as zoomusers writes drift paths.
func memberPath(at, name string) string {
	if name == "" || strings.TrimLeft(name, "_-abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") != "" {
		return at + "[" + strconv.Quote(name) + "]"
	}
	if at == "" {
		return name
	}
	return at + "." + name
}

// seedSnapshot adds the capture's users to the account, each once (by email).
func (s *state) seedSnapshot(snap *Snapshot) {
	for _, raw := range snap.users {
		var u gen.User
		if _, err := decoding.Unmarshal(raw.appendTo(nil), &u); err != nil || u.GetEmail() == "" {
			continue // a pending user without an email cannot be told apart
		}
		if s.lookup(u.GetEmail()) != nil {
			continue
		}
		nu := s.add(u.GetEmail(), u.GetFirstName(), u.GetLastName(), u.Type, u.GetStatus())
		id := nu.id
		delete(s.byID, id)
		if u.GetID() != "" {
			id = u.GetID()
		}
		nu.User = u
		nu.id = id
		nu.ID, nu.AccountID = &nu.id, &nu.accountID
		if nu.Status == nil {
			nu.Status = zoomusers.Ptr(gen.UserStatusActive)
		}
		s.byID[id] = nu
	}
}

// route is the capture's key for a request: method, path template and the settings
// option, as NOTES.txt writes it.
func snapshotRoute(r *http.Request) string {
	p := r.URL.Path
	for _, op := range zoomusers.Operations() {
		if op.Method() != r.Method || !templateMatch(op.Path(), p) {
			continue
		}
		route := r.Method + " " + op.Path()
		switch op {
		case zoomusers.OpUserSettings:
			if o := r.URL.Query().Get("option"); o != "" {
				route += "?option=" + o
			}
		case zoomusers.OpUsers:
			if f := r.URL.Query().Get("include_fields"); f != "" {
				route += "?include_fields=" + f
			}
		case zoomusers.OpUserToken:
			route += "?type=" + r.URL.Query().Get("type")
		}
		return route
	}
	return ""
}

// templateMatch reports whether path fits a template such as /users/{userId}; fixed
// segments win over parameters (/users/summary is not a user).
func templateMatch(template, path string) bool {
	ts, ps := strings.Split(template, "/"), strings.Split(path, "/")
	if len(ts) != len(ps) {
		return false
	}
	for i := range ts {
		if strings.HasPrefix(ts[i], "{") {
			if i == 2 && fixedUserPaths[ps[i]] && len(ps) == 3 {
				return false
			}
			continue
		}
		if ts[i] != ps[i] {
			return false
		}
	}
	return true
}

// snapshotRule gives a GET answer the shape of the captured one, if the capture holds
// its route.
func (s *Server) snapshotRule(r *http.Request) wildRule {
	if s.snap == nil || r.Method != http.MethodGet {
		return nil
	}
	route := snapshotRoute(r)
	captured := s.snap.answers[route]
	if len(captured) == 0 {
		base, _, _ := strings.Cut(route, "?") // the same operation asked otherwise
		for k, v := range s.snap.answers {
			if b, _, _ := strings.Cut(k, "?"); b == base && route != "" {
				captured = v
				break
			}
		}
	}
	if len(captured) == 0 {
		return nil
	}
	return func(body *jnode, _ *http.Request) bool {
		*body = *reshape(body, captured[0])
		return true
	}
}

// reshape returns live in the shape of captured (see WithSnapshot).
func reshape(live, captured *jnode) *jnode {
	switch {
	case live.kind == '{' && captured.kind == '{':
		out := &jnode{kind: '{'}
		done := map[string]bool{}
		for _, m := range captured.members {
			if v := live.get(m.name); v != nil {
				out.members = append(out.members, jmember{name: m.name, value: reshape(v, m.value)})
			} else if m.undeclared {
				// A key the spec does not declare, so the fake never sends it. A declared key
				// the fake leaves out is absent for this user: the captured user's value
				// would be another user's data.
				out.members = append(out.members, m)
			}
			done[m.name] = true
		}
		for _, m := range live.members {
			if !done[m.name] {
				out.members = append(out.members, m)
			}
		}
		return out
	case live.kind == '[' && captured.kind == '[':
		if len(captured.elems) == 0 {
			return live
		}
		out := &jnode{kind: '['}
		for i, e := range live.elems {
			out.elems = append(out.elems, reshape(e, captured.elems[i%len(captured.elems)]))
		}
		return out
	case live.kind == '[' && captured.kind == '{' && len(live.elems) == 1:
		return reshape(live.elems[0], captured) // one object where an array is declared
	case live.kind == '0' && captured.kind == '"':
		n := *live
		n.stringify()
		return &n
	case live.kind == '"' && captured.kind == '0' && digits.MatchString(live.text()):
		return &jnode{kind: '0', raw: []byte(live.text())}
	}
	return live
}

var digits = regexp.MustCompile(`^-?[0-9]{1,18}$`)
