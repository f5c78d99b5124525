package zoomtest

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/zoomkit/go-zoomusers/gen"
	"github.com/zoomkit/go-zoomusers/internal/decoding"
	"github.com/zoomkit/go-zoomusers/zoomusers"
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
//     its captured value belongs to the captured user, not to the one answered), a
//     value captured as a string of digits where the fake has a number is sent as a
//     string (and the reverse), one object captured where the fake has a one-element
//     array is sent as that object, and a key the capture repeats is repeated.
//
// A captured user without a type is served as Basic (1): the spec has no type 0. The
// capture must be readable: NewServer panics naming the file and the problem otherwise
// (check it first with ReadSnapshot, as cmd/zoomtest does).
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

// fakeID is the form of the IDs the fake gives its own users (state.add).
var fakeID = regexp.MustCompile(`^fakeUser[0-9]{6}$`)

// ReadSnapshot reads a capture written by `zoomusers doctor -corpus dir`. It refuses,
// naming the file and the problem: a NOTES.txt line it cannot read, a file name that
// leaves the directory (a path separator or ".."), a file that is not a JSON object, a
// user ID of the form the fake gives its own users (fakeUser and six digits: it would
// hide one of them), and one ID given to users of different emails.
func ReadSnapshot(dir string) (*Snapshot, error) {
	f, err := os.Open(filepath.Join(dir, "NOTES.txt"))
	if err != nil {
		return nil, fmt.Errorf("zoomtest: snapshot: %w (a capture of zoomusers doctor -corpus has one)", err)
	}
	defer f.Close()
	snap := &Snapshot{answers: map[string][]*jnode{}}
	owners := map[string]string{} // user ID -> email
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		m := notesLine.FindStringSubmatch(line)
		if m == nil || !zoomusers.OperationID(m[2]).Valid() {
			return nil, snapshotError(dir, "NOTES.txt", "unreadable line %q (want file, operation and route, tab-separated)", line)
		}
		name, op, route := m[1], zoomusers.OperationID(m[2]), m[3]
		if strings.ContainsAny(name, `/\`) || strings.Contains(name, "..") {
			return nil, snapshotError(dir, "NOTES.txt", "file name %q leaves the capture's directory (a path separator or ..)", name)
		}
		body, err := os.ReadFile(filepath.Join(dir, name))
		if pe := (*fs.PathError)(nil); errors.As(err, &pe) {
			err = pe.Err // the path is in the message already
		}
		if err != nil {
			return nil, snapshotError(dir, name, "named in NOTES.txt, cannot be read: %v", err)
		}
		n, err := parseJSON(body)
		switch {
		case err != nil:
			return nil, snapshotError(dir, name, "not JSON: %v", err)
		case n.kind != '{':
			return nil, snapshotError(dir, name, "JSON, but not an object, which every captured answer is")
		}
		markUndeclared(n, "", undeclaredPaths(body, snapshotModel(op, route)))
		snap.answers[route] = append(snap.answers[route], n)
		var users []*jnode
		switch op {
		case zoomusers.OpUsers:
			users = n.get("users").elements()
		case zoomusers.OpUser:
			users = []*jnode{n}
		}
		for _, u := range users {
			id, email := u.get("id"), u.get("email")
			if id == nil || id.kind != '"' {
				continue // a pending user in a listing has none
			}
			switch other, seen := owners[id.text()]; {
			case fakeID.MatchString(id.text()):
				return nil, snapshotError(dir, name, "user ID %q has the form of the fake's own IDs (fakeUser and six digits) and would hide a user the fake seeds or creates; give it another ID", id.text())
			case seen && email != nil && !strings.EqualFold(other, email.text()):
				return nil, snapshotError(dir, name, "user ID %q is given to %s and %s", id.text(), other, email.text())
			}
			if email != nil {
				owners[id.text()] = email.text()
			}
		}
		snap.users = append(snap.users, users...)
	}
	return snap, sc.Err()
}

// snapshotError is a problem of the capture in dir, in the named file.
func snapshotError(dir, file, format string, args ...any) error {
	return fmt.Errorf("zoomtest: snapshot %s: %s", filepath.Join(dir, file), fmt.Sprintf(format, args...))
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
		if u.Type == 0 {
			// The spec has no type 0 (UserType in api/openapi.yaml: 1 Basic, 2 Licensed, 4
			// Unassigned, 99 None): a user captured without a type is served as Basic.
			u.Type = gen.UserTypeBasic
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
