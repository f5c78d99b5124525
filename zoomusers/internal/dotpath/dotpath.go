// Package dotpath reads and builds nested JSON objects by dotted paths
// ("schedule_meeting.host_video"), the way settings keys are named on the command line,
// in settingspec and in zoomusers' settings read-back.
package dotpath

import "strings"

// Nest turns values keyed by dotted path into the nested objects of a JSON body:
// {"a.b": 1, "a.c": 2} becomes {"a": {"b": 1, "c": 2}}.
func Nest(values map[string]any) map[string]any {
	root := map[string]any{}
	for path, v := range values {
		keys := strings.Split(path, ".")
		m := root
		for _, k := range keys[:len(keys)-1] {
			next, ok := m[k].(map[string]any)
			if !ok {
				next = map[string]any{}
				m[k] = next
			}
			m = next
		}
		m[keys[len(keys)-1]] = v
	}
	return root
}

// Lookup finds a dotted path in decoded JSON; a null value counts as absent.
func Lookup(tree any, path string) (any, bool) {
	v := tree
	for _, k := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = m[k]; !ok || v == nil {
			return nil, false
		}
	}
	return v, true
}
