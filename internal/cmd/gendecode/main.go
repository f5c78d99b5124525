// Command gendecode writes, for package zoomusers, a decoder of every model an operation
// answers with: plain Go that reads tokens from a jsontext.Decoder into the fields, where
// encoding/json/v2 would look up an unmarshaler for each field's type through reflection.
// It is the fast path of zoomusers' decoding (fastdecode.go); any answer it cannot take
// as it is, falls back to encoding/json/v2 and the repair pass.
//
// The answer types come from package gen itself: the JSON2xx fields of the response
// types of gen.ClientWithResponses and the variants of those that are oneOf unions, so
// that a new operation is covered by regenerating.
// Every struct reachable from them gets a function; a type with JSON methods of its own
// (time.Time aside), a map or an interface is decoded by encoding/json/v2 where it occurs.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"go/format"
	"log"
	"os"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/zoomkit/go-zoomusers/gen"
)

func main() {
	out := flag.String("out", "decode_gen.go", "the Go file to write")
	flag.Parse()
	g := &generator{done: map[reflect.Type]string{}}
	for _, t := range answerTypes() {
		g.roots = append(g.roots, t)
		g.rootCalls = append(g.rootCalls, g.value(t, "v"))
	}
	src, err := format.Source(g.source())
	if err != nil {
		log.Fatalf("gendecode: %v\n%s", err, g.source())
	}
	if err := os.WriteFile(*out, src, 0o644); err != nil {
		log.Fatalf("gendecode: %v", err)
	}
}

var answerField = regexp.MustCompile(`^JSON2\d\d$`)

// answerTypes lists the types of gen's successful JSON answers, sorted by name.
func answerTypes() []reflect.Type {
	seen := map[reflect.Type]bool{}
	client := reflect.TypeFor[*gen.ClientWithResponses]()
	for i := range client.NumMethod() {
		m := client.Method(i).Type
		if m.NumOut() == 0 || m.Out(0).Kind() != reflect.Pointer || m.Out(0).Elem().Kind() != reflect.Struct {
			continue
		}
		resp := m.Out(0).Elem()
		for j := range resp.NumField() {
			f := resp.Field(j)
			if answerField.MatchString(f.Name) && f.Type.Kind() == reflect.Pointer {
				seen[f.Type.Elem()] = true
				for _, v := range variants(f.Type.Elem()) {
					seen[v] = true
				}
			}
		}
	}
	var types []reflect.Type
	for t := range seen {
		types = append(types, t)
	}
	sort.Slice(types, func(i, j int) bool { return types[i].String() < types[j].String() })
	if len(types) == 0 {
		log.Fatal("gendecode: gen.ClientWithResponses answers with no JSON type")
	}
	return types
}

// variants lists the types of a oneOf answer (oapi-codegen's AsX methods), which
// zoomusers decodes the answer into when it knows which one comes.
func variants(t reflect.Type) []reflect.Type {
	var types []reflect.Type
	pt := reflect.PointerTo(t)
	for i := range pt.NumMethod() {
		m := pt.Method(i)
		if strings.HasPrefix(m.Name, "As") && m.Type.NumIn() == 1 && m.Type.NumOut() == 2 && m.Type.Out(0).Kind() == reflect.Struct {
			types = append(types, m.Type.Out(0))
		}
	}
	return types
}

type generator struct {
	roots     []reflect.Type
	rootCalls []string                // decoding each root into v
	done      map[reflect.Type]string // function name by type
	order     []reflect.Type
	funcs     bytes.Buffer
}

var (
	timeType            = reflect.TypeFor[time.Time]()
	jsonUnmarshaler     = reflect.TypeFor[interface{ UnmarshalJSON([]byte) error }]()
	textUnmarshaler     = reflect.TypeFor[interface{ UnmarshalText([]byte) error }]()
	jsonUnmarshalerFrom = "UnmarshalJSONFrom"
)

