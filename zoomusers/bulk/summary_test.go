package bulk

import (
	"strings"
	"testing"
)

func TestOneRowIsSingular(t *testing.T) {
	if got := (Summary{Rows: 1, Changed: 1}).String(); !strings.HasPrefix(got, "1 row: 1 changed") {
		t.Errorf("summary %q", got)
	}
	if got := (Counts{Rows: 1}).String(); !strings.HasPrefix(got, "1 row: ") {
		t.Errorf("counts %q", got)
	}
	if got := (Summary{Rows: 2}).String(); !strings.HasPrefix(got, "2 rows: ") {
		t.Errorf("summary %q", got)
	}
}
