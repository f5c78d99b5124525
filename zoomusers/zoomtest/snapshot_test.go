package zoomtest_test

import (
	"context"
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
