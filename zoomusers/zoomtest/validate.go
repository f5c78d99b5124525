package zoomtest

import (
	"errors"
	"fmt"
	"net/http"
	"net/mail"
	"slices"
	"strings"
	"time"

	// Time zones are checked against the IANA database; embedding it keeps the answer the
	// same on machines without /usr/share/zoneinfo.
	_ "time/tzdata"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/zoomkit/go-zoomusers/zoomusers"
)

// requestError turns what the request validator found into Zoom's answer: a body that is
// not JSON gets Zoom's "Request Body should be a valid JSON object.", and fields that
// break the spec get "Validation Failed." with one entry per field, as Zoom lists them
// (https://developers.zoom.us/docs/api/errors; zoom/api#11).
func requestError(err error) *zoomError {
	var parse *openapi3filter.ParseError
	var req *openapi3filter.RequestError
	if errors.As(err, &req) && req.RequestBody != nil {
		// An upload whose file part is missing or unreadable: Zoom's answer for no file.
		if ct := req.Input.Request.Header.Get("Content-Type"); strings.HasPrefix(ct, "multipart/") {
			// Evidence: Zoom 2021 spec, POST /users/{userId}/settings/virtual_backgrounds 400 "120" (no file uploaded).
			return apiError(http.StatusBadRequest, 120, "No file uploaded, verify that a file has been uploaded.")
		}
		if errors.As(err, &parse) || errors.Is(err, openapi3filter.ErrInvalidRequired) {
			// Evidence: Zoom's errors page (developers.zoom.us/docs/api/errors), its first example.
			return apiError(http.StatusBadRequest, zoomusers.CodeValidation, "Request Body should be a valid JSON object.")
		}
	}
	if fields := fieldErrors(err); len(fields) > 0 {
		// Evidence: Zoom's errors page (developers.zoom.us/docs/api/errors): 300, "Validation
		// Failed.", an entry per field; the rules are the spec's (api/openapi.yaml, from Zoom's).
		return validationFailed(fields...)
	}
	msg, _, _ := strings.Cut(err.Error(), "\n")
	// Evidence: ZOOM_FACTS.md "Errors" (300, validation failed), for what the spec forbids
	// without naming a field.
	return apiError(http.StatusBadRequest, zoomusers.CodeValidation, "Validation Failed. %s", msg)
}

// fieldErrors lists the fields err names, in Zoom's dotted form (user_info.email).
func fieldErrors(err error) []fieldError {
	var out []fieldError
	switch e := err.(type) {
	case openapi3.MultiError:
		for _, one := range e {
			out = append(out, fieldErrors(one)...)
		}
	case *openapi3filter.RequestError:
		if e.Parameter != nil {
			if errors.Is(e.Err, openapi3filter.ErrInvalidRequired) {
				return []fieldError{{Field: e.Parameter.Name, Message: missingField}}
			}
			return []fieldError{{Field: e.Parameter.Name, Message: invalidField}}
		}
		if e.Err != nil {
			return fieldErrors(e.Err)
		}
	case *openapi3.SchemaError:
		path := e.JSONPointer()
		message := invalidField
		if e.SchemaField == "required" {
			message = missingField
		}
		field := strings.Join(path, ".")
		if field == "" {
			field = "body"
		}
		// A wrong value deep inside oneOf branches is reported once per branch; one
		// entry per field is what Zoom gives.
		return []fieldError{{Field: field, Message: message}}
	}
	return dedupe(out)
}

func dedupe(fields []fieldError) []fieldError {
	seen := map[fieldError]bool{}
	return slices.DeleteFunc(fields, func(f fieldError) bool {
		if seen[f] {
			return true
		}
		seen[f] = true
		return false
	})
}

