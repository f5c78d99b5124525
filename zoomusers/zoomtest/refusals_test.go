package zoomtest_test

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// refusalCall matches a line of the fake's code that answers with an error: Zoom's error
// body (apiError, validationFailed, errInvitationExpired, writeError), a 429 (tooMany, an
// HTML 429), a token endpoint failure, or a field added to a validation failure.
var refusalCall = regexp.MustCompile(`apiError\(|validationFailed\(|errInvitationExpired\(|tooMany\(|&tokenFailure\{|writeError\(|WriteHeader\(http\.StatusTooManyRequests\)|WriteHeader\(chosen\.Status\)|append\(invalid,`)

// funcName matches a top-level function or method declaration.
var funcName = regexp.MustCompile(`^func (?:\([^)]*\) )?(\w+)`)

// refusalSite is one line of the fake's code that refuses a request.
type refusalSite struct {
	file, fn, text string
	line           int
	evidence       bool // an Evidence: comment on the line or in the few lines above it
}

func (s refusalSite) String() string { return s.file + ":" + s.fn + ": " + strings.TrimSpace(s.text) }

// evidenceWindow is how many lines above a refusal its Evidence: comment may start.
const evidenceWindow = 4

// refusalSites scans the package's non-test Go files for refusals. Declarations of the
// helpers and lines under a "Not a refusal:" comment are left out.
func refusalSites(t *testing.T) []refusalSite {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var sites []refusalSite
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := os.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			lines = append(lines, sc.Text())
		}
		f.Close()
		fn := ""
		for i, line := range lines {
			if m := funcName.FindStringSubmatch(line); m != nil {
				fn = m[1]
				continue
			}
			if !refusalCall.MatchString(line) {
				continue
			}
			above := strings.Join(lines[max(0, i-evidenceWindow):i+1], "\n")
			if strings.Contains(above, "Not a refusal:") {
				continue
			}
			sites = append(sites, refusalSite{file: file, fn: fn, text: line, line: i + 1, evidence: strings.Contains(above, "Evidence:")})
		}
	}
	return sites
}

func TestPrintSites(t *testing.T) {
	for _, s := range refusalSites(t) {
		t.Logf("%v %s:%d %s", s.evidence, s.file, s.line, s)
	}
}
