// Package corpus extracts the example answers in Zoom's documentation pages and specs,
// so that the client is tested against the bodies Zoom itself shows rather than against
// bodies written to fit the client. test/testdata/extract writes them to
// test/testdata/corpus; the corpus test checks that the files there are still what
// extraction gives.
//
// File names say where a body comes from and which operation answered it:
// <source>.<operationId>[.<n>].json, such as seed-001.user.json (the first example of
// seed document 001), zoom2021.users.json (the 2021 spec's example) or
// zoom2025.userSettings.3.json (the third settings variant of the 2025 spec, assembled
// from its property examples).
package corpus

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// File is one extracted answer body.
type File struct {
	Name string // <source>.<operationId>[.<n>].json
	Body []byte
}

// Extracted reports whether name is a file this package writes, as opposed to the
// hand-written cases kept beside them.
func Extracted(name string) bool {
	return strings.HasPrefix(name, "seed-") || strings.HasPrefix(name, "zoom20")
}

// Extract reads every seed document (*.txt) in seedsDir and every spec (*.json) in
// referenceDir and returns their example answers, sorted by name.
func Extract(seedsDir, referenceDir string) ([]File, error) {
	specs, err := filepath.Glob(filepath.Join(referenceDir, "*.json"))
	if err != nil || len(specs) == 0 {
		return nil, fmt.Errorf("corpus: no specs (*.json) in %s", referenceDir)
	}
	ix, err := LoadIndex(specs...)
	if err != nil {
		return nil, err
	}
	seeds, err := filepath.Glob(filepath.Join(seedsDir, "*.txt"))
	if err != nil || len(seeds) == 0 {
		return nil, fmt.Errorf("corpus: no seed documents (*.txt) in %s", seedsDir)
	}
	var files []File
	for _, s := range seeds {
		fs, err := FromSeed(s, ix)
		if err != nil {
			return nil, err
		}
		files = append(files, fs...)
	}
	for _, s := range specs {
		fs, err := FromSpec(s)
		if err != nil {
			return nil, err
		}
		files = append(files, fs...)
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	for i := 1; i < len(files); i++ {
		if files[i].Name == files[i-1].Name {
			return nil, fmt.Errorf("corpus: two examples named %s", files[i].Name)
		}
	}
	return files, nil
}

// Index finds operations by route, by summary and by ID, from Zoom's specs.
type Index struct {
	byRoute   map[string]string // "GET /users/{userId}" -> "user"
	bySummary map[string]string // normalized summary -> operationId
	ids       map[string]bool
}

// LoadIndex indexes the operations of the given OpenAPI 3 or Swagger 2 specs.
func LoadIndex(specPaths ...string) (*Index, error) {
	ix := &Index{byRoute: map[string]string{}, bySummary: map[string]string{}, ids: map[string]bool{}}
	for _, p := range specPaths {
		var spec struct {
			Paths map[string]map[string]json.RawMessage `json:"paths"`
		}
		if err := readJSON(p, &spec); err != nil {
			return nil, err
		}
		for path, ops := range spec.Paths {
			for method, raw := range ops {
				var op struct {
					OperationID string `json:"operationId"`
					Summary     string `json:"summary"`
				}
				if json.Unmarshal(raw, &op) != nil || op.OperationID == "" {
					continue // parameters shared by a path's operations
				}
				ix.byRoute[strings.ToUpper(method)+" "+path] = op.OperationID
				ix.bySummary[normalize(op.Summary)] = op.OperationID
				ix.ids[op.OperationID] = true
			}
		}
	}
	return ix, nil
}

var (
	nonWord  = regexp.MustCompile(`[^a-z0-9 ]+`)
	articles = regexp.MustCompile(`\b(a|an|the|s)\b`)
	spaces   = regexp.MustCompile(`\s+`)
)

// normalize lets a page title such as "Get User" match the summary "Get a user".
func normalize(s string) string {
	s = strings.ToLower(strings.ReplaceAll(s, "'s", ""))
	s = nonWord.ReplaceAllString(s, " ")
	s = articles.ReplaceAllString(s, " ")
	return strings.TrimSpace(spaces.ReplaceAllString(s, " "))
}

var (
	methodLine = regexp.MustCompile(`^(GET|POST|PUT|PATCH|DELETE)$`)
	// callLine is a client-library heading such as "userSettings($user_id, ...): Model".
	callLine = regexp.MustCompile(`^([a-zA-Z]+)\([^|]*\)(:.*)?$`)
	// leadIn is what a documentation page writes before an example answer.
	leadIn = regexp.MustCompile(`(?i)response|output`)
)

// FromSeed extracts the example answers of one documentation page. The operation of an
// example is the last one the page named before it: by an HTTP method line followed
// by a path, by a client-library heading, or by the page title.
func FromSeed(path string, ix *Index) ([]File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("corpus: %w", err)
	}
	text := string(data)
	source := "seed-" + strings.SplitN(filepath.Base(path), "_", 2)[0]

	// Where the page names an operation, by byte offset.
	type mark struct {
		at int
		op string
	}
	var marks []mark
	lines := strings.SplitAfter(text, "\n")
	offset := 0
	title := true
	for i, line := range lines {
		l := strings.TrimSpace(line)
		switch {
		case l == "":
		case title:
			title = false
			if op, ok := ix.bySummary[normalize(l)]; ok {
				marks = append(marks, mark{offset, op})
			}
		case methodLine.MatchString(l) && i+1 < len(lines):
			route := l + " " + strings.TrimSpace(lines[i+1])
			if op, ok := ix.byRoute[route]; ok {
				marks = append(marks, mark{offset, op})
			}
		default:
			if m := callLine.FindStringSubmatch(l); m != nil && ix.ids[m[1]] {
				marks = append(marks, mark{offset, m[1]})
			}
		}
		offset += len(line)
	}

	count := map[string]int{}
	var files []File
	for i := 0; i < len(text); i++ {
		if text[i] != '{' {
			continue
		}
		body, n := jsonObjectAt(text[i:])
		if n == 0 {
			continue
		}
		op := ""
		for _, m := range marks {
			if m.at <= i {
				op = m.op
			}
		}
		if op != "" && leadIn.MatchString(leadInText(text, i)) {
			count[op]++
			files = append(files, File{Name: name(source, op, count[op]), Body: append([]byte(body), '\n')})
		}
		i += n - 1
	}
	return files, nil
}

