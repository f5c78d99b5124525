package test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/zoomkit/go-zoomusers/test/internal/corpus"
	"github.com/zoomkit/go-zoomusers/zoomusers"
)

// The corpus: every example answer of Zoom's documentation pages and specs (extracted
// by `go run ./test/testdata/extract`) and a hand-written case for every drift
// ZOOM_FACTS.md names (drift.*.json). Each body is served over loopback to a real
// client; the test asserts the decoded values, the drift reports, and that nothing
// else was lost (corpus.Intact).

const corpusDir = "testdata/corpus"

// route is how the client asks for an operation, and how the fake answers.
type route struct {
	method string
	path   *regexp.Regexp
	status int
}

var routes = map[string]route{
	"user":                     {"GET", regexp.MustCompile(`^/v2/users/[^/]+$`), 200},
	"users":                    {"GET", regexp.MustCompile(`^/v2/users$`), 200},
	"userCreate":               {"POST", regexp.MustCompile(`^/v2/users$`), 201},
	"userEmail":                {"GET", regexp.MustCompile(`^/v2/users/email$`), 200},
	"userVanityName":           {"GET", regexp.MustCompile(`^/v2/users/vanity_name$`), 200},
	"userZak":                  {"GET", regexp.MustCompile(`^/v2/users/me/zak$`), 200},
	"userToken":                {"GET", regexp.MustCompile(`^/v2/users/[^/]+/token$`), 200},
	"userSummary":              {"GET", regexp.MustCompile(`^/v2/users/summary$`), 200},
	"bulkUpdateFeature":        {"POST", regexp.MustCompile(`^/v2/users/features$`), 201},
	"userPermission":           {"GET", regexp.MustCompile(`^/v2/users/[^/]+/permissions$`), 200},
	"userAssistants":           {"GET", regexp.MustCompile(`^/v2/users/[^/]+/assistants$`), 200},
	"userAssistantCreate":      {"POST", regexp.MustCompile(`^/v2/users/[^/]+/assistants$`), 201},
	"userSchedulers":           {"GET", regexp.MustCompile(`^/v2/users/[^/]+/schedulers$`), 200},
	"userSettings":             {"GET", regexp.MustCompile(`^/v2/users/[^/]+/settings$`), 200},
	"uploadVBuser":             {"POST", regexp.MustCompile(`^/v2/users/[^/]+/settings/virtual_backgrounds$`), 201},
	"listCollaborationDevices": {"GET", regexp.MustCompile(`^/v2/users/[^/]+/collaboration_devices$`), 200},
	"getCollaborationDevice":   {"GET", regexp.MustCompile(`^/v2/users/[^/]+/collaboration_devices/[^/]+$`), 200},
	"getUserMeetingTemplates":  {"GET", regexp.MustCompile(`^/v2/users/[^/]+/meeting_templates/[^/]+$`), 200},
	"getUserPresenceStatus":    {"GET", regexp.MustCompile(`^/v2/users/[^/]+/presence_status$`), 200},
}

// result is what a call gave: the value to check, and where it sits in the body.
type result struct {
	value any    // what the call returned
	at    string // drift path of value in the body ("" for the whole body)
	whole any    // what corpus.Intact compares with the body at at; value when nil
}

type caller func(ctx context.Context, c *zoomusers.Client) (result, error)

