package zoomtest_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest"
)

// writeCapture writes a small capture as `zoomusers doctor -corpus` does.
func writeCapture(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"account.users.json": `{"page_size":1,"users":[{"id":"Qx7Yb2LmNp","email":"kavn.rolt@zqrt.example","first_name":"Kavn","type":2,"pmi":"4817202291","status":"active","region_code":"EMEA"}]}`,
		"account.user.json":  `{"id":"Qx7Yb2LmNp","email":"kavn.rolt@zqrt.example","type":2,"pmi":"4817202291","status":"active","status":"active","job_title":"Wxyz","region_code":"EMEA"}`,
		"NOTES.txt":          "# capture\naccount.users.json\tusers\tGET /users?include_fields=custom_attributes\naccount.user.json\tuser\tGET /users/{userId}\n",
	}
	return writeFiles(t, dir, files)
}

// writeFiles writes each file (name -> content) into dir and returns dir.
func writeFiles(t *testing.T, dir string, files map[string]string) string {
	t.Helper()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestSnapshotSeedsUsersAndShapes: the capture's user is in the account under its ID and
// email; its answers carry the captured shapes (pmi a string, the undeclared key, the
// repeated status) with the fake's current values, so a write still shows.
func TestSnapshotSeedsUsersAndShapes(t *testing.T) {
	srv := zoomtest.NewServer(zoomtest.WithSnapshot(writeCapture(t)), zoomtest.WithUsers(0))
	defer srv.Close()
	var drifts []string
	c, err := zoomusers.New(append(srv.ClientOptions(), zoomusers.WithDriftHandler(func(_ context.Context, d zoomusers.Drift) {
		drifts = append(drifts, d.Action.String()+" "+d.Path)
	}))...)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := c.User("kavn.rolt@zqrt.example").Update(ctx, zoomusers.UserUpdate{JobTitle: zoomusers.Ptr("Analyst")}, nil); err != nil {
		t.Fatal(err)
	}
	var resp zoomusers.Response
	u, err := c.User("Qx7Yb2LmNp").Get(ctx, nil, zoomusers.WithResponseInto(&resp))
	if err != nil {
		t.Fatal(err)
	}
	if u.GetEmail() != "kavn.rolt@zqrt.example" || u.GetPMI() != 4817202291 || u.GetJobTitle() != "Analyst" {
		t.Errorf("user %s pmi %d job %q", u.GetEmail(), u.GetPMI(), u.GetJobTitle())
	}
	body := string(resp.Body)
	if !strings.Contains(body, `"pmi":"4817202291"`) || strings.Count(body, `"status"`) != 2 || !strings.Contains(body, `"region_code":"EMEA"`) {
		t.Errorf("answer not in the captured shape: %s", body)
	}
	if strings.Join(drifts, ",") != "coerced pmi,dropped status" {
		t.Errorf("drifts %q", drifts)
	}
	// A listing asked without include_fields still takes the listing's captured shape.
	for page, err := range c.ListUsers(ctx, nil, zoomusers.WithResponseInto(&resp)).Pages() {
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Users) != 2 || !strings.Contains(string(resp.Body), `"region_code"`) {
			t.Errorf("listing: %d users: %s", len(page.Users), resp.Body)
		}
		break
	}
}

func TestReadSnapshotRefusesWhatIsNotACapture(t *testing.T) {
	if _, err := zoomtest.ReadSnapshot(t.TempDir()); err == nil {
		t.Error("a directory without NOTES.txt was read")
	}
	dir := writeCapture(t)
	os.WriteFile(filepath.Join(dir, "NOTES.txt"), []byte("account.user.json\tnoSuchOp\tGET /users/{userId}\n"), 0o644)
	if _, err := zoomtest.ReadSnapshot(dir); err == nil {
		t.Error("an unknown operation was read")
	}
}

