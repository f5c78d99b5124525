package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestOneEndpointWithoutTheOther: moving the API without the token endpoint (or the
// reverse) would send the credentials to Zoom, or Zoom's token to another server.
func TestOneEndpointWithoutTheOther(t *testing.T) {
	creds := map[string]string{"ZOOM_ACCOUNT_ID": "a", "ZOOM_CLIENT_ID": "b", "ZOOM_CLIENT_SECRET": "c"}
	for set, missing := range map[string]string{"ZOOM_BASE_URL": "ZOOM_TOKEN_URL", "ZOOM_TOKEN_URL": "ZOOM_BASE_URL"} {
		env := map[string]string{set: "http://127.0.0.1:9/x"}
		for k, v := range creds {
			env[k] = v
		}
		code, _, errOut := cliEnv(t, env, "list")
		if code != 2 || !strings.Contains(errOut, set+" is set but "+missing+" is not") {
			t.Errorf("only %s: exit %d: %s; want exit 2 naming %s", set, code, errOut, missing)
		}
	}
}

func TestActivateAnActiveUserSucceeds(t *testing.T) {
	srv := newFake(t)
	code, out, errOut := cli(t, srv, "activate", "jill@example.com")
	if code != 0 || !strings.Contains(out, "jill@example.com is already active") {
		t.Errorf("activate of an active user: exit %d: %s%s", code, out, errOut)
	}
	if code, out, _ := cli(t, srv, "deactivate", "jill@example.com"); code != 0 || !strings.Contains(out, "deactivated jill@example.com") {
		t.Errorf("deactivate: exit %d: %s", code, out)
	}
	code, out, errOut = cli(t, srv, "deactivate", "jill@example.com")
	if code != 0 || !strings.Contains(out, "already inactive") {
		t.Errorf("deactivate of an inactive user: exit %d: %s%s", code, out, errOut)
	}
}

func TestPendingUserMessages(t *testing.T) {
	srv := newFake(t)
	code, out, errOut := cli(t, srv, "create", "-email", "invited@example.com", "-first-name", "Ivy", "-action", "create")
	if code != 0 || !strings.Contains(out, "pending until the user accepts Zoom's invitation") {
		t.Fatalf("create of a pending user: exit %d: %s%s", code, out, errOut)
	}
	// ZOOM_FACTS.md "Behaviour seen in the field": get by email answers with the ID, the
	// listing leaves it out, and the table says where to find it.
	st, _ := srv.UserState("invited@example.com")
	id := st.Profile.GetID()
	code, out, _ = cli(t, srv, "get", "invited@example.com")
	if code != 0 || id == "" || !regexp.MustCompile(`(?m)^ID: +`+id+`$`).MatchString(out) {
		t.Errorf("get of a pending user (id %q): exit %d:\n%s", id, code, out)
	}
	code, out, _ = cli(t, srv, "list", "-status", "pending")
	if code != 0 || !strings.Contains(out, pendingID+" invited@example.com") || strings.Contains(out, id) {
		t.Errorf("list of a pending user: exit %d:\n%s", code, out)
	}
	code, _, errOut = cli(t, srv, "deactivate", "invited@example.com")
	if code != 1 || !strings.Contains(errOut, "invited@example.com is pending") || !strings.Contains(errOut, "accept") {
		t.Errorf("deactivate of a pending user: exit %d: %s", code, errOut)
	}
	// Zoom takes a pending user's update without applying it: the command says the change
	// was not applied and exits 3, as settings does for a change Zoom did not make.
	code, out, errOut = cli(t, srv, "update", "invited@example.com", "-dept", "Finance")
	if code != 3 || strings.Contains(out, "updated") || !strings.Contains(errOut, "invited@example.com is pending") || !strings.Contains(errOut, "without applying") {
		t.Errorf("update of a pending user: exit %d: %s%s", code, out, errOut)
	}
	if _, out, _ = cli(t, srv, "get", "invited@example.com", "-format", "json"); strings.Contains(out, "Finance") {
		t.Errorf("the pending user's dept changed:\n%s", out)
	}
}

func TestNoDoubledPrefix(t *testing.T) {
	srv := newFake(t)
	for _, args := range [][]string{{"get", ".."}, {"get", "nobody@example.com"}} {
		_, _, errOut := cli(t, srv, args...)
		if !strings.HasPrefix(errOut, "zoomusers get: ") || strings.Contains(errOut, "zoomusers: ") {
			t.Errorf("%q: %s; want one prefix", args, errOut)
		}
	}
}

func TestFirstAndLastNameFlagsMatchTheColumns(t *testing.T) {
	srv := newFake(t)
	if code, out, errOut := cli(t, srv, "update", "jill@example.com", "-first-name", "Jillian", "-last-name", "Chill"); code != 0 {
		t.Fatalf("exit %d: %s%s", code, out, errOut)
	}
	st, _ := srv.UserState("jill@example.com")
	if st.Profile.GetFirstName() != "Jillian" || st.Profile.GetLastName() != "Chill" {
		t.Errorf("profile %q %q", st.Profile.GetFirstName(), st.Profile.GetLastName())
	}
	if code, _, _ := cli(t, srv, "update", "jill@example.com", "-first", "J"); code != 2 {
		t.Errorf("-first still accepted: exit %d", code)
	}
}

// TestTimezoneCheckedLocally: an unknown time zone is refused before any request, with
// the nearest known names, in update and in apply (dry run included).
func TestTimezoneCheckedLocally(t *testing.T) {
	srv := newFake(t)
	code, _, errOut := cli(t, srv, "update", "jill@example.com", "-timezone", "Europe/Pariss")
	if code != 2 || !strings.Contains(errOut, `unknown time zone "Europe/Pariss"`) {
		t.Errorf("update: exit %d: %s", code, errOut)
	}
	if len(zoneNames()) > 0 && !strings.Contains(errOut, "nearest: Europe/Paris") {
		t.Errorf("update: %s; want Europe/Paris suggested", errOut)
	}
	file := filepath.Join(t.TempDir(), "people.csv")
	os.WriteFile(file, []byte("email,timezone\njill@example.com,America/New_York\nu0@example.com,Mars/Olympus\n"), 0o600)
	code, _, errOut = cli(t, srv, "apply", "-dry-run", file)
	if code != 2 || !strings.Contains(errOut, `line 3, timezone: unknown time zone "Mars/Olympus"`) || strings.Contains(errOut, "line 2") {
		t.Errorf("apply: exit %d: %s", code, errOut)
	}
	if code, _, errOut := cli(t, srv, "update", "jill@example.com", "-timezone", "Asia/Tokyo"); code != 0 {
		t.Errorf("a known zone: exit %d: %s", code, errOut)
	}
}

// TestApplySummaryAndLoggedProgress: -summary prints the counts instead of every row's
// changes, and without a terminal the progress comes as plain lines for logs.
func TestApplySummaryAndLoggedProgress(t *testing.T) {
	srv := newFake(t)
	job := writeFile(t, "job.csv", "email,dept\nu0@example.com,Sales\nu1@example.com,Sales\n")
	code, out, errOut := cli(t, srv, "apply", "-summary", "-yes", "-journal", "off", job)
	if code != 0 || !strings.Contains(out, "Plan: 2 rows: 2 to update.") || strings.Contains(out, "update the profile") || !strings.Contains(out, "Done: 2 rows: 2 changed") {
		t.Errorf("exit %d:\n%s", code, out)
	}
	if !strings.Contains(errOut, "applying: 2/2 (100%)") || strings.Contains(errOut, "\r") {
		t.Errorf("progress for logs:\n%q", errOut)
	}
}
