package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest"
)

// TestSettingsReadBackReportsEachKey: a known key Zoom takes is "applied" and exits 0; a
// key the spec does not know is refused (exit 2, nearest names) unless -allow-unknown,
// which sends it. A PATCH Zoom answers 204 without making (a key it does not know, a
// pending user: ZOOM_FACTS.md "Zoom keeps moving", "Behaviour seen in the field"),
// injected into the fake, reads back unchanged or absent: "ignored", exit 3.
func TestSettingsReadBackReportsEachKey(t *testing.T) {
	srv := newFake(t)
	code, out, errOut := cli(t, srv, "settings", "jill@example.com", "-set", "schedule_meeting.host_video=true")
	if code != exitOK || !strings.Contains(out, "applied schedule_meeting.host_video = true") {
		t.Errorf("known key: exit %d:\n%s%s", code, out, errOut)
	}

	code, _, errOut = cli(t, srv, "settings", "jill@example.com", "-set", "schedule_meeting.host_vidoe=true")
	if code != exitLocal || !strings.Contains(errOut, "did you mean schedule_meeting.host_video") || !strings.Contains(errOut, "-allow-unknown") {
		t.Errorf("unknown key without the flag: exit %d: %s", code, errOut)
	}

	if err := srv.Inject(zoomusers.OpUserSettingsUpdate, 1, zoomtest.Fault{Status: 204, EmptyBody: true}); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = cli(t, srv, "settings", "jill@example.com", "-allow-unknown",
		"-set", "schedule_meeting.host_video=false", "-set", "in_meeting.brand_new_key_2027=true")
	if code != exitNotApplied {
		t.Errorf("unknown key with the flag: exit %d, want %d:\n%s%s", code, exitNotApplied, out, errOut)
	}
	if !strings.Contains(out, "ignored schedule_meeting.host_video: sent false, Zoom holds true") ||
		!strings.Contains(out, "ignored in_meeting.brand_new_key_2027: sent true, Zoom does not show it back") {
		t.Errorf("read-back lines:\n%s", out)
	}
	if !strings.Contains(errOut, "do not hold in_meeting.brand_new_key_2027") {
		t.Errorf("stderr should name the key not applied: %q", errOut)
	}
}

// TestSettingsWriteModelKeys: the keys -set and apply take are those of Zoom's PATCH
// body (the spec's write model): a key Zoom only answers is refused as read only, with or
// without -allow-unknown, before any request (exit 2); a key Zoom takes and never
// answers is sent and reported as sent, not as ignored (exit 0); settings-keys lists the
// write-only keys, marked, and not the read-only ones.
func TestSettingsWriteModelKeys(t *testing.T) {
	srv := newFake(t)
	for _, args := range [][]string{
		{"settings", "jill@example.com", "-set", "personal_audio_conference=true"},
		{"settings", "jill@example.com", "-allow-unknown", "-set", "whiteboard.in_meeting_advanced_whiteboard=true"},
	} {
		code, _, errOut := cli(t, srv, args...)
		if code != exitLocal || !strings.Contains(errOut, "is read only") || srv.Requests(zoomusers.OpUserSettingsUpdate) != 0 {
			t.Errorf("%v: exit %d, %d requests: %s", args, code, srv.Requests(zoomusers.OpUserSettingsUpdate), errOut)
		}
	}
	job := filepath.Join(t.TempDir(), "job.csv")
	if err := os.WriteFile(job, []byte("email,settings.feature.cn_meeting\njill@example.com,true\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := cli(t, srv, "apply", "-dry-run", job); code != exitLocal || !strings.Contains(errOut, `"feature.cn_meeting" is read only`) {
		t.Errorf("apply with a read-only column: exit %d: %s", code, errOut)
	}

	code, out, errOut := cli(t, srv, "settings", "jill@example.com", "-set", "enforce_fips_mode=true", "-set", "schedule_meeting.host_video=true")
	if code != exitOK || !strings.Contains(out, "sent enforce_fips_mode = true (write only") || !strings.Contains(out, "applied schedule_meeting.host_video = true") {
		t.Errorf("a write-only key: exit %d:\n%s%s", code, out, errOut)
	}
	if st, _ := srv.UserState("jill@example.com"); !reflect.DeepEqual(valueIf(st.Setting("enforce_fips_mode")), true) {
		t.Error("the fake does not hold enforce_fips_mode: it was not sent")
	}

	_, keys, _ := cli(t, srv, "settings-keys")
	// audio_conferencing is settable since Zoom's PATCH took it (changelog 2025-11-17).
	if !strings.Contains(keys, "enforce_fips_mode") || !strings.Contains(keys, "(write only") || strings.Contains(keys, "personal_audio_conference") || strings.Contains(keys, "feature.cn_meeting") ||
		!strings.Contains(keys, "audio_conferencing.toll_free_and_fee_based_toll_call.enable") {
		t.Errorf("settings-keys lists:\n%s", keys)
	}
}

// valueIf returns v when ok, else nil.
func valueIf(v any, ok bool) any {
	if !ok {
		return nil
	}
	return v
}

// TestEveryExitStatusIsDocumented: each exit status the command uses is in the main help,
// docs/cli.md, and (for 3, which only settings uses) the settings command's help.
func TestEveryExitStatusIsDocumented(t *testing.T) {
	_, help, _ := cliEnv(t, nil, "help")
	_, settingsHelp, settingsHelpErr := cliEnv(t, nil, "settings", "-h")
	settingsHelp += settingsHelpErr
	doc, err := os.ReadFile("../../docs/cli.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range []int{exitOK, exitRefused, exitLocal, exitNotApplied, exitInterrupted} {
		n := strconv.Itoa(code)
		if !strings.Contains(help, " "+n+" ") {
			t.Errorf("help does not document exit status %s", n)
		}
		if !strings.Contains(string(doc), "`"+n+"`") {
			t.Errorf("docs/cli.md does not document exit status %s", n)
		}
	}
	for _, n := range []string{"0", "1", "2", "3"} {
		if !strings.Contains(settingsHelp, " "+n+" ") {
			t.Errorf("settings -h does not document exit status %s:\n%s", n, settingsHelp)
		}
	}
}
