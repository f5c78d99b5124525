package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // check names without the system's zone files

	"github.com/zoomkit/go-zoomusers/internal/editdistance"
)

// Zoom takes IANA time zone names (zoomtest/validate.go, checkTimezone) and answers an
// unknown one with a validation error that names no valid value, so the command checks
// them before any request and suggests the nearest names.

// checkTimezone returns nil for a known IANA name, or an error naming the nearest ones.
func checkTimezone(tz string) error {
	if tz != "" && tz != "Local" && !strings.EqualFold(tz, "local") {
		if _, err := time.LoadLocation(tz); err == nil {
			return nil
		}
	}
	msg := fmt.Sprintf("unknown time zone %q: want an IANA name such as Europe/Paris or America/New_York", tz)
	if near := nearestZones(tz, 3); len(near) > 0 {
		msg += "; nearest: " + strings.Join(near, ", ")
	}
	return fmt.Errorf("%s", msg)
}

var zoneNames = sync.OnceValue(func() []string {
	// The names come from the system's zone files when it has them; tzdata embedded in
	// the binary can load a name but not list them.
	root := os.Getenv("ZONEINFO")
	if root == "" || filepath.Ext(root) == ".zip" {
		root = "/usr/share/zoneinfo"
	}
	var names []string
	filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		name, _ := filepath.Rel(root, path)
		name = filepath.ToSlash(name)
		if first := name[0]; first < 'A' || first > 'Z' || strings.HasPrefix(name, "Etc/") || strings.ContainsAny(name, ".") {
			return nil
		}
		if _, err := time.LoadLocation(name); err == nil {
			names = append(names, name)
		}
		return nil
	})
	return names
})

// nearestZones returns up to n known names closest to tz by edit distance, ignoring case.
func nearestZones(tz string, n int) []string {
	type scored struct {
		name string
		d    int
	}
	var all []scored
	for _, name := range zoneNames() {
		all = append(all, scored{name, editdistance.Levenshtein(strings.ToLower(tz), strings.ToLower(name))})
	}
	slices.SortFunc(all, func(a, b scored) int { return a.d - b.d })
	var out []string
	for _, s := range all[:min(n, len(all))] {
		if s.d <= max(3, len(tz)/2) {
			out = append(out, s.name)
		}
	}
	return out
}