// checkEmail is Zoom's test of an email address: one address, no display name, a local
// part, and a domain with a dot in it. Zoom accepts plus addressing (a+b@example.com).
func checkEmail(s string) error {
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Address != s || addr.Name != "" {
		return fmt.Errorf("not an email address: %q", s)
	}
	local, domain, _ := strings.Cut(s, "@")
	if local == "" || !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") {
		return fmt.Errorf("not an email address: %q", s)
	}
	return nil
}

// checkTimezone accepts IANA time zone names, as Zoom's time zone list holds them.
func checkTimezone(tz string) bool {
	if tz == "" || tz == "Local" {
		return false
	}
	_, err := time.LoadLocation(tz)
	return err == nil
}

// checkPassword applies Zoom's default password rules and answers with their codes
// (2021 spec, userPassword 400). Length is the spec's (8 to 32), checked by the validator.
func checkPassword(p string) *zoomError {
	var letter, digit, upper, lower bool
	for _, r := range p {
		switch {
		case r >= '0' && r <= '9':
			digit = true
		case r >= 'a' && r <= 'z':
			letter, lower = true, true
		case r >= 'A' && r <= 'Z':
			letter, upper = true, true
		}
	}
	switch {
	case p != "" && strings.Count(p, p[:1]) == len(p):
		// Evidence: Zoom 2021 spec, PUT /users/{userId}/password 400 "1130".
		return apiError(http.StatusBadRequest, 1130, "Password can't use the same character.")
	case consecutive(p):
		// Evidence: Zoom 2021 spec, PUT /users/{userId}/password 400 "1131".
		return apiError(http.StatusBadRequest, 1131, "Password can't use continuation character. Such as 'abcdef', '123456'.")
	case !letter:
		// Evidence: Zoom 2021 spec, PUT /users/{userId}/password 400 "1125".
		return apiError(http.StatusBadRequest, 1125, "Have at least 1 letter (a, b, c...)")
	case !digit:
		// Evidence: Zoom 2021 spec, PUT /users/{userId}/password 400 "1126".
		return apiError(http.StatusBadRequest, 1126, "Have at least 1 number (1, 2, 3...)")
	case !upper || !lower:
		// Evidence: Zoom 2021 spec, PUT /users/{userId}/password 400 "1128".
		return apiError(http.StatusBadRequest, 1128, "Include both Upper case and Lower case characters")
	}
	return nil
}

// consecutive reports whether p runs through six or more consecutive characters, such
// as abcdef or 123456, up or down.
func consecutive(p string) bool {
	const run = 6
	up, down := 1, 1
	for i := 1; i < len(p); i++ {
		switch p[i] - p[i-1] {
		case 1:
			up, down = up+1, 1
		case 255: // -1 in byte arithmetic
			up, down = 1, down+1
		default:
			up, down = 1, 1
		}
		if up >= run || down >= run {
			return true
		}
	}
	return false
}

// featureValues are the values bulkUpdateFeature takes for each feature type, from
// Zoom's description of feature_value.
var featureValues = map[string][]string{
	"user_type":                {"1", "2", "99"},
	"concurrent_meeting":       {"Basic", "Plus", "None"},
	"large_meeting":            {"0", "1", "32", "64", "128", "256"},
	"webinar":                  {"0", "1", "16", "64", "128", "256", "512", "1024", "2048", "4096", "8192", "16384", "32768"},
	"zoom_events":              {"0", "500", "1000", "3000", "5000", "10000", "20000", "30000", "50000"},
	"zoom_iq_for_sales":        {"true", "false"},
	"zoom_revenue_accelerator": {"true", "false"},
	"zoom_whiteboard":          {"true", "false"},
	"zoom_clips_plus":          {"true", "false"},
}

// checkFeature reports whether value is one that featureType takes. Plan codes
// (plan_united_type, zoom_one_type) are numbers whose list changes with Zoom's price list.
func checkFeature(featureType, value string) bool {
	if allowed, ok := featureValues[featureType]; ok {
		return slices.Contains(allowed, value)
	}
	return value != "" && strings.Trim(value, "0123456789") == ""
}
