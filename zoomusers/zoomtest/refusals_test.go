package zoomtest_test

import (
	"bufio"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest"
)

// Every refusal the fake gives names its evidence beside it and has a row in refusals
// below that provokes it over HTTP and checks Zoom's status and code. The test scans the
// package's code for refusals, so a new one without an Evidence: comment or without a row
// fails the build. Refusals whose conditions only a longer story reaches (rate limits over
// time, pending users) are also covered in depth by the tests named in their rows.

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

// refusal is one refusal of the fake, found in the code by site ("file:Func:text", where
// text is part of the refusing line), and a request that provokes it.
type refusal struct {
	site         string
	status, code int
	message      string // a part of the answer's message, when the code alone is shared
	provoke      func(t *testing.T, srv *zoomtest.Server) answer
}

// refusalServer is the account every row starts from: the owner (an admin), u0 and u3
// licensed, u1 and u2 basic, and expired@example.com, pending with an expired invitation.
func refusalServer(t *testing.T, opts ...zoomtest.Option) *zoomtest.Server {
	t.Helper()
	srv := zoomtest.NewServer(append([]zoomtest.Option{zoomtest.WithUsers(4), zoomtest.WithoutRateLimits()}, opts...)...)
	t.Cleanup(srv.Close)
	a := callJSON(t, srv, "POST", "/users", map[string]any{"action": "create", "user_info": map[string]any{"email": "expired@example.com", "type": 1}})
	if a.status != 201 {
		t.Fatalf("create the pending user: %d %s", a.status, a.body)
	}
	if err := srv.ExpireInvitation("expired@example.com"); err != nil {
		t.Fatal(err)
	}
	return srv
}

// at is a clock a row moves by hand.
type at struct{ now time.Time }

func (c *at) clock() func() time.Time { return func() time.Time { return c.now } }