// custom reports whether t decodes itself, which only encoding/json/v2 knows how to call.
func custom(t reflect.Type) bool {
	pt := reflect.PointerTo(t)
	_, from := pt.MethodByName(jsonUnmarshalerFrom)
	return t != timeType && (pt.Implements(jsonUnmarshaler) || pt.Implements(textUnmarshaler) || from)
}

// typeName is t as Go source in package zoomusers.
func typeName(t reflect.Type) string {
	switch {
	case t.Name() != "" && t.PkgPath() != "":
		return t.String() // gen.User, time.Time
	case t.Kind() == reflect.Pointer:
		return "*" + typeName(t.Elem())
	case t.Kind() == reflect.Slice:
		return "[]" + typeName(t.Elem())
	}
	return t.String()
}

// funcName names the function decoding into a *t.
func funcName(t reflect.Type) string {
	switch {
	case t.Name() != "" && t.PkgPath() != "":
		return "decode" + t.Name()
	case t.Name() != "": // string, int64, ...
		return "decode" + strings.ToUpper(t.Name()[:1]) + t.Name()[1:]
	case t.Kind() == reflect.Pointer:
		return strings.Replace(funcName(t.Elem()), "decode", "decodePtr", 1)
	case t.Kind() == reflect.Slice:
		return strings.Replace(funcName(t.Elem()), "decode", "decodeSlice", 1)
	}
	log.Fatalf("gendecode: no function name for %v", t)
	return ""
}

// value returns the call that decodes the next value into p, an expression of type
// *t, and returns its error.
func (g *generator) value(t reflect.Type, p string) string {
	if custom(t) {
		return fmt.Sprintf("d.delegate(%s)", p)
	}
	switch t.Kind() {
	case reflect.String:
		return fmt.Sprintf("decodeString(d, %s)", p)
	case reflect.Bool:
		return fmt.Sprintf("decodeBool(d, %s)", p)
	case reflect.Int, reflect.Int64, reflect.Int32:
		return fmt.Sprintf("decodeInt(d, %s)", p)
	case reflect.Struct:
		// Floats and times are optional (pointers) in every model; one that is not
		// would be decoded by encoding/json/v2.
		if t == timeType || t.Name() == "" || t.PkgPath() == "" {
			break // anonymous structs: genmodels keeps them out of the models
		}
		return fmt.Sprintf("d.%s(%s)", g.function(t), p)
	case reflect.Pointer:
		switch e := t.Elem(); {
		case custom(e):
		case e.Kind() == reflect.String:
			return fmt.Sprintf("decodeStringPtr(d, %s)", p)
		case e.Kind() == reflect.Bool:
			return fmt.Sprintf("decodeBoolPtr(d, %s)", p)
		case e.Kind() == reflect.Int || e.Kind() == reflect.Int64 || e.Kind() == reflect.Int32:
			return fmt.Sprintf("decodeIntPtr(d, %s)", p)
		case e.Kind() == reflect.Float64 || e.Kind() == reflect.Float32:
			return fmt.Sprintf("decodeFloatPtr(d, %s)", p)
		case e == timeType:
			return fmt.Sprintf("d.decodeTimePtr(%s)", p)
		default:
			return fmt.Sprintf("d.%s(%s)", g.function(t), p)
		}
	case reflect.Slice:
		if t.Elem().Kind() != reflect.Uint8 {
			return fmt.Sprintf("d.%s(%s)", g.function(t), p)
		}
	}
	return fmt.Sprintf("d.delegate(%s)", p)
}

