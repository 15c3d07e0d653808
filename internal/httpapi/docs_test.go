package httpapi

import (
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"gopkg.in/yaml.v3"

	"livedesk/internal/auth"
	"livedesk/internal/desk"
	"livedesk/internal/livedesk"
	"livedesk/internal/realtime"
	"livedesk/internal/store/sqlstore"
)

// The docs of the public interface (docs/openapi.yaml, docs/events.md) must describe what is
// built. These tests compare them with the route table, the error codes and the event types.

const (
	openapiPath = "../../docs/openapi.yaml"
	eventsPath  = "../../docs/events.md"
)

// newDocsServer builds a real Server with New, as the app does.
func newDocsServer(t *testing.T) *Server {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	st, err := sqlstore.OpenSQLite(sqlstore.SQLiteOptions{Path: filepath.Join(t.TempDir(), "docs.db"), Synchronous: "NORMAL", Log: log})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	d := desk.New(st, log)
	hub := realtime.NewHub(d, log, realtime.Options{})
	return New(Config{BcryptCost: 4}, d, hub, auth.NewVisitorTokens("docs-test-secret", time.Hour, time.Hour, time.Now), prometheus.NewRegistry(), log,
		func(context.Context) error { return nil })
}

// loadOpenAPI parses docs/openapi.yaml into generic maps.
func loadOpenAPI(t *testing.T) map[string]any {
	t.Helper()
	raw, err := os.ReadFile(openapiPath)
	if err != nil {
		t.Fatalf("read %s: %v", openapiPath, err)
	}
	var doc map[string]any
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("parse %s: %v", openapiPath, err)
	}
	if v, _ := doc["openapi"].(string); !strings.HasPrefix(v, "3.1") {
		t.Fatalf("%s: openapi version is %q, want 3.1.x", openapiPath, v)
	}
	return doc
}

var httpMethods = map[string]bool{"get": true, "put": true, "post": true, "delete": true, "patch": true,
	"head": true, "options": true, "trace": true}

type docOp struct {
	method, path string
	op           map[string]any
	pathItem     map[string]any
}

func (o docOp) key() string { return o.method + " " + o.path }

// operations lists the operations of the document.
func operations(t *testing.T, doc map[string]any) map[string]docOp {
	t.Helper()
	paths, ok := doc["paths"].(map[string]any)
	if !ok {
		t.Fatalf("%s has no paths", openapiPath)
	}
	out := map[string]docOp{}
	for path, item := range paths {
		pi, ok := item.(map[string]any)
		if !ok {
			t.Fatalf("%s: path %s is not an object", openapiPath, path)
		}
		for m, v := range pi {
			if !httpMethods[m] {
				continue
			}
			op, ok := v.(map[string]any)
			if !ok {
				t.Fatalf("%s: %s %s is not an object", openapiPath, m, path)
			}
			o := docOp{method: strings.ToUpper(m), path: path, op: op, pathItem: pi}
			out[o.key()] = o
		}
	}
	return out
}

