package zoomusers

import (
	"fmt"
	"unicode"
)

// Me names the user who authorized a user-level OAuth token. For Server-to-Server tokens
// Zoom documents no meaning of "me": name users by ID or email there.
const Me = "me"

// validateID rejects path IDs that would resolve to another endpoint or corrupt the
// request line. The generated client path-escapes what passes, so "a+b@example.com"
// reaches Zoom intact.
func validateID(kind, id string) error {
	switch id {
	case "":
		return fmt.Errorf("%w: %s is empty", ErrInvalidUserID, kind)
	case ".", "..":
		return fmt.Errorf("%w: %s %q is a path segment, not an ID", ErrInvalidUserID, kind, id)
	}
	for _, r := range id {
		if unicode.IsControl(r) || r == unicode.ReplacementChar {
			return fmt.Errorf("%w: %s %q holds a control or invalid character", ErrInvalidUserID, kind, id)
		}
	}
	return nil
}