// calls are the client methods that decode each operation's answer, by name.
var calls = map[string]caller{
	"user": func(ctx context.Context, c *zoomusers.Client) (result, error) {
		u, err := c.User("jchill@example.com").Get(ctx, nil)
		return result{value: u}, err
	},
	"users": func(ctx context.Context, c *zoomusers.Client) (result, error) {
		for page, err := range c.ListUsers(ctx, nil).Pages() {
			if err != nil {
				return result{}, err
			}
			return result{value: page, at: "users", whole: page.Users}, nil
		}
		return result{}, fmt.Errorf("no page")
	},
	"userCreate": func(ctx context.Context, c *zoomusers.Client) (result, error) {
		u, err := c.CreateUser(ctx, zoomusers.CreateUserRequest{Action: zoomusers.CreateUserActionCreate, UserInfo: zoomusers.NewUser{Email: "jchill@example.com", Type: zoomusers.UserTypeBasic}})
		return result{value: u}, err
	},
	"userEmail": func(ctx context.Context, c *zoomusers.Client) (result, error) {
		ok, err := c.EmailExists(ctx, "jchill@example.com")
		return result{value: ok, at: "existed_email"}, err
	},
	"userVanityName": func(ctx context.Context, c *zoomusers.Client) (result, error) {
		ok, err := c.VanityNameExists(ctx, "jill")
		return result{value: ok, at: "existed"}, err
	},
	"userZak": func(ctx context.Context, c *zoomusers.Client) (result, error) {
		zak, err := c.Me().ZAK(ctx)
		return result{value: zak, at: "token"}, err
	},
	"userToken": func(ctx context.Context, c *zoomusers.Client) (result, error) {
		tok, err := c.User("jchill@example.com").Token(ctx, nil)
		return result{value: tok, at: "token"}, err
	},
	"userSummary": func(ctx context.Context, c *zoomusers.Client) (result, error) {
		s, err := c.Summary(ctx)
		return result{value: s}, err
	},
	"bulkUpdateFeature": func(ctx context.Context, c *zoomusers.Client) (result, error) {
		r, err := c.BulkUpdateFeature(ctx, zoomusers.BulkFeatureUpdate{FeatureType: "user_type", FeatureValue: "2", Users: []zoomusers.UserRef{{ID: zoomusers.Ptr("-gbbm4KGTsSvL5zmELDJdw")}}})
		return result{value: r}, err
	},
	"userPermission": func(ctx context.Context, c *zoomusers.Client) (result, error) {
		p, err := c.User("jchill@example.com").Permissions(ctx)
		return result{value: p, at: "permissions"}, err
	},
	"userAssistants": func(ctx context.Context, c *zoomusers.Client) (result, error) {
		a, err := c.User("jchill@example.com").Assistants(ctx)
		return result{value: a, at: "assistants"}, err
	},
	"userAssistantCreate": func(ctx context.Context, c *zoomusers.Client) (result, error) {
		a, err := c.User("jchill@example.com").AddAssistants(ctx, zoomusers.Assistant{Email: zoomusers.Ptr("helper@example.com")})
		return result{value: a}, err
	},
	"userSchedulers": func(ctx context.Context, c *zoomusers.Client) (result, error) {
		s, err := c.User("jchill@example.com").Schedulers(ctx)
		return result{value: s, at: "schedulers"}, err
	},
	"userSettings": func(ctx context.Context, c *zoomusers.Client) (result, error) {
		s, err := c.User("jchill@example.com").Settings(ctx, nil)
		return result{value: s}, err
	},
	"userSettings/meetingAuthentication": func(ctx context.Context, c *zoomusers.Client) (result, error) {
		s, err := c.User("jchill@example.com").MeetingAuthentication(ctx)
		return result{value: s}, err
	},
	"userSettings/recordingAuthentication": func(ctx context.Context, c *zoomusers.Client) (result, error) {
		s, err := c.User("jchill@example.com").RecordingAuthentication(ctx)
		return result{value: s}, err
	},
	"userSettings/meetingSecurity": func(ctx context.Context, c *zoomusers.Client) (result, error) {
		s, err := c.User("jchill@example.com").MeetingSecurity(ctx)
		return result{value: s}, err
	},
	"uploadVBuser": func(ctx context.Context, c *zoomusers.Client) (result, error) {
		f, err := c.User("jchill@example.com").UploadVirtualBackground(ctx, "bg.png", bytes.NewReader([]byte("\x89PNG\r\n\x1a\n a png")))
		return result{value: f}, err
	},
	"listCollaborationDevices": func(ctx context.Context, c *zoomusers.Client) (result, error) {
		d, err := c.User("jchill@example.com").CollaborationDevices(ctx)
		return result{value: d, at: "collaboration_devices"}, err
	},
	"getCollaborationDevice": func(ctx context.Context, c *zoomusers.Client) (result, error) {
		d, err := c.User("jchill@example.com").CollaborationDevice(ctx, "F1C6E9DF-429E-4FA1-85DA-AC95464F3D18")
		return result{value: d}, err
	},
	"getUserMeetingTemplates": func(ctx context.Context, c *zoomusers.Client) (result, error) {
		m, err := c.User("jchill@example.com").MeetingTemplate(ctx, "Q4COb7QVRVmO0896Ry4XHg")
		return result{value: m}, err
	},
	"getUserPresenceStatus": func(ctx context.Context, c *zoomusers.Client) (result, error) {
		p, err := c.User("jchill@example.com").PresenceStatus(ctx)
		return result{value: p}, err
	},
}

// corpusOp returns the operation a corpus file answers: the second part of its name.
func corpusOp(name string) string {
	parts := strings.Split(name, ".")
	if len(parts) < 3 {
		return ""
	}
	return parts[1]
}

func corpusFiles(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir(corpusDir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".json") {
			names = append(names, e.Name())
		}
	}
	if len(names) == 0 {
		t.Fatalf("no corpus in %s", corpusDir)
	}
	return names
}

