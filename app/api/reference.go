package api

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/danielgtaylor/huma/v2"
)

// Reference is the OpenAPI document flattened for a page that people read
// (the site renders it with its own layout, without third-party scripts):
// operations grouped by tag, each parameter and each field of the bodies
// as a row.
type Reference struct {
	Title, Version, Description string
	BaseURL                     string
	Tags                        []RefTag
	// Problem lists the fields of every error body (RFC 9457).
	Problem []RefField
	// The rate limits in force: requests per window per token, and per
	// client address for public operations.
	TokenLimit, AddressLimit, WindowSeconds int
}

// RefTag is one group of operations (the document's tags, in order of name).
type RefTag struct {
	Name, Description string
	Ops               []RefOp
}

// RefOp is one operation.
type RefOp struct {
	ID, Method, Path, Summary, Description string
	// Scope is the token scope the operation needs; "" = public.
	Scope     string
	Params    []RefParam
	Body      []RefField // request body fields; nil = no body
	Responses []RefResponse
}

// RefParam is one parameter (path, query or header).
type RefParam struct {
	Name, In, Description string
	Type                  RefType
	Required              bool
}

// RefResponse is one documented answer.
type RefResponse struct {
	Status, Description string
	Problem             bool       // an error: its body is the problem document
	Fields              []RefField // a success's body fields
}

// RefField is one field of a body, named by its path (items[].title).
type RefField struct {
	Name, Description string
	Type              RefType
	Required          bool
}

// maxFieldDepth bounds how deep nested objects are listed (and ends any
// recursive schema).
const maxFieldDepth = 5

// Reference builds the page's data from the generated document, so the page
// says exactly what the document does.
func (s *Server) Reference() Reference {
	oapi := s.api.OpenAPI()
	reg := oapi.Components.Schemas
	ref := Reference{Title: oapi.Info.Title, Version: oapi.Info.Version, Description: oapi.Info.Description,
		TokenLimit: s.d.TokenLimit, AddressLimit: s.d.AddressLimit, WindowSeconds: int(s.d.LimitWindow.Seconds())}
	if len(oapi.Servers) > 0 {
		ref.BaseURL = oapi.Servers[0].URL
	}
	if p := reg.SchemaFromRef("#/components/schemas/ErrorModel"); p != nil {
		ref.Problem = fields(reg, p, "", 0)
	}
	byTag := map[string]*RefTag{}
	for path, item := range oapi.Paths {
		for _, op := range []*huma.Operation{item.Get, item.Post, item.Put, item.Patch, item.Delete} {
			if op == nil || op.Hidden {
				continue
			}
			tag := "Other"
			if len(op.Tags) > 0 {
				tag = op.Tags[0]
			}
			if byTag[tag] == nil {
				byTag[tag] = &RefTag{Name: tag}
			}
			byTag[tag].Ops = append(byTag[tag].Ops, refOp(reg, path, op))
		}
	}
	for _, t := range oapi.Tags {
		if byTag[t.Name] != nil {
			byTag[t.Name].Description = t.Description
		}
	}
	for _, t := range byTag {
		sort.Slice(t.Ops, func(i, j int) bool {
			if t.Ops[i].Path != t.Ops[j].Path {
				return t.Ops[i].Path < t.Ops[j].Path
			}
			return methodRank(t.Ops[i].Method) < methodRank(t.Ops[j].Method)
		})
		ref.Tags = append(ref.Tags, *t)
	}
	sort.Slice(ref.Tags, func(i, j int) bool { return ref.Tags[i].Name < ref.Tags[j].Name })
	return ref
}

func methodRank(m string) int {
	return strings.Index("GET POST PUT PATCH DELETE", m)
}

