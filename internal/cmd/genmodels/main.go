// Command genmodels writes the Go-only parts of the models that oapi-codegen does not:
//
//   - in package gen, accessors in go-github's style (u.GetEmail() is "" when Email is
//     absent, and safe on a nil *User), so that callers need not dereference pointers;
//   - in package gen, a String method on every enum type, giving Zoom's label for integer
//     enums (UserType 1 is "Basic") from the spec's x-go-enum-labels, and the value itself
//     for string enums;
//   - in package zoomusers, aliases of every gen model a caller can reach from the aliases
//     declared by hand in models.go, and every enum constant, so that callers never
//     import package gen.
//
// It reads the code oapi-codegen wrote (gen/zoom.gen.go) rather than the spec for the Go
// names, so it always agrees with it, and it fails on what callers should never meet:
// an anonymous struct in a model, or an integer enum without labels.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/printer"
	"go/token"
	"log"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

func main() {
	spec := flag.String("spec", "../api/openapi.yaml", "the OpenAPI document")
	in := flag.String("in", "zoom.gen.go", "the models oapi-codegen wrote")
	accessors := flag.String("accessors", "", "write gen's accessors to this file")
	stringers := flag.String("stringers", "", "write gen's enum String methods to this file")
	aliases := flag.String("aliases", "", "write zoomusers' aliases to this file")
	roots := flag.String("roots", "", "with -aliases: the file declaring the hand-written aliases")
	pkg := flag.String("package", "gen", "the package of -accessors and -stringers")
	params := flag.Bool("params", false, "also write accessors for the operations' parameter structs")
	flag.Parse()

	m, err := load(*in, *params)
	if err != nil {
		log.Fatalf("genmodels: %v", err)
	}
	if *accessors != "" {
		write(*accessors, m.accessors(*pkg))
	}
	if *stringers != "" {
		labels, err := enumLabels(*spec)
		if err != nil {
			log.Fatalf("genmodels: %v", err)
		}
		src, err := m.stringers(*pkg, labels)
		if err != nil {
			log.Fatalf("genmodels: %v", err)
		}
		write(*stringers, src)
	}
	if *aliases != "" {
		declared, err := handAliases(*roots)
		if err != nil {
			log.Fatalf("genmodels: %v", err)
		}
		write(*aliases, m.aliases(declared))
	}
}

func write(path string, src []byte) {
	out, err := format.Source(src)
	if err != nil {
		log.Fatalf("genmodels: formatting %s: %v\n%s", path, err, src)
	}
	if err := os.WriteFile(path, out, 0o644); err != nil {
		log.Fatalf("genmodels: %v", err)
	}
}

// models is what the generated file declares.
type models struct {
	fset    *token.FileSet
	structs map[string]*ast.StructType // model structs, by name
	enums   map[string]*enum           // enum types, by name
	order   []string                   // struct and enum names, sorted
}

type enum struct {
	name   string
	basic  string // int or string
	consts []constant
}

type constant struct {
	name  string
	value string // the literal as written: 1, "active"
}

// isModel tells the models from the client's own types, which share the file.
func isModel(name string, st *ast.StructType, params bool) bool {
	if strings.HasSuffix(name, "Params") && !params {
		return false
	}
	for _, suffix := range []string{"Response", "Headers", "RequestObject"} {
		if strings.HasSuffix(name, suffix) {
			return false
		}
	}
	if strings.Contains(name, "Response") {
		return false
	}
	for _, f := range st.Fields.List {
		if f.Tag != nil && strings.Contains(f.Tag.Value, `json:"`) {
			return true
		}
	}
	// A union (oapi-codegen keeps its JSON in an unexported field) is a model too.
	return len(st.Fields.List) == 1 && len(st.Fields.List[0].Names) == 1 && st.Fields.List[0].Names[0].Name == "union"
}