// jsonObjectAt returns the JSON object that starts text, and its length; 0 when none
// does (a brace in prose or code).
func jsonObjectAt(text string) (string, int) {
	dec := json.NewDecoder(strings.NewReader(text))
	var members map[string]json.RawMessage
	if err := dec.Decode(&members); err != nil || len(members) == 0 {
		return "", 0
	}
	n := int(dec.InputOffset())
	return text[:n], n
}

// leadInText is the text before offset i from the start of the last non-empty line
// before it: "200 - response", "Example Output", "... a response similar to the
// following:".
func leadInText(text string, i int) string {
	before := strings.TrimRight(text[:i], " \t\r\n")
	start := strings.LastIndex(before, "\n") + 1
	return text[start:i]
}

func name(source, op string, n int) string {
	if n == 1 {
		return source + "." + op + ".json"
	}
	return fmt.Sprintf("%s.%s.%d.json", source, op, n)
}

// FromSpec extracts the success examples of a Swagger 2 spec (whole example answers)
// or an OpenAPI 3 spec (answers assembled from the examples of their properties; one
// per variant of a oneOf).
func FromSpec(path string) ([]File, error) {
	var head struct {
		Swagger string `json:"swagger"`
		OpenAPI string `json:"openapi"`
	}
	if err := readJSON(path, &head); err != nil {
		return nil, err
	}
	year := regexp.MustCompile(`20\d\d`).FindString(filepath.Base(path))
	if year == "" {
		return nil, fmt.Errorf("corpus: %s: the file name carries no year to name its examples by", path)
	}
	source := "zoom" + year
	if head.Swagger != "" {
		return fromSwagger2(path, source)
	}
	return fromOpenAPI3(path, source)
}

type operation struct {
	OperationID string                     `json:"operationId"`
	Responses   map[string]json.RawMessage `json:"responses"`
}

func readOperations(path string) ([]operation, error) {
	var spec struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := readJSON(path, &spec); err != nil {
		return nil, err
	}
	var ops []operation
	for _, methods := range spec.Paths {
		for _, raw := range methods {
			var op operation
			if json.Unmarshal(raw, &op) == nil && op.OperationID != "" {
				ops = append(ops, op)
			}
		}
	}
	return ops, nil
}

func successCodes(responses map[string]json.RawMessage) []string {
	var codes []string
	for code := range responses {
		if len(code) == 3 && code[0] == '2' {
			codes = append(codes, code)
		}
	}
	slices.Sort(codes)
	return codes
}