// tokenRequest posts form to the fake's token endpoint with these client credentials.
func tokenRequest(t *testing.T, srv *zoomtest.Server, id, secret, body string) answer {
	t.Helper()
	req, _ := http.NewRequest("POST", srv.TokenURL(), strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(id, secret)
	return send(t, req)
}

// withToken sends one API request with this access token.
func withToken(t *testing.T, srv *zoomtest.Server, token, method, path string) answer {
	t.Helper()
	req, _ := http.NewRequest(method, srv.BaseURL()+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	return send(t, req)
}

// userAccessToken is a user-level OAuth access token of the user with this email.
func userAccessToken(t *testing.T, srv *zoomtest.Server, email string) string {
	t.Helper()
	a := tokenRequest(t, srv, zoomtest.ClientID, zoomtest.ClientSecret, url.Values{"grant_type": {"authorization_code"}, "code": {srv.AuthorizeUser(email)}}.Encode())
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	decodeJSON(t, a.body, &tok)
	return tok.AccessToken
}

// assist asks for these assistants of user.
func assist(t *testing.T, srv *zoomtest.Server, user string, emails ...string) answer {
	t.Helper()
	var list []map[string]string
	for _, e := range emails {
		list = append(list, map[string]string{"email": e})
	}
	return callJSON(t, srv, "POST", "/users/"+user+"/assistants", map[string]any{"assistants": list})
}

// twice sends the same request twice and returns the second answer.
func twice(t *testing.T, srv *zoomtest.Server, method, path string, v any) answer {
	t.Helper()
	if a := callJSON(t, srv, method, path, v); a.status >= 400 {
		t.Fatalf("first %s %s: %d %s", method, path, a.status, a.body)
	}
	return callJSON(t, srv, method, path, v)
}

func password(p string) map[string]any { return map[string]any{"password": p} }

// badPassword sets u0's password to p.
func badPassword(p string) func(*testing.T, *zoomtest.Server) answer {
	return func(t *testing.T, srv *zoomtest.Server) answer {
		return callJSON(t, srv, "PUT", "/users/u0@example.com/password", password(p))
	}
}

// request sends one JSON request (nil: no body) to the row's server.
func request(method, path string, v any) func(*testing.T, *zoomtest.Server) answer {
	return func(t *testing.T, srv *zoomtest.Server) answer {
		if v == nil {
			return call(t, srv, method, path, "", nil)
		}
		return callJSON(t, srv, method, path, v)
	}
}

// injected answers a user read under the fault f.
func injectedFault(f zoomtest.Fault) func(*testing.T, *zoomtest.Server) answer {
	return func(t *testing.T, srv *zoomtest.Server) answer {
		mustInject(t, srv.Inject(zoomusers.OpUser, 1, f))
		return call(t, srv, "GET", "/users/u0@example.com", "", nil)
	}
}

var refusals = []refusal{
	// assistants.go (TestAssistantRules)
	{"assistants.go:UserAssistantCreate:must be paid account", 400, 200, "paid", func(t *testing.T, _ *zoomtest.Server) answer {
		return assist(t, refusalServer(t, zoomtest.WithPlan(zoomusers.PlanFree)), "u0@example.com", "u3@example.com")
	}},
	{"assistants.go:UserAssistantCreate:On-prem user : %s.\", req.UserID", 400, 200, "u1@example.com", func(t *testing.T, srv *zoomtest.Server) answer {
		return assist(t, srv, "u1@example.com", "u0@example.com")
	}},
	{"assistants.go:UserAssistantCreate:Can't find user", 400, 200, "", func(t *testing.T, srv *zoomtest.Server) answer {
		return assist(t, srv, "u0@example.com", "ghost@example.com")
	}},
	{"assistants.go:UserAssistantCreate:to yourself", 400, 200, "", func(t *testing.T, srv *zoomtest.Server) answer {
		return assist(t, srv, "u0@example.com", "u0@example.com")
	}},
	{"assistants.go:UserAssistantCreate:already granted", 400, 200, "", func(t *testing.T, srv *zoomtest.Server) answer {
		return assist(t, srv, "u0@example.com", "u3@example.com", "u3@example.com")
	}},
	{"assistants.go:UserAssistantCreate:On-prem user : %s.\", name", 400, 200, "u1@example.com", func(t *testing.T, srv *zoomtest.Server) answer {
		return assist(t, srv, "u0@example.com", "u1@example.com")
	}},

	// faults.go: what a test injects (faults_test.go, field_test.go)
	{"faults.go:applyFault:WriteHeader(http.StatusTooManyRequests)", 429, 0, "", injectedFault(zoomtest.Fault{HTML429: true})},
	{"faults.go:applyFault:WriteHeader(chosen.Status)", 404, 1001, "", injectedFault(zoomtest.Fault{Status: 404, Code: 1001, ErrorMessage: true})},
	{"faults.go:applyFault:writeError(w, chosen.Status", 503, 0, "", injectedFault(zoomtest.Fault{Status: 503})},

	// limits.go (TestRateLimits, TestDailyLimits)
	{"limits.go:qpsLimited:tooMany", 429, 429, "per-second", func(t *testing.T, _ *zoomtest.Server) answer {
		c := &at{time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
		srv := zoomtest.NewServer(zoomtest.WithPlan(zoomusers.PlanFree), zoomtest.WithClock(c.clock()))
		t.Cleanup(srv.Close)
		token := accessToken(t, srv)
		for range 2 { // Medium on Free: 2 a second
			withToken(t, srv, token, "GET", "/users")
		}
		return withToken(t, srv, token, "GET", "/users")
	}},
	{"limits.go:dailyLimited:tooMany", 429, 429, "daily", injectedFault(zoomtest.Fault{DailyLimit: true})},

	// presence.go (TestPresenceRules)
	{"presence.go:UpdatePresenceStatus:Too many requests", 429, 429, "", func(t *testing.T, _ *zoomtest.Server) answer {
		c := &at{time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
		return twice(t, refusalServer(t, zoomtest.WithClock(c.clock())), "PUT", "/users/u0@example.com/presence_status", map[string]any{"status": "Away"})
	}},
	{"presence.go:GetCollaborationDevice:3001", 404, 3001, "", request("GET", "/users/u0@example.com/collaboration_devices/nope", nil)},
	{"presence.go:GetUserMeetingTemplates:3001", 404, 3001, "", request("GET", "/users/u0@example.com/meeting_templates/nope", nil)},

	// server.go
	{"server.go:Handler:Not found", 404, 0, "", request("GET", "/nope", nil)},
	{"server.go:authenticate:Invalid access token", 401, 124, "", func(t *testing.T, srv *zoomtest.Server) answer {
		return withToken(t, srv, "made-up", "GET", "/users/u0@example.com")
	}},
	{"server.go:authenticate:is expired", 401, 124, "", func(t *testing.T, _ *zoomtest.Server) answer {
		c := &at{time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
		srv := refusalServer(t, zoomtest.WithClock(c.clock()))
		token := accessToken(t, srv)
		c.now = c.now.Add(time.Hour)
		return withToken(t, srv, token, "GET", "/users/u0@example.com")
	}},
	{"server.go:observe:Too many concurrent requests", 429, 429, "concurrent", func(t *testing.T, srv *zoomtest.Server) answer {
		mustInject(t, srv.Inject(zoomusers.OpUserDelete, 1, zoomtest.Fault{Latency: 300 * time.Millisecond}))
		var wg sync.WaitGroup
		answers := make([]answer, 2)
		for i := range answers {
			wg.Add(1)
			go func() { defer wg.Done(); answers[i] = call(t, srv, "DELETE", "/users/u1@example.com", "", nil) }()
		}
		wg.Wait()
		slices.SortFunc(answers, func(a, b answer) int { return b.status - a.status })
		if answers[1].status != 204 {
			t.Errorf("the other delete: %d %s", answers[1].status, answers[1].body)
		}
		return answers[0]
	}},

	// settings.go (TestSettingsTheLicenseDoesNotAllow, TestExpiredInvitation1120)
	{"settings.go:settingsError:1108", 400, 1108, "", request("PATCH", "/users/u1@example.com/settings", map[string]any{"feature": map[string]any{"large_meeting": true}})},
	{"settings.go:settingsError:1122", 400, 1122, "", request("PATCH", "/users/u1@example.com/settings", map[string]any{"feature": map[string]any{"webinar": true}})},
	{"settings.go:UserSettings:errInvitationExpired", 400, 1120, "", request("GET", "/users/expired@example.com/settings", nil)},
	{"settings.go:UserSettingsUpdate:errInvitationExpired", 400, 1120, "", request("PATCH", "/users/expired@example.com/settings", map[string]any{"schedule_meeting": map[string]any{"host_video": true}})},

	// state.go
	{"state.go:resolve:1001", 404, 1001, "", request("GET", "/users/ghost@example.com", nil)},

	// tokens.go (TestUserOAuthRotation, obf_test.go)
	{"tokens.go:serveToken:Malformed form body", 400, 0, "", func(t *testing.T, srv *zoomtest.Server) answer {
		return tokenRequest(t, srv, zoomtest.ClientID, zoomtest.ClientSecret, "grant_type=%zz")
	}},
	{"tokens.go:serveToken:invalid_client", 401, 0, "", func(t *testing.T, srv *zoomtest.Server) answer {
		return tokenRequest(t, srv, zoomtest.ClientID, "wrong", "grant_type=account_credentials&account_id="+zoomtest.AccountID)
	}},
	{"tokens.go:grant:Invalid account_id", 400, 0, "", func(t *testing.T, srv *zoomtest.Server) answer {
		return tokenRequest(t, srv, zoomtest.ClientID, zoomtest.ClientSecret, "grant_type=account_credentials&account_id=another")
	}},
	{"tokens.go:grant:4735", 400, 4735, "", func(t *testing.T, srv *zoomtest.Server) answer {
		return tokenRequest(t, srv, zoomtest.ClientID, zoomtest.ClientSecret, "grant_type=authorization_code&code=made-up")
	}},
	{"tokens.go:grant:4741", 400, 4741, "", func(t *testing.T, srv *zoomtest.Server) answer {
		return tokenRequest(t, srv, zoomtest.ClientID, zoomtest.ClientSecret, "grant_type=refresh_token&refresh_token=made-up")
	}},
	{"tokens.go:grant:unsupported_grant_type", 400, 0, "", func(t *testing.T, srv *zoomtest.Server) answer {
		return tokenRequest(t, srv, zoomtest.ClientID, zoomtest.ClientSecret, "grant_type=password")
	}},
	{"tokens.go:checkOnBehalf:4711", 400, 4711, "", request("GET", "/users/me/token?type=onbehalf&meeting_id=123", nil)},
	{"tokens.go:checkOnBehalf:No privilege", 400, 200, "", func(t *testing.T, srv *zoomtest.Server) answer {
		return withToken(t, srv, userAccessToken(t, srv, "u0@example.com"), "GET", "/users/u1@example.com/token?type=onbehalf&meeting_id=123")
	}},
	{"tokens.go:checkOnBehalf:meeting_id", 400, 300, "Validation Failed.", func(t *testing.T, srv *zoomtest.Server) answer {
		return withToken(t, srv, userAccessToken(t, srv, "u0@example.com"), "GET", "/users/me/token?type=onbehalf")
	}},

	// uploads.go (TestUploadRules)
	{"uploads.go:readUpload:File is empty", 400, 120, "empty", func(t *testing.T, srv *zoomtest.Server) answer {
		return upload(t, srv, "/users/u0@example.com/picture", "pic_file", "empty.png", nil)
	}},
	{"uploads.go:readUpload:cannot exceed", 400, 120, "2M", func(t *testing.T, srv *zoomtest.Server) answer {
		return upload(t, srv, "/users/u0@example.com/picture", "pic_file", "big.png", append(slices.Clone(pngData), make([]byte, 2<<20)...))
	}},
	{"uploads.go:UserPicture:Only jpg/jpeg or png", 400, 120, "", func(t *testing.T, srv *zoomtest.Server) answer {
		return upload(t, srv, "/users/u0@example.com/picture", "pic_file", "a.gif", gifData)
	}},
	{"uploads.go:UploadVBuser:Only jpg/jpeg, gif or png", 400, 120, "", func(t *testing.T, srv *zoomtest.Server) answer {
		return upload(t, srv, "/users/u0@example.com/settings/virtual_backgrounds", "file", "a.txt", textData)
	}},
	{"uploads.go:UploadVBuser:A maximum of", 400, 120, "", func(t *testing.T, srv *zoomtest.Server) answer {
		for i := range 10 {
			if a := upload(t, srv, "/users/u0@example.com/settings/virtual_backgrounds", "file", fmt.Sprint(i), pngData); a.status != 201 {
				t.Fatalf("background %d: %d %s", i, a.status, a.body)
			}
		}
		return upload(t, srv, "/users/u0@example.com/settings/virtual_backgrounds", "file", "one-too-many", pngData)
	}},
	{"uploads.go:DelUserVB:file_ids", 400, 300, "file_ids", request("DELETE", "/users/u0@example.com/settings/virtual_backgrounds?file_ids=vb-nope", nil)},

	// users.go
	{"users.go:Users:next page token", 400, 300, "next page token", request("GET", "/users?next_page_token=made-up", nil)},
	{"users.go:UserCreate:1005", 409, 1005, "", request("POST", "/users", map[string]any{"action": "custCreate", "user_info": map[string]any{"email": "U0@example.com", "type": 1}})},
	{"users.go:UserCreate:user_info.type", 400, 300, "Validation Failed.", request("POST", "/users", map[string]any{"action": "custCreate", "user_info": map[string]any{"email": "n@example.com", "type": 99}})},
	{"users.go:UserCreate:Invalid parameter: password", 400, 300, "password", request("POST", "/users", map[string]any{"action": "autoCreate", "user_info": map[string]any{"email": "n@example.com", "type": 1, "password": "abcdefgh"}})},
	{"users.go:UserCreate:Daily-limit", 429, 429, "daily limit of 50", func(t *testing.T, _ *zoomtest.Server) answer {
		srv := refusalServer(t, zoomtest.WithPlan(zoomusers.PlanFree)) // created one already
		for i := range 49 {
			if a := callJSON(t, srv, "POST", "/users", map[string]any{"action": "create", "user_info": map[string]any{"email": fmt.Sprintf("n%d@example.com", i), "type": 1}}); a.status != 201 {
				t.Fatalf("create %d: %d %s", i, a.status, a.body)
			}
		}
		return callJSON(t, srv, "POST", "/users", map[string]any{"action": "create", "user_info": map[string]any{"email": "n50@example.com", "type": 1}})
	}},
	{"users.go:UserEmail:email", 400, 300, "Validation Failed.", request("GET", "/users/email?email=not-an-email", nil)},
	{"users.go:BulkUpdateFeature:feature_value", 400, 300, "feature_value", request("POST", "/users/features", map[string]any{"feature_type": "webinar", "feature_value": "7", "users": []map[string]string{{"email": "u0@example.com"}}})},
	{"users.go:User:errInvitationExpired", 400, 1120, "", request("GET", "/users/expired@example.com", nil)},
	{"users.go:UserUpdate:errInvitationExpired", 400, 1120, "", request("PATCH", "/users/expired@example.com", map[string]any{"first_name": "Ex"})},
	{"users.go:UserUpdate:\"timezone\"", 400, 300, "Validation Failed.", request("PATCH", "/users/u0@example.com", map[string]any{"timezone": "Mars/Olympus"})},
	{"users.go:UserUpdate:\"type\"", 400, 300, "Validation Failed.", request("PATCH", "/users/u0@example.com", map[string]any{"type": 99})},
	{"users.go:UserUpdate:4100", 400, 4100, "", func(t *testing.T, srv *zoomtest.Server) answer {
		callJSON(t, srv, "PATCH", "/users/u0@example.com", map[string]any{"vanity_name": "team.room"})
		return callJSON(t, srv, "PATCH", "/users/u1@example.com", map[string]any{"vanity_name": "team.room"})
	}},
	{"users.go:UserStatus:Admin users' status", 400, 200, "", request("PUT", "/users/"+zoomtest.OwnerEmail+"/status", map[string]any{"action": "deactivate"})},
	{"users.go:UserEmailUpdate:1005", 409, 1005, "", request("PUT", "/users/u0@example.com/email", map[string]any{"email": "u1@example.com"})},
	{"users.go:UserEmailUpdate:changed at most", 429, 429, "", func(t *testing.T, _ *zoomtest.Server) answer {
		c := &at{time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
		srv := refusalServer(t, zoomtest.WithClock(c.clock()))
		u0, _ := srv.UserState("u0@example.com")
		path := "/users/" + *u0.Profile.ID + "/email"
		for i := range 3 {
			if a := callJSON(t, srv, "PUT", path, map[string]any{"email": fmt.Sprintf("r%d@example.com", i)}); a.status != 204 {
				t.Fatalf("change %d: %d %s", i, a.status, a.body)
			}
		}
		return callJSON(t, srv, "PUT", path, map[string]any{"email": "r3@example.com"})
	}},
	{"users.go:UserPassword:1117", 400, 1117, "", request("PUT", "/users/"+zoomtest.OwnerEmail+"/password", password("Blue-Moon-43"))},
	{"users.go:UserPassword:old password", 400, 300, "old password", func(t *testing.T, srv *zoomtest.Server) answer {
		return twice(t, srv, "PUT", "/users/u0@example.com/password", password("Blue-Moon-42"))
	}},
	{"users.go:UserDelete:errInvitationExpired", 400, 1120, "", request("DELETE", "/users/expired@example.com", nil)},
	{"users.go:UserDelete:1117", 400, 1117, "", request("DELETE", "/users/"+zoomtest.OwnerEmail, nil)},
	{"users.go:UserDelete:transfer-to email", 400, 300, "transfer-to", request("DELETE", "/users/u0@example.com?transfer_email=U0@example.com", nil)},
	{"users.go:SwitchUserAccount:1010", 404, 1010, "", request("PUT", "/accounts/another/users/u0@example.com/account", map[string]any{"account_id": "sub-1"})},
	{"users.go:SwitchUserAccount:1001", 404, 1001, "", request("PUT", "/accounts/"+zoomtest.AccountID+"/users/ghost@example.com/account", map[string]any{"account_id": "sub-1"})},
	{"users.go:SwitchUserAccount:errInvitationExpired", 404, 1120, "", request("PUT", "/accounts/"+zoomtest.AccountID+"/users/expired@example.com/account", map[string]any{"account_id": "sub-1"})},
	{"users.go:SwitchUserAccount:1117", 400, 1117, "", request("PUT", "/accounts/"+zoomtest.AccountID+"/users/"+zoomtest.OwnerEmail+"/account", map[string]any{"account_id": "sub-1"})},

	// validate.go (validation_test.go, TestPasswordRules)
	{"validate.go:requestError:120", 400, 120, "No file uploaded", func(t *testing.T, srv *zoomtest.Server) answer {
		return upload(t, srv, "/users/u0@example.com/picture", "", "", nil)
	}},
	{"validate.go:requestError:valid JSON object", 400, 300, "valid JSON object", func(t *testing.T, srv *zoomtest.Server) answer {
		return call(t, srv, "POST", "/users", "", []byte(`{"action": `))
	}},
	{"validate.go:requestError:validationFailed(fields...)", 400, 300, "Validation Failed.", request("POST", "/users", map[string]any{"action": "custCreate", "user_info": map[string]any{}})},
	{"validate.go:requestError:\"Validation Failed. %s\"", 400, 300, "Content-Type", func(t *testing.T, srv *zoomtest.Server) answer {
		return call(t, srv, "POST", "/users", "text/plain", []byte("hello"))
	}},
	{"validate.go:checkPassword:1130", 400, 1130, "", badPassword("11111111")},
	{"validate.go:checkPassword:1131", 400, 1131, "", badPassword("12345678")},
	{"validate.go:checkPassword:1125", 400, 1125, "", badPassword("1234-+-5678")},
	{"validate.go:checkPassword:1126", 400, 1126, "", badPassword("Abcd-Efgh")},
	{"validate.go:checkPassword:1128", 400, 1128, "", badPassword("abcd-efg-1")},
}

// matches reports whether the row names this site.
func (r refusal) matches(s refusalSite) bool {
	file, rest, _ := strings.Cut(r.site, ":")
	fn, text, _ := strings.Cut(rest, ":")
	return s.file == file && s.fn == fn && strings.Contains(s.text, text)
}

func TestEveryRefusalHasEvidenceAndATest(t *testing.T) {
	sites := refusalSites(t)
	if len(sites) < len(refusals)/2 {
		t.Fatalf("found %d refusals in the code: the scan is broken", len(sites))
	}
	rowsOf := map[string]int{}
	for _, s := range sites {
		if !s.evidence {
			t.Errorf("%s:%d refuses without an Evidence: comment within %d lines above: %s", s.file, s.line, evidenceWindow, s)
		}
		var rows []string
		for _, r := range refusals {
			if r.matches(s) {
				rows = append(rows, r.site)
				rowsOf[r.site]++
			}
		}
		if len(rows) != 1 {
			t.Errorf("%s:%d is named by %d rows of refusals %v, want 1: %s", s.file, s.line, len(rows), rows, s)
		}
	}
	for _, r := range refusals {
		if rowsOf[r.site] != 1 {
			t.Errorf("row %q names %d refusals in the code, want 1", r.site, rowsOf[r.site])
		}
		t.Run(r.site, func(t *testing.T) {
			a := r.provoke(t, refusalServer(t))
			if a.status != r.status || a.zoom.Code != r.code || !strings.Contains(string(a.body), r.message) {
				t.Errorf("answer %d code %d %s, want %d code %d with %q", a.status, a.zoom.Code, a.body, r.status, r.code, r.message)
			}
		})
	}
}