func load(path string, params bool) (*models, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	m := &models{fset: fset, structs: map[string]*ast.StructType{}, enums: map[string]*enum{}}
	valid := map[string]bool{} // types with oapi-codegen's Valid method: the enums
	for _, d := range f.Decls {
		if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv != nil && fn.Name.Name == "Valid" {
			if id, ok := fn.Recv.List[0].Type.(*ast.Ident); ok {
				valid[id.Name] = true
			}
		}
	}
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok {
			continue
		}
		for _, s := range gd.Specs {
			switch s := s.(type) {
			case *ast.TypeSpec:
				if s.Assign != 0 || !s.Name.IsExported() {
					continue
				}
				switch t := s.Type.(type) {
				case *ast.StructType:
					if isModel(s.Name.Name, t, params) {
						m.structs[s.Name.Name] = t
					}
				case *ast.Ident:
					if valid[s.Name.Name] {
						basic := "string"
						if t.Name != "string" {
							basic = "int"
						}
						if e := m.enums[s.Name.Name]; e != nil {
							e.basic = basic // its constants came first
						} else {
							m.enums[s.Name.Name] = &enum{name: s.Name.Name, basic: basic}
						}
					}
				}
			case *ast.ValueSpec:
				if gd.Tok != token.CONST || s.Type == nil || len(s.Values) != 1 {
					continue
				}
				id, ok := s.Type.(*ast.Ident)
				lit, isLit := s.Values[0].(*ast.BasicLit)
				if !ok || !isLit {
					continue
				}
				if e := m.enums[id.Name]; e != nil {
					e.consts = append(e.consts, constant{s.Names[0].Name, lit.Value})
				} else if valid[id.Name] {
					// The type is declared after its constants; keep them for later.
					m.enums[id.Name] = &enum{name: id.Name, consts: []constant{{s.Names[0].Name, lit.Value}}}
				}
			}
		}
	}
	for name, e := range m.enums {
		if e.basic == "" {
			return nil, fmt.Errorf("enum %s: type declaration not found", name)
		}
		m.order = append(m.order, name)
	}
	for name, st := range m.structs {
		for _, fl := range st.Fields.List {
			if hasAnonymousStruct(fl.Type) {
				return nil, fmt.Errorf("%s.%s is an anonymous struct: name it with x-go-type-name in the spec", name, fieldName(fl))
			}
		}
		m.order = append(m.order, name)
	}
	sort.Strings(m.order)
	return m, nil
}

func fieldName(f *ast.Field) string {
	if len(f.Names) == 0 {
		return "(embedded)"
	}
	return f.Names[0].Name
}

func hasAnonymousStruct(e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if _, ok := n.(*ast.StructType); ok {
			found = true
		}
		return !found
	})
	return found
}

func (m *models) expr(e ast.Expr) string {
	var b bytes.Buffer
	printer.Fprint(&b, m.fset, e)
	return b.String()
}

func header(b *bytes.Buffer, pkg string, imports ...string) {
	fmt.Fprintf(b, "// Code generated by internal/cmd/genmodels from api/openapi.yaml and oapi-codegen's output. DO NOT EDIT.\n\n")
	fmt.Fprintf(b, "package %s\n\n", pkg)
	if len(imports) > 0 {
		fmt.Fprintf(b, "import (\n")
		for _, imp := range imports {
			fmt.Fprintf(b, "\t%s\n", imp)
		}
		fmt.Fprintf(b, ")\n\n")
	}
}

// accessors writes a GetX method for every pointer field X of every model. A field
// that points to a model struct returns the pointer, so that calls chain through
// absent sections (s.GetInMeeting().GetChat()); any other returns the value or its
// zero value.
func (m *models) accessors(pkg string) []byte {
	var body bytes.Buffer
	imports := map[string]bool{}
	for _, name := range m.order {
		st := m.structs[name]
		if st == nil {
			continue
		}
		recv := strings.ToLower(name[:1])
		for _, f := range st.Fields.List {
			star, ok := f.Type.(*ast.StarExpr)
			if !ok || len(f.Names) != 1 || !f.Names[0].IsExported() {
				continue
			}
			field := f.Names[0].Name
			elem := m.expr(star.X)
			if sel, ok := star.X.(*ast.SelectorExpr); ok {
				imports[m.expr(sel.X)] = true
			}
			if id, ok := star.X.(*ast.Ident); ok && m.structs[id.Name] != nil {
				fmt.Fprintf(&body, "// Get%s returns %s, or nil when it is absent or %s is nil.\n", field, field, recv)
				fmt.Fprintf(&body, "func (%s *%s) Get%s() *%s {\n\tif %s == nil {\n\t\treturn nil\n\t}\n\treturn %s.%s\n}\n\n",
					recv, name, field, elem, recv, recv, field)
				continue
			}
			fmt.Fprintf(&body, "// Get%s returns %s, or the zero value when it is absent or %s is nil.\n", field, field, recv)
			fmt.Fprintf(&body, "func (%s *%s) Get%s() %s {\n\tif %s == nil || %s.%s == nil {\n\t\tvar zero %s\n\t\treturn zero\n\t}\n\treturn *%s.%s\n}\n\n",
				recv, name, field, elem, recv, recv, field, elem, recv, field)
		}
	}
	var b bytes.Buffer
	var imps []string
	for imp := range imports {
		switch imp {
		case "time":
			imps = append(imps, `"time"`)
		case "openapi_types":
			imps = append(imps, `openapi_types "github.com/oapi-codegen/runtime/types"`)
		case "json":
			imps = append(imps, `"encoding/json"`)
		default:
			log.Fatalf("genmodels: no import known for package %s", imp)
		}
	}
	sort.Strings(imps)
	header(&b, pkg, imps...)
	b.Write(body.Bytes())
	return b.Bytes()
}