// TestOpenAPIMatchesRoutes checks that the route table and docs/openapi.yaml name the same
// endpoints, with the same access.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	s := newDocsServer(t)
	ops := operations(t, loadOpenAPI(t))
	routes := map[string]Route{}
	for _, rt := range s.Routes() {
		k := rt.Method + " " + rt.Path
		if _, dup := routes[k]; dup {
			t.Errorf("route table has %s twice", k)
		}
		routes[k] = rt
	}
	var missing, extra []string
	for k := range routes {
		if _, ok := ops[k]; !ok {
			missing = append(missing, k)
		}
	}
	for k := range ops {
		if _, ok := routes[k]; !ok {
			extra = append(extra, k)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	if len(missing)+len(extra) > 0 {
		var b strings.Builder
		fmt.Fprintf(&b, "docs/openapi.yaml does not match the route table (httpapi.Routes):\n")
		for _, k := range missing {
			fmt.Fprintf(&b, "  missing from openapi.yaml: %s\n", k)
		}
		for _, k := range extra {
			fmt.Fprintf(&b, "  in openapi.yaml but not a route: %s\n", k)
		}
		t.Fatal(b.String())
	}
	names := map[Access]string{Public: "public", Operator: "operator", Staff: "staff", Admin: "admin", Visitor: "visitor"}
	for k, rt := range routes {
		want, ok := names[rt.Access]
		if !ok {
			t.Errorf("%s: access level %d has no name in this test; add it", k, rt.Access)
			continue
		}
		if got, _ := ops[k].op["x-access"].(string); got != want {
			t.Errorf("%s: openapi.yaml says x-access %q, the route table says %q", k, got, want)
		}
	}
}

// TestOpenAPIErrorCodes checks that every error code of livedesk is in the Error schema (and
// nothing else is), and that each code an operation lists has a response of its status.
func TestOpenAPIErrorCodes(t *testing.T) {
	doc := loadOpenAPI(t)
	codes := goConsts(t, "../livedesk/errors.go", "Code")
	if len(codes) < 10 {
		t.Fatalf("found only %d Code constants in errors.go: %v", len(codes), codes)
	}
	raw, err := os.ReadFile(openapiPath)
	if err != nil {
		t.Fatal(err)
	}
	enum := map[string]bool{}
	for _, v := range lookup(t, doc, "#/components/schemas/Error/properties/error/properties/code/enum").([]any) {
		enum[fmt.Sprint(v)] = true
	}
	known := map[string]bool{}
	for name, code := range codes {
		known[code] = true
		if !enum[code] {
			t.Errorf("error code %s (%q) is missing from the enum of the Error schema in openapi.yaml", name, code)
		}
		if !strings.Contains(string(raw), "`"+code+"` "+strconv.Itoa(statusOf(livedesk.Code(code)))) {
			t.Errorf("openapi.yaml does not state the status of %q as \"`%s` %d\"", code, code, statusOf(livedesk.Code(code)))
		}
	}
	for code := range enum {
		if !known[code] {
			t.Errorf("the Error schema of openapi.yaml lists %q, which is not a Code in livedesk/errors.go", code)
		}
	}
	for k, o := range operations(t, doc) {
		list, ok := o.op["x-error-codes"].([]any)
		if !ok {
			t.Errorf("%s: no x-error-codes list", k)
			continue
		}
		responses, _ := o.op["responses"].(map[string]any)
		for _, c := range list {
			code := fmt.Sprint(c)
			if !known[code] {
				t.Errorf("%s: x-error-codes names %q, which is not an error code", k, code)
				continue
			}
			status := strconv.Itoa(statusOf(livedesk.Code(code)))
			if _, ok := responses[status]; !ok {
				t.Errorf("%s: can return %s but documents no %s response", k, code, status)
			}
		}
	}
}

// TestOpenAPIRefsAndPathParams checks that every $ref resolves and every {param} of a path is
// declared as a path parameter.
func TestOpenAPIRefsAndPathParams(t *testing.T) {
	doc := loadOpenAPI(t)
	var walk func(where string, v any)
	walk = func(where string, v any) {
		switch x := v.(type) {
		case map[string]any:
			if ref, ok := x["$ref"].(string); ok {
				if !strings.HasPrefix(ref, "#/") {
					t.Errorf("%s: $ref %q is not local", where, ref)
				} else if _, ok := tryLookup(doc, ref); !ok {
					t.Errorf("%s: $ref %q does not resolve", where, ref)
				}
			}
			for k, e := range x {
				walk(where+"/"+k, e)
			}
		case []any:
			for i, e := range x {
				walk(where+"/"+strconv.Itoa(i), e)
			}
		}
	}
	walk("#", doc)

	param := regexp.MustCompile(`\{([^}]+)\}`)
	for k, o := range operations(t, doc) {
		declared := map[string]bool{}
		for _, list := range []any{o.pathItem["parameters"], o.op["parameters"]} {
			ps, _ := list.([]any)
			for _, p := range ps {
				pm, _ := p.(map[string]any)
				if ref, ok := pm["$ref"].(string); ok {
					r, ok := tryLookup(doc, ref)
					if !ok {
						continue // reported above
					}
					pm, _ = r.(map[string]any)
				}
				if pm["in"] == "path" {
					declared[fmt.Sprint(pm["name"])] = true
				}
			}
		}
		for _, m := range param.FindAllStringSubmatch(o.path, -1) {
			if !declared[m[1]] {
				t.Errorf("%s: path parameter {%s} is not declared", k, m[1])
			}
			delete(declared, m[1])
		}
		for name := range declared {
			t.Errorf("%s: declares path parameter %q that the path does not have", k, name)
		}
	}
}

// TestEventsDocumented checks that every event type of livedesk/event.go has a heading in
// docs/events.md.
func TestEventsDocumented(t *testing.T) {
	events := goConsts(t, "../livedesk/event.go", "Event")
	if len(events) < 10 {
		t.Fatalf("found only %d Event constants in event.go: %v", len(events), events)
	}
	raw, err := os.ReadFile(eventsPath)
	if err != nil {
		t.Fatalf("read %s: %v", eventsPath, err)
	}
	headings := map[string]bool{}
	for _, line := range strings.Split(string(raw), "\n") {
		if !strings.HasPrefix(line, "#") {
			continue
		}
		for _, f := range strings.FieldsFunc(strings.TrimLeft(line, "# "), func(r rune) bool {
			return r == ' ' || r == '`' || r == ',' || r == '(' || r == ')' || r == '/'
		}) {
			headings[f] = true
		}
	}
	var missing []string
	for name, typ := range events {
		if !headings[typ] {
			missing = append(missing, fmt.Sprintf("%s (%q)", name, typ))
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("docs/events.md has no heading for these event types:\n  %s", strings.Join(missing, "\n  "))
	}
}

// goConsts parses a Go file of this module and returns its string constants whose names
// start with prefix (name → value).
func goConsts(t *testing.T, file, prefix string) map[string]string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
	if err != nil {
		t.Fatalf("parse %s: %v", file, err)
	}
	out := map[string]string{}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, spec := range g.Specs {
			vs := spec.(*ast.ValueSpec)
			for i, name := range vs.Names {
				if !strings.HasPrefix(name.Name, prefix) || i >= len(vs.Values) {
					continue
				}
				lit, ok := vs.Values[i].(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					continue
				}
				v, err := strconv.Unquote(lit.Value)
				if err != nil {
					t.Fatalf("%s: %s: %v", file, name.Name, err)
				}
				out[name.Name] = v
			}
		}
	}
	return out
}

// tryLookup resolves a local JSON pointer (#/a/b) in doc.
func tryLookup(doc map[string]any, ref string) (any, bool) {
	var cur any = doc
	for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
		part = strings.ReplaceAll(strings.ReplaceAll(part, "~1", "/"), "~0", "~")
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[part]; !ok {
			return nil, false
		}
	}
	return cur, true
}

func lookup(t *testing.T, doc map[string]any, ref string) any {
	t.Helper()
	v, ok := tryLookup(doc, ref)
	if !ok {
		t.Fatalf("openapi.yaml has no %s", ref)
	}
	return v
}