// function writes, once, the function decoding into a *t, and returns its name.
func (g *generator) function(t reflect.Type) string {
	if name, ok := g.done[t]; ok {
		return name
	}
	name := funcName(t)
	g.done[t] = name
	g.order = append(g.order, t)
	var b strings.Builder
	switch t.Kind() {
	case reflect.Struct:
		g.structFunc(&b, t, name)
	case reflect.Pointer:
		fmt.Fprintf(&b, "func (d *fastDecoder) %s(p **%s) error {\n", name, typeName(t.Elem()))
		fmt.Fprintf(&b, "if d.null() { *p = nil; return d.skipNull() }\n")
		fmt.Fprintf(&b, "v := new(%s)\n*p = v\nreturn %s\n}\n\n", typeName(t.Elem()), g.value(t.Elem(), "v"))
	case reflect.Slice:
		fmt.Fprintf(&b, "func (d *fastDecoder) %s(p *[]%s) error {\n", name, typeName(t.Elem()))
		fmt.Fprintf(&b, "if d.null() { *p = nil; return d.skipNull() }\n")
		fmt.Fprintf(&b, "if err := d.begin('['); err != nil { return err }\n")
		fmt.Fprintf(&b, "s := []%s{}\nvar zero %s\n", typeName(t.Elem()), typeName(t.Elem()))
		fmt.Fprintf(&b, "for d.more() {\ns = append(s, zero)\nif err := %s; err != nil { return err }\n}\n",
			g.value(t.Elem(), "&s[len(s)-1]"))
		fmt.Fprintf(&b, "*p = s\nreturn d.end()\n}\n\n")
	default:
		log.Fatalf("gendecode: no function for %v", t)
	}
	g.funcs.WriteString(b.String())
	return name
}

func (g *generator) structFunc(b *strings.Builder, t reflect.Type, name string) {
	if custom(t) {
		log.Fatalf("gendecode: %v decodes itself", t)
	}
	fmt.Fprintf(b, "func (d *fastDecoder) %s(v *%s) error {\n", name, typeName(t))
	fmt.Fprintf(b, "if d.null() { *v = %s{}; return d.skipNull() }\n", typeName(t))
	fmt.Fprintf(b, "if err := d.begin('{'); err != nil { return err }\n")
	fmt.Fprintf(b, "for d.more() {\nname, err := d.name()\nif err != nil { return err }\nswitch name {\n")
	for i := range t.NumField() {
		f := t.Field(i)
		tag := strings.Split(f.Tag.Get("json"), ",")[0]
		if f.Anonymous {
			log.Fatalf("gendecode: %v embeds %v", t, f.Type)
		}
		if tag == "-" || !f.IsExported() {
			continue
		}
		if tag == "" {
			log.Fatalf("gendecode: %v.%s has no JSON name", t, f.Name)
		}
		fmt.Fprintf(b, "case %q:\nerr = %s\n", tag, g.value(f.Type, "&v."+f.Name))
	}
	fmt.Fprintf(b, "default:\nerr = d.dec.SkipValue()\n}\nif err != nil { return err }\n}\nreturn d.end()\n}\n\n")
}

func (g *generator) source() []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "// Code generated by internal/cmd/gendecode from package gen. DO NOT EDIT.\n\n")
	fmt.Fprintf(&b, "//lint:file-ignore SA1019 deprecated fields are decoded too: Zoom may still send them\n\n")
	imports := "\"github.com/zoomkit/go-zoomusers/gen\""
	if strings.Contains(g.funcs.String(), "time.") {
		imports = "\"time\"\n\n" + imports
	}
	fmt.Fprintf(&b, "package zoomusers\n\nimport (\n%s\n)\n\n", imports)
	fmt.Fprintf(&b, "// decodeAnswer decodes the next value into out if out is one of the operations'\n")
	fmt.Fprintf(&b, "// answer types, and reports whether it was.\n")
	fmt.Fprintf(&b, "func (d *fastDecoder) decodeAnswer(out any) (bool, error) {\nswitch v := out.(type) {\n")
	for i, t := range g.roots {
		fmt.Fprintf(&b, "case *%s:\nreturn true, %s\n", typeName(t), g.rootCalls[i])
	}
	fmt.Fprintf(&b, "}\nreturn false, nil\n}\n\n")
	fmt.Fprintf(&b, "// answerTypes are the types decodeAnswer decodes, for the tests.\n")
	fmt.Fprintf(&b, "var answerTypes = []func() any{\n")
	for _, t := range g.roots {
		fmt.Fprintf(&b, "func() any { return new(%s) },\n", typeName(t))
	}
	fmt.Fprintf(&b, "}\n\n")
	b.Write(g.funcs.Bytes())
	return b.Bytes()
}