// enumLabels reads x-go-enum-labels from the spec: for each Go enum type (named by
// x-go-type-name, or by the component's own name), each value's label.
func enumLabels(path string) (map[string]map[string]string, error) {
	doc, err := openapi3.NewLoader().LoadFromFile(path)
	if err != nil {
		return nil, err
	}
	out := map[string]map[string]string{}
	seen := map[*openapi3.Schema]bool{}
	var walk func(name string, ref *openapi3.SchemaRef) error
	walk = func(name string, ref *openapi3.SchemaRef) error {
		if ref == nil || ref.Value == nil || ref.Ref != "" && name == "" {
			return nil
		}
		s := ref.Value
		if seen[s] {
			return nil
		}
		seen[s] = true
		if raw, ok := s.Extensions["x-go-enum-labels"]; ok {
			goName, _ := s.Extensions["x-go-type-name"].(string)
			if goName == "" {
				goName = name
			}
			if goName == "" {
				return fmt.Errorf("an enum with x-go-enum-labels has no x-go-type-name")
			}
			list, ok := raw.([]any)
			if !ok || len(list) != len(s.Enum) {
				return fmt.Errorf("%s: x-go-enum-labels must list one label per enum value", goName)
			}
			labels := map[string]string{}
			for i, v := range s.Enum {
				label, ok := list[i].(string)
				if !ok || label == "" {
					return fmt.Errorf("%s: label %d is not a string", goName, i)
				}
				labels[literal(v)] = label
			}
			out[goName] = labels
		}
		for _, p := range s.Properties {
			if err := walk("", p); err != nil {
				return err
			}
		}
		if err := walk("", s.Items); err != nil {
			return err
		}
		for _, group := range [][]*openapi3.SchemaRef{s.AllOf, s.OneOf, s.AnyOf} {
			for _, sub := range group {
				if err := walk("", sub); err != nil {
					return err
				}
			}
		}
		return nil
	}
	for name, ref := range doc.Components.Schemas {
		if err := walk(name, ref); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// literal writes an enum value as Go source writes it.
func literal(v any) string {
	switch v := v.(type) {
	case string:
		return strconv.Quote(v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	default:
		return fmt.Sprint(v)
	}
}

// stringers writes String for every enum: Zoom's label for integer enums, which must
// have one for every value; the value itself, or its label when one is given, for
// string enums.
func (m *models) stringers(pkg string, labels map[string]map[string]string) ([]byte, error) {
	var b bytes.Buffer
	header(&b, pkg, `"strconv"`)
	for name := range labels {
		if m.enums[name] == nil {
			return nil, fmt.Errorf("x-go-enum-labels for %s, which is not an enum type of package gen", name)
		}
	}
	for _, name := range m.order {
		e := m.enums[name]
		if e == nil {
			continue
		}
		l := labels[name]
		if e.basic == "int" && l == nil {
			return nil, fmt.Errorf("integer enum %s has no x-go-enum-labels in the spec", name)
		}
		recv := "e"
		if e.basic == "int" {
			fmt.Fprintf(&b, "// String returns Zoom's name for the value, or the number itself for a value Zoom has not documented.\n")
		} else if l != nil {
			fmt.Fprintf(&b, "// String returns Zoom's name for the value, or the value itself when it has none.\n")
		} else {
			fmt.Fprintf(&b, "// String returns the value as Zoom sends it.\n")
		}
		fmt.Fprintf(&b, "func (%s %s) String() string {\n", recv, name)
		if l != nil {
			fmt.Fprintf(&b, "\tswitch %s {\n", recv)
			for _, c := range e.consts {
				label, ok := l[c.value]
				if !ok {
					return nil, fmt.Errorf("%s: no label for %s", name, c.value)
				}
				fmt.Fprintf(&b, "\tcase %s:\n\t\treturn %q\n", c.name, label)
			}
			fmt.Fprintf(&b, "\t}\n")
		}
		if e.basic == "int" {
			fmt.Fprintf(&b, "\treturn strconv.Itoa(int(%s))\n}\n\n", recv)
		} else {
			fmt.Fprintf(&b, "\treturn string(%s)\n}\n\n", recv)
		}
	}
	src := b.Bytes()
	if !bytes.Contains(src, []byte("strconv.")) {
		src = bytes.Replace(src, []byte("import (\n\t\"strconv\"\n)\n\n"), nil, 1)
	}
	return src, nil
}

// handAliases returns the gen types the file at path aliases (X = gen.Y), by gen name.
func handAliases(path string) (map[string]string, error) {
	if path == "" {
		return nil, fmt.Errorf("-aliases needs -roots")
	}
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.TYPE {
			continue
		}
		for _, s := range gd.Specs {
			ts := s.(*ast.TypeSpec)
			if sel, ok := ts.Type.(*ast.SelectorExpr); ok && ts.Assign != 0 {
				if x, ok := sel.X.(*ast.Ident); ok && x.Name == "gen" {
					out[sel.Sel.Name] = ts.Name.Name
				}
			}
		}
	}
	return out, nil
}

// aliases writes, for package zoomusers, an alias of every gen model reachable from
// the hand-written aliases (declared maps gen names to them) and every constant of
// every reachable enum.
func (m *models) aliases(declared map[string]string) []byte {
	reach := map[string]bool{}
	var visit func(name string)
	visit = func(name string) {
		if reach[name] || (m.structs[name] == nil && m.enums[name] == nil) {
			return
		}
		reach[name] = true
		if st := m.structs[name]; st != nil {
			for _, f := range st.Fields.List {
				if len(f.Names) == 1 && !f.Names[0].IsExported() {
					continue
				}
				ast.Inspect(f.Type, func(n ast.Node) bool {
					if id, ok := n.(*ast.Ident); ok {
						visit(id.Name)
					}
					return true
				})
			}
		}
	}
	for name := range declared {
		visit(name)
	}
	var b bytes.Buffer
	header(&b, "zoomusers", `"github.com/zoomkit/go-zoomusers/gen"`)
	fmt.Fprintf(&b, "// Models reached from those declared in models.go, under gen's names.\n")
	fmt.Fprintf(&b, "type (\n")
	for _, name := range m.order {
		if !reach[name] || declared[name] != "" {
			continue
		}
		if st := m.structs[name]; st != nil {
			if f := firstPointerField(st); f != "" {
				fmt.Fprintf(&b, "\t// %s is gen.%s, where its fields and accessors (Get%s, ...) are.\n", name, name, f)
			} else {
				fmt.Fprintf(&b, "\t// %s is gen.%s, where its fields are.\n", name, name)
			}
		} else {
			fmt.Fprintf(&b, "\t// %s is gen.%s, an enum: see the %s constants.\n", name, name, name)
		}
		fmt.Fprintf(&b, "\t%s = gen.%s\n", name, name)
	}
	fmt.Fprintf(&b, ")\n\n")
	for _, name := range m.order {
		e := m.enums[name]
		if e == nil || !reach[name] {
			continue
		}
		alias := name
		if d := declared[name]; d != "" {
			alias = d
		}
		fmt.Fprintf(&b, "// Values of %s.\nconst (\n", alias)
		for _, c := range e.consts {
			fmt.Fprintf(&b, "\t%s %s = gen.%s // %s\n", c.name, alias, c.name, c.value)
		}
		fmt.Fprintf(&b, ")\n\n")
	}
	return b.Bytes()
}

// firstPointerField names an accessor of st for its alias's doc.
func firstPointerField(st *ast.StructType) string {
	for _, f := range st.Fields.List {
		if _, ok := f.Type.(*ast.StarExpr); ok && len(f.Names) == 1 && f.Names[0].IsExported() {
			return f.Names[0].Name
		}
	}
	return ""
}