func refOp(reg huma.Registry, path string, op *huma.Operation) RefOp {
	o := RefOp{ID: op.OperationID, Method: op.Method, Path: Prefix + path, Summary: op.Summary, Description: op.Description}
	o.Scope, _ = requiredScope(op)
	for _, p := range op.Parameters {
		o.Params = append(o.Params, RefParam{Name: p.Name, In: p.In, Type: typeOf(reg, p.Schema), Description: p.Description, Required: p.Required})
	}
	if op.RequestBody != nil {
		for _, mt := range op.RequestBody.Content {
			if mt.Schema != nil {
				o.Body = fields(reg, mt.Schema, "", 0)
				if o.Body == nil {
					o.Body = []RefField{}
				}
			}
		}
	}
	codes := make([]string, 0, len(op.Responses))
	for c := range op.Responses {
		codes = append(codes, c)
	}
	sort.Strings(codes) // "default" sorts after the numbers
	for _, c := range codes {
		r := op.Responses[c]
		rr := RefResponse{Status: c, Description: r.Description}
		if r.Content["application/problem+json"] != nil {
			rr.Problem = true
		} else {
			for _, mt := range r.Content {
				if mt.Schema != nil {
					rr.Fields = fields(reg, mt.Schema, "", 0)
				}
			}
		}
		o.Responses = append(o.Responses, rr)
	}
	return o
}

// resolve follows a $ref into the components.
func resolve(reg huma.Registry, s *huma.Schema) *huma.Schema {
	for i := 0; s != nil && s.Ref != "" && i < 10; i++ {
		s = reg.SchemaFromRef(s.Ref)
	}
	return s
}

// fields lists an object schema's properties (and those of objects inside
// it, named by their path), in the order of their names.
func fields(reg huma.Registry, s *huma.Schema, prefix string, depth int) []RefField {
	s = resolve(reg, s)
	if s == nil || depth > maxFieldDepth {
		return nil
	}
	if s.Type == "array" && s.Items != nil {
		return fields(reg, s.Items, prefix+"[]", depth+1)
	}
	names := make([]string, 0, len(s.Properties))
	for n := range s.Properties {
		names = append(names, n)
	}
	sort.Strings(names)
	var out []RefField
	for _, n := range names {
		p := s.Properties[n]
		name := n
		if prefix != "" {
			name = prefix + "." + n
		}
		rp := resolve(reg, p)
		desc := ""
		if p != nil && p.Description != "" {
			desc = p.Description
		} else if rp != nil {
			desc = rp.Description
		}
		out = append(out, RefField{Name: name, Type: typeOf(reg, p), Description: desc, Required: contains(s.Required, n)})
		if rp != nil && (rp.Type == "object" && len(rp.Properties) > 0 || rp.Type == "array" && rp.Items != nil) {
			out = append(out, fields(reg, rp, name, depth+1)...)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// RefType is a schema's type for the page: Name in a language-neutral
// notation (string, integer, string[] for an array, map<string, string> for
// an object keyed by text), and its constraints for the page to word.
type RefType struct {
	Name, Format string
	Enum         []string
	Min, Max     string // "" = no bound
	MaxLength    int    // 0 = no bound
	Nullable     bool
}

// typeOf describes a schema's type.
func typeOf(reg huma.Registry, s *huma.Schema) RefType {
	s = resolve(reg, s)
	if s == nil {
		return RefType{Name: "any"}
	}
	t := RefType{Name: typeName(reg, s, 0), Format: s.Format, Nullable: s.Nullable}
	for _, v := range s.Enum {
		t.Enum = append(t.Enum, fmt.Sprint(v))
	}
	f := func(v *float64) string {
		if v == nil {
			return ""
		}
		return strconv.FormatFloat(*v, 'f', -1, 64)
	}
	t.Min, t.Max = f(s.Minimum), f(s.Maximum)
	if s.MaxLength != nil {
		t.MaxLength = *s.MaxLength
	}
	return t
}

func typeName(reg huma.Registry, s *huma.Schema, depth int) string {
	s = resolve(reg, s)
	if s == nil || depth > maxFieldDepth {
		return "any"
	}
	switch {
	case s.Type == "array" && s.Items != nil:
		return typeName(reg, s.Items, depth+1) + "[]"
	case s.Type == "object" && len(s.Properties) == 0:
		if ap, ok := s.AdditionalProperties.(*huma.Schema); ok {
			return "map<string, " + typeName(reg, ap, depth+1) + ">"
		}
	case s.Type == "":
		return "any"
	}
	return s.Type
}