// serveBody answers every API request with body, as the operation op would, and
// records what was asked.
func serveBody(t *testing.T, op string, body []byte) (*zoomusers.Client, *[]zoomusers.Drift, func() []string) {
	t.Helper()
	rt := routes[op]
	var mu sync.Mutex
	var asked []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		asked = append(asked, r.Method+" "+r.URL.Path)
		mu.Unlock()
		if r.Method != rt.method || !rt.path.MatchString(r.URL.Path) {
			http.Error(w, `{"code":404,"message":"not the corpus operation"}`, http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Zm-Trackingid", "corpus")
		w.WriteHeader(rt.status)
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	var drifts []zoomusers.Drift
	c, err := zoomusers.New(
		zoomusers.WithAccessToken("corpus-token"),
		zoomusers.WithBaseURL(srv.URL+"/v2"),
		zoomusers.WithRetryPolicy(zoomusers.NoRetries),
		zoomusers.WithLogger(slog.New(slog.DiscardHandler)),
		zoomusers.WithDriftHandler(func(_ context.Context, d zoomusers.Drift) {
			mu.Lock()
			drifts = append(drifts, d)
			mu.Unlock()
		}),
	)
	if err != nil {
		t.Fatal(err)
	}
	return c, &drifts, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(asked)
	}
}

// driftList spells drifts as goldens do: "coerced users[2].pmi".
func driftList(ds []zoomusers.Drift) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Action.String()+" "+d.Path)
	}
	return out
}

func TestCorpusGolden(t *testing.T) {
	for _, name := range corpusFiles(t) {
		t.Run(name, func(t *testing.T) {
			g, ok := goldens[name]
			if !ok {
				t.Fatalf("%s has no golden expectation: add one to goldens in corpus_golden_test.go", name)
			}
			op := corpusOp(name)
			call := calls[op]
			if g.call != "" {
				call = calls[op+"/"+g.call]
			}
			if call == nil {
				t.Fatalf("no client call decodes %s answers (call %q)", op, g.call)
			}
			body, err := os.ReadFile(filepath.Join(corpusDir, name))
			if err != nil {
				t.Fatal(err)
			}
			c, drifts, asked := serveBody(t, op, body)
			res, err := call(context.Background(), c)
			if err != nil {
				t.Fatalf("the call failed: %v (requests: %v)", err, asked())
			}
			if got := asked(); len(got) != 1 {
				t.Errorf("requests = %v, want one %s", got, op)
			}
			if diff := cmpStrings(g.drifts, driftList(*drifts)); diff != "" {
				t.Errorf("drifts:\n%s", diff)
			}
			for _, d := range *drifts {
				if string(d.Operation) != op || len(d.Value) == 0 || d.Want == nil && !strings.Contains(d.Reason, "duplicate") {
					t.Errorf("incomplete drift %+v", d)
				}
			}
			whole := res.whole
			if whole == nil {
				whole = res.value
			}
			for _, p := range corpus.Intact(body, res.at, whole, *drifts) {
				t.Errorf("lost: %s", p)
			}
			g.check(t, res.value)
		})
	}
}

func TestEveryGoldenHasItsCorpusFile(t *testing.T) {
	files := map[string]bool{}
	for _, name := range corpusFiles(t) {
		files[name] = true
	}
	for name := range goldens {
		if !files[name] {
			t.Errorf("golden %s has no file in %s", name, corpusDir)
		}
	}
}

// TestCorpusIsExtracted: the extracted files are exactly what extraction gives today,
// so they cannot be edited by hand or go stale when the seeds change.
func TestCorpusIsExtracted(t *testing.T) {
	seeds, reference := filepath.Join("..", "..", "shared", "seeds"), filepath.Join("..", "..", "shared", "reference")
	if _, err := os.Stat(seeds); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI runs with shared/ beside the repository, but %s is missing: %v", seeds, err)
		}
		t.Skipf("Zoom's documents are not at %s (they live beside the repository); the committed corpus is used as it is", seeds)
	}
	files, err := corpus.Extract(seeds, reference)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]byte{}
	for _, f := range files {
		want[f.Name] = f.Body
	}
	for _, name := range corpusFiles(t) {
		if !corpus.Extracted(name) {
			continue
		}
		got, _ := os.ReadFile(filepath.Join(corpusDir, name))
		switch body, ok := want[name]; {
		case !ok:
			t.Errorf("%s is not an example of Zoom's documents: remove it or run go run ./test/testdata/extract", name)
		case !bytes.Equal(got, body):
			t.Errorf("%s differs from its extraction: run go run ./test/testdata/extract", name)
		}
		delete(want, name)
	}
	for name := range want {
		t.Errorf("%s is missing: run go run ./test/testdata/extract", name)
	}
	// Zoom's own examples named in issue 8 must be in the corpus.
	for _, name := range []string{"seed-001.user.json", "seed-002.userSettings.json", "seed-000.user.json", "zoom2021.users.json", "zoom2025.users.json"} {
		if _, err := os.Stat(filepath.Join(corpusDir, name)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func cmpStrings(want, got []string) string {
	if slices.Equal(want, got) {
		return ""
	}
	return fmt.Sprintf("  want %q\n  got  %q", want, got)
}
