package dotpath

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestNestAndLookup(t *testing.T) {
	tree := Nest(map[string]any{"a.b": 1, "a.c.d": true, "e": "x"})
	want := map[string]any{"a": map[string]any{"b": 1, "c": map[string]any{"d": true}}, "e": "x"}
	if diff := cmp.Diff(want, tree); diff != "" {
		t.Fatalf("Nest (-want +got):\n%s", diff)
	}
	for path, want := range map[string]any{"a.b": 1, "a.c.d": true, "e": "x"} {
		if got, ok := Lookup(tree, path); !ok || got != want {
			t.Errorf("Lookup(%q) = %v, %v; want %v", path, got, ok, want)
		}
	}
	tree["n"] = nil
	for _, path := range []string{"a.x", "e.f", "n", "a.b.c"} {
		if got, ok := Lookup(tree, path); ok {
			t.Errorf("Lookup(%q) = %v, found; want absent", path, got)
		}
	}
}