// TestSnapshotAddsOnlyUndeclaredKeys: a key the spec declares belongs to the captured user
// alone; another user (here one the test creates) is answered with its own fields, and
// only the keys the spec does not declare are added in the captured shape.
func TestSnapshotAddsOnlyUndeclaredKeys(t *testing.T) {
	dir := t.TempDir()
	user := `{"id":"Qx7Yb2LmNp","email":"kavn.rolt@zqrt.example","type":2,"status":"active","dept":"Wxyz Ops",` +
		`"phone_numbers":[{"country":"US","code":"+1","number":"5550100"}],"custom_attributes":[{"key":"cbf_a","name":"A","value":"Secret"}],"region_code":"EMEA"}`
	files := map[string]string{
		"account.users.json": `{"page_size":30,"users":[` + user + `]}`,
		"account.user.json":  user,
		"NOTES.txt":          "account.users.json\tusers\tGET /users\naccount.user.json\tuser\tGET /users/{userId}\n",
	}
	writeFiles(t, dir, files)
	srv := zoomtest.NewServer(zoomtest.WithSnapshot(dir), zoomtest.WithUsers(0), zoomtest.WithoutRateLimits())
	defer srv.Close()
	c := newClient(t, srv)
	ctx := context.Background()
	if _, err := c.CreateUser(ctx, zoomusers.CreateUserRequest{Action: zoomusers.CreateUserActionAutoCreate,
		UserInfo: zoomusers.NewUser{Email: "fresh@example.com", Type: zoomusers.UserTypeBasic}}); err != nil {
		t.Fatal(err)
	}
	var resp zoomusers.Response
	fresh, err := c.User("fresh@example.com").Get(ctx, nil, zoomusers.WithResponseInto(&resp))
	if err != nil {
		t.Fatal(err)
	}
	if fresh.Dept != nil || fresh.PhoneNumbers != nil || fresh.CustomAttributes != nil {
		t.Errorf("a created user took the captured user's declared fields: %s", resp.Body)
	}
	if !strings.Contains(string(resp.Body), `"region_code":"EMEA"`) {
		t.Errorf("the undeclared key is missing: %s", resp.Body)
	}
	captured, err := c.User("kavn.rolt@zqrt.example").Get(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if captured.GetDept() != "Wxyz Ops" || captured.PhoneNumbers == nil || captured.CustomAttributes == nil {
		t.Errorf("the captured user lost its own fields: %+v", captured)
	}
	for u, err := range c.ListUsers(ctx, nil).All() {
		if err != nil {
			t.Fatal(err)
		}
		if u.GetEmail() != "kavn.rolt@zqrt.example" && (u.Dept != nil || u.PhoneNumbers != nil || u.CustomAttributes != nil) {
			t.Errorf("listed %s with the captured user's fields: %+v", u.GetEmail(), u)
		}
	}
}

// TestReadSnapshotNamesFileAndProblem: what makes a capture unusable is refused, and the
// error names the file and the problem; NewServer panics with the same message.
func TestReadSnapshotNamesFileAndProblem(t *testing.T) {
	parent := t.TempDir()
	writeFiles(t, parent, map[string]string{"outside.json": `{"id":"Out1","email":"out@zqrt.example","type":1}`})
	os.Mkdir(filepath.Join(parent, "sub"), 0o755)
	const user = "user\tGET /users/{userId}\n"
	tests := []struct {
		name  string
		files map[string]string
		want  []string // in the error, besides the file
	}{
		{"a file above the directory", map[string]string{"NOTES.txt": "../outside.json\t" + user},
			[]string{"NOTES.txt", `"../outside.json"`, "leaves the capture's directory"}},
		{"a file below it", map[string]string{"NOTES.txt": "sub/x.json\t" + user},
			[]string{"NOTES.txt", `"sub/x.json"`, "leaves the capture's directory"}},
		{"the fake's own ID", map[string]string{"NOTES.txt": "account.user.json\t" + user,
			"account.user.json": `{"id":"fakeUser000001","email":"kavn@zqrt.example","type":1}`},
			[]string{"account.user.json", `"fakeUser000001"`, "would hide a user the fake seeds"}},
		{"one ID, two users", map[string]string{"NOTES.txt": "account.users.json\tusers\tGET /users\naccount.user.json\t" + user,
			"account.users.json": `{"users":[{"id":"Qx7","email":"a@zqrt.example","type":1}]}`,
			"account.user.json":  `{"id":"Qx7","email":"b@zqrt.example","type":1}`},
			[]string{"account.user.json", `"Qx7"`, "a@zqrt.example and b@zqrt.example"}},
		{"not JSON", map[string]string{"NOTES.txt": "account.user.json\t" + user, "account.user.json": `{"id":`},
			[]string{"account.user.json", "not JSON"}},
		{"not an object", map[string]string{"NOTES.txt": "account.user.json\t" + user, "account.user.json": `[1]`},
			[]string{"account.user.json", "not an object"}},
		{"a missing file", map[string]string{"NOTES.txt": "account.user.json\t" + user},
			[]string{"account.user.json", "named in NOTES.txt, cannot be read"}},
		{"a line without a route", map[string]string{"NOTES.txt": "account.user.json\tuser\n"},
			[]string{"NOTES.txt", "unreadable line"}},
	}
	for _, tt := range tests {
		dir := writeFiles(t, filepath.Join(parent, "sub"), tt.files)
		_, err := zoomtest.ReadSnapshot(dir)
		if err == nil {
			t.Errorf("%s: read", tt.name)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: %q does not say %q", tt.name, err, w)
			}
		}
		func() {
			defer func() {
				if p := recover(); p == nil || fmt.Sprint(p) != err.Error() {
					t.Errorf("%s: NewServer panicked with %v, want %q", tt.name, p, err)
				}
			}()
			zoomtest.NewServer(zoomtest.WithSnapshot(dir)).Close()
		}()
		for name := range tt.files {
			os.Remove(filepath.Join(dir, name))
		}
	}
}

// TestSnapshotUserWithoutType: the spec has no user type 0; a captured user without a
// type is served as Basic (1).
func TestSnapshotUserWithoutType(t *testing.T) {
	dir := writeFiles(t, t.TempDir(), map[string]string{"NOTES.txt": "account.user.json\tuser\tGET /users/{userId}\n",
		"account.user.json": `{"id":"Qx7","email":"typeless@zqrt.example","status":"active"}`})
	srv := zoomtest.NewServer(zoomtest.WithSnapshot(dir), zoomtest.WithoutRateLimits())
	defer srv.Close()
	var resp zoomusers.Response
	u, err := newClient(t, srv).User("Qx7").Get(context.Background(), nil, zoomusers.WithResponseInto(&resp))
	if err != nil {
		t.Fatal(err)
	}
	if u.Type != zoomusers.UserTypeBasic || !strings.Contains(string(resp.Body), `"type":1`) {
		t.Errorf("type %d: %s", u.Type, resp.Body)
	}
}