func fromSwagger2(path, source string) ([]File, error) {
	ops, err := readOperations(path)
	if err != nil {
		return nil, err
	}
	var files []File
	for _, op := range ops {
		n := 0
		for _, code := range successCodes(op.Responses) {
			var resp struct {
				Examples map[string]json.RawMessage `json:"examples"`
			}
			if err := json.Unmarshal(op.Responses[code], &resp); err != nil {
				return nil, fmt.Errorf("corpus: %s: %s %s: %w", path, op.OperationID, code, err)
			}
			ex, ok := resp.Examples["application/json"]
			if !ok || !isObject(ex) {
				continue // no example, or an empty string for a 204
			}
			var body bytes.Buffer
			if err := json.Indent(&body, ex, "", "  "); err != nil {
				return nil, err
			}
			body.WriteByte('\n')
			n++
			files = append(files, File{Name: name(source, op.OperationID, n), Body: body.Bytes()})
		}
	}
	return files, nil
}

func isObject(raw json.RawMessage) bool {
	var m map[string]json.RawMessage
	return json.Unmarshal(raw, &m) == nil && len(m) > 0
}

// schema is the part of an OpenAPI schema that carries examples.
type schema struct {
	Example    json.RawMessage    `json:"example"`
	Type       string             `json:"type"`
	Properties map[string]*schema `json:"properties"`
	Items      *schema            `json:"items"`
	AllOf      []*schema          `json:"allOf"`
	OneOf      []*schema          `json:"oneOf"`
	AnyOf      []*schema          `json:"anyOf"`
}

func fromOpenAPI3(path, source string) ([]File, error) {
	ops, err := readOperations(path)
	if err != nil {
		return nil, err
	}
	var files []File
	for _, op := range ops {
		for _, code := range successCodes(op.Responses) {
			var resp struct {
				Content map[string]struct {
					Schema *schema `json:"schema"`
				} `json:"content"`
			}
			if err := json.Unmarshal(op.Responses[code], &resp); err != nil {
				return nil, fmt.Errorf("corpus: %s: %s %s: %w", path, op.OperationID, code, err)
			}
			s := resp.Content["application/json"].Schema
			if s == nil {
				continue
			}
			variants := []*schema{s}
			if len(s.OneOf) > 0 {
				variants = s.OneOf
			}
			for i, v := range variants {
				ex, ok := example(v, 0)
				if !ok {
					continue
				}
				body, err := json.MarshalIndent(ex, "", "  ")
				if err != nil {
					return nil, err
				}
				n := 1
				if len(variants) > 1 {
					n = i + 1
				}
				files = append(files, File{Name: name(source, op.OperationID, n), Body: append(body, '\n')})
			}
		}
	}
	return files, nil
}

// example assembles a value from the examples in s: a schema's own example wins, an
// object gathers its properties' (allOf parts merged), an array holds one item, and
// the first alternative of a nested oneOf or anyOf stands for it.
func example(s *schema, depth int) (any, bool) {
	if s == nil || depth > 32 {
		return nil, false
	}
	if len(s.Example) > 0 {
		return s.Example, true
	}
	for _, alts := range [][]*schema{s.OneOf, s.AnyOf} {
		if len(alts) > 0 {
			return example(alts[0], depth+1)
		}
	}
	if s.Items != nil {
		item, ok := example(s.Items, depth+1)
		if !ok {
			return nil, false
		}
		return []any{item}, true
	}
	obj := map[string]any{}
	for name, p := range s.Properties {
		if v, ok := example(p, depth+1); ok {
			obj[name] = v
		}
	}
	for _, part := range s.AllOf {
		if v, ok := example(part, depth+1); ok {
			if m, isMap := v.(map[string]any); isMap {
				for k, e := range m {
					obj[k] = e
				}
			}
		}
	}
	if len(obj) == 0 {
		return nil, false
	}
	return obj, true
}

func readJSON(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("corpus: %w", err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("corpus: %s: %w", path, err)
	}
	return nil
}

// Write replaces the extracted files in dir with files, leaving hand-written ones.
func Write(dir string, files []File) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	old, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range old {
		if Extracted(e.Name()) {
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
				return err
			}
		}
	}
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(dir, f.Name), f.Body, 0o644); err != nil {
			return err
		}
	}
	return nil
}
