package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestRivetProvisioning runs Zoom's own JavaScript SDK (@zoom/rivet, pinned in
// tools/npm/package.json) against this command: tools/npm/rivet/provision.mjs creates,
// reads, updates, configures, re-statuses and deletes users, and checks that each call
// succeeds or fails exactly as Zoom would. Without node (or without `make npm-tools`) it
// skips, unless CI is set: there it fails.
func TestRivetProvisioning(t *testing.T) {
	npmDir, err := filepath.Abs(filepath.Join("..", "..", "tools", "npm"))
	if err != nil {
		t.Fatal(err)
	}
	missing := func(why string) {
		t.Helper()
		if os.Getenv("CI") != "" {
			t.Fatalf("%s (CI is set, so this is a failure)", why)
		}
		t.Skipf("%s: the JavaScript SDK check did not run", why)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		missing("node is not installed")
	}
	if _, err := os.Stat(filepath.Join(npmDir, "node_modules", "@zoom", "rivet", "package.json")); err != nil {
		missing("@zoom/rivet is not installed: run `make npm-tools`")
	}

	// The SDK has neither pacing nor retries, so the per-second limits are off; the
	// presence limit (one change a minute per user) stays, and the script checks it.
	base, token, banner, stop := start(t, "--no-rate-limits", "--users", "3")
	defer stop()
	env := append(os.Environ(), "ZOOM_BASE_URL="+base, "ZOOM_TOKEN_URL="+token)
	for _, line := range banner {
		if kv, ok := strings.CutPrefix(line, "export "); ok && !strings.Contains(kv, "_URL=") {
			env = append(env, strings.ReplaceAll(kv, "'", ""))
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, filepath.Join("rivet", "provision.mjs"))
	cmd.Dir, cmd.Env = npmDir, env
	out, err := cmd.CombinedOutput()
	t.Logf("node rivet/provision.mjs:\n%s", out)
	if err != nil {
		t.Fatalf("the JavaScript SDK's provisioning run failed: %v", err)
	}
	if !strings.Contains(string(out), " passed, 0 failed") {
		t.Error("the run did not report its result")
	}
}
