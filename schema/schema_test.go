package schema

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

func compile(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(JSONSchema))
	if err != nil {
		t.Fatalf("schema is not JSON: %v", err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("record.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("record.schema.json")
	if err != nil {
		t.Fatalf("compile schema: %v", err)
	}
	return sch
}

func validate(t *testing.T, sch *jsonschema.Schema, b []byte) error {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("record is not JSON: %v", err)
	}
	return sch.Validate(inst)
}

// TestGoldenRecordsValidate validates every committed golden record (the
// expected extraction of each sample) against the JSON Schema.
func TestGoldenRecordsValidate(t *testing.T) {
	sch := compile(t)
	files, _ := filepath.Glob(filepath.Join("..", "samples", "*.golden.json"))
	if len(files) == 0 {
		t.Fatal("no golden records found in ../samples")
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := validate(t, sch, b); err != nil {
			t.Errorf("%s does not validate: %v", filepath.Base(f), err)
		}
	}
}

// TestSchemaRejects makes sure the schema is not vacuous.
func TestSchemaRejects(t *testing.T) {
	sch := compile(t)
	good := fullRecord()
	b, _ := json.Marshal(good)
	if err := validate(t, sch, b); err != nil {
		t.Fatalf("a full record does not validate: %v", err)
	}
	for name, mutate := range map[string]func(m map[string]any){
		"missing title":      func(m map[string]any) { delete(m, "title") },
		"empty-string title": func(m map[string]any) { m["title"] = "" },
		"money as float":     func(m map[string]any) { m["requested_amount_sek"] = 1.5 },
		"bad date":           func(m map[string]any) { m["period"].(map[string]any)["start"] = "1/1-2023" },
		"unknown section key": func(m map[string]any) {
			m["sections"].(map[string]any)["misc"] = map[string]any{"heading": "x", "text": ""}
		},
		"unknown code": func(m map[string]any) {
			m["findings"].([]any)[0].(map[string]any)["code"] = "budget.wrong"
		},
		"message received not RFC 3339": func(m map[string]any) {
			m["source"].(map[string]any)["message"].(map[string]any)["received"] = "Fri, 4 Dec 2026 10:15:00 +0100"
		},
		"message without from": func(m map[string]any) {
			delete(m["source"].(map[string]any)["message"].(map[string]any), "from")
		},
		"bad severity": func(m map[string]any) {
			m["findings"].([]any)[0].(map[string]any)["severity"] = "fatal"
		},
		"wrong schema version":       func(m map[string]any) { m["schema_version"] = "2" },
		"bad role":                   func(m map[string]any) { m["signatures"].([]any)[0].(map[string]any)["role"] = "boss" },
		"missing produced_at":        func(m map[string]any) { delete(m, "produced_at") },
		"produced_at not UTC":        func(m map[string]any) { m["produced_at"] = "2024-03-01T13:00:00+01:00" },
		"produced_at a date":         func(m map[string]any) { m["produced_at"] = "2024-03-01" },
		"missing job":                func(m map[string]any) { delete(m, "job") },
		"empty-string job":           func(m map[string]any) { m["job"] = "" },
		"missing submission_id":      func(m map[string]any) { delete(m, "submission_id") },
		"empty-string submission_id": func(m map[string]any) { m["submission_id"] = "" },
		"missing digital_signatures": func(m map[string]any) { delete(m, "digital_signatures") },
		"negative digital index":     func(m map[string]any) { m["signatures"].([]any)[0].(map[string]any)["digital"] = -1 },
		"signed_at a date": func(m map[string]any) {
			m["digital_signatures"].([]any)[0].(map[string]any)["signed_at"] = "2024-03-01"
		},
		"intact missing": func(m map[string]any) {
			delete(m["digital_signatures"].([]any)[0].(map[string]any), "intact")
		},
		"a signature's intact null": func(m map[string]any) {
			m["digital_signatures"].([]any)[0].(map[string]any)["intact"] = nil
		},
		"a verification signer in digital_signatures": func(m map[string]any) {
			d := m["digital_signatures"].([]any)[0].(map[string]any)
			d["intact"], d["covers_document"], d["certificate_valid"] = nil, nil, nil
		},
		"missing verification_signers": func(m map[string]any) { delete(m, "verification_signers") },
		"verification missing": func(m map[string]any) {
			delete(m["signatures"].([]any)[0].(map[string]any), "verification")
		},
		"negative verification index": func(m map[string]any) {
			m["signatures"].([]any)[0].(map[string]any)["verification"] = -1
		},
		"a verification signer without its page": func(m map[string]any) {
			m["verification_signers"].([]any)[0].(map[string]any)["page"] = nil
		},
		"a verification signer without its service": func(m map[string]any) {
			delete(m["verification_signers"].([]any)[0].(map[string]any), "service")
		},
		"a verification signer's signed_at a date": func(m map[string]any) {
			m["verification_signers"].([]any)[0].(map[string]any)["signed_at"] = "2024-03-01"
		},
		"trusted as text": func(m map[string]any) {
			m["digital_signatures"].([]any)[0].(map[string]any)["trusted"] = "yes"
		},
		"handwritten as text": func(m map[string]any) {
			m["signatures"].([]any)[0].(map[string]any)["handwritten"] = "ja"
		},
		"handwritten missing": func(m map[string]any) {
			delete(m["signatures"].([]any)[0].(map[string]any), "handwritten")
		},
		"OCR page 0": func(m map[string]any) {
			m["source"].(map[string]any)["files"].([]any)[0].(map[string]any)["ocr_pages"].([]any)[0].(map[string]any)["page"] = 0
		},
		"OCR confidence over 100": func(m map[string]any) {
			m["source"].(map[string]any)["files"].([]any)[0].(map[string]any)["ocr_pages"].([]any)[0].(map[string]any)["confidence"] = 120
		},
		"OCR page turned 45 degrees": func(m map[string]any) {
			m["source"].(map[string]any)["files"].([]any)[0].(map[string]any)["ocr_pages"].([]any)[0].(map[string]any)["rotation"] = 45
		},
		"OCR page without confidence": func(m map[string]any) {
			delete(m["source"].(map[string]any)["files"].([]any)[0].(map[string]any)["ocr_pages"].([]any)[0].(map[string]any), "confidence")
		},
		"file without path": func(m map[string]any) {
			delete(m["source"].(map[string]any)["files"].([]any)[0].(map[string]any), "path")
		},
	} {
		t.Run(name, func(t *testing.T) {
			var m map[string]any
			json.Unmarshal(b, &m)
			mutate(m)
			bb, _ := json.Marshal(m)
			if err := validate(t, sch, bb); err == nil {
				t.Errorf("schema accepted a record with %s", name)
			}
		})
	}
}

// TestSchemaMatchesTypes checks the schema against the Go types: every
// JSON field of every struct is a property at the same place in the
// schema, and required unless it is omitempty.
func TestSchemaMatchesTypes(t *testing.T) {
	var root map[string]any
	if err := json.Unmarshal(JSONSchema, &root); err != nil {
		t.Fatal(err)
	}
	defs := root["$defs"].(map[string]any)
	var walk func(path string, typ reflect.Type, node map[string]any)
	// objectNode resolves $ref and oneOf[null, X] down to the object schema.
	var objectNode func(node map[string]any) map[string]any
	objectNode = func(node map[string]any) map[string]any {
		if ref, ok := node["$ref"].(string); ok {
			return objectNode(defs[strings.TrimPrefix(ref, "#/$defs/")].(map[string]any))
		}
		if alts, ok := node["oneOf"].([]any); ok {
			for _, a := range alts {
				am := a.(map[string]any)
				if am["type"] == "null" {
					continue
				}
				return objectNode(am)
			}
		}
		return node
	}
	walk = func(path string, typ reflect.Type, node map[string]any) {
		for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice {
			typ = typ.Elem()
			if n := objectNode(node); n["items"] != nil {
				node = n["items"].(map[string]any)
			}
		}
		if typ.Kind() == reflect.Map {
			n := objectNode(node)
			if ap, ok := n["additionalProperties"].(map[string]any); ok {
				walk(path+"/*", typ.Elem(), ap)
			}
			return
		}
		if typ.Kind() != reflect.Struct {
			return
		}
		n := objectNode(node)
		props, _ := n["properties"].(map[string]any)
		var required []string
		for _, r := range asSlice(n["required"]) {
			required = append(required, r.(string))
		}
		for i := range typ.NumField() {
			f := typ.Field(i)
			tag := f.Tag.Get("json")
			name, opts, _ := strings.Cut(tag, ",")
			if name == "" || name == "-" {
				continue
			}
			p, ok := props[name].(map[string]any)
			if !ok {
				t.Errorf("%s/%s: field %s.%s is not in the schema", path, name, typ.Name(), f.Name)
				continue
			}
			if !strings.Contains(opts, "omitempty") && !slices.Contains(required, name) {
				t.Errorf("%s/%s: always present in the record but not required by the schema", path, name)
			}
			walk(path+"/"+name, f.Type, p)
		}
	}
	walk("", reflect.TypeOf(Record{}), root)
}

func asSlice(v any) []any {
	s, _ := v.([]any)
	return s
}

func fullRecord() Record {
	s := func(v string) *string { return &v }
	i := func(v int64) *int64 { return &v }
	n := 3
	yes := true
	pct := 100.0
	zero := 0
	return Record{
		SchemaVersion: Version,
		Producer:      Producer{Name: "ansokan", Version: "test"},
		Source: Source{Files: []File{{Name: "a.pdf", Path: "2024/Tierp/a.pdf", SHA256: strings.Repeat("0", 64), Format: "pdf", Pages: &n, Bytes: 10,
			OCRPages: []OCRPage{{Page: 3, Confidence: 91.3, Rotation: 180, Skew: -1.5}}}},
			Message: &Message{MessageID: s("abc@kommun.example.se"), From: s("Björn Åström <bjorn@kommun.example.se>"),
				Subject: s("Ansökan"), Received: s("2026-12-04T10:15:00+01:00")}},
		Title:                s("Vägen vidare"),
		Owner:                &Owner{Organisation: s("Tierps kommun"), Units: []string{}},
		Partners:             []Partner{{Organisation: "Region Uppsala"}},
		Period:               &Period{Start: s("2024-01-01"), End: s("2024-12"), IntakeEnd: s("--06-16")},
		ExpectedParticipants: &ExpectedParticipants{Count: &n, PerYear: true, Text: "3 per år"},
		RequestedAmountSEK:   i(100),
		Anchoring:            &Anchoring{Discussed: &yes, How: nil},
		Sections:             map[string]Section{"purpose": {Heading: "Syfte", Text: "x"}},
		ExtraSections:        []Section{},
		Signatures:           []Signature{{Role: RoleOwner, Organisation: s("Tierps kommun"), Digital: &zero, Verification: &zero, Handwritten: &yes}},
		DigitalSignatures: []DigitalSignature{{File: "a.pdf", Field: s("Signature1"), Signer: s("Anna Svensson"), Organisation: s("Tierps kommun"),
			Email: s("anna@tierp.se"), SignedAt: s("2024-03-01T12:00:00+01:00"), Intact: true, CoversDocument: true, CertificateValid: true, Issuer: s("Test CA"), Trusted: nil}},
		VerificationSigners: []VerificationSigner{{File: "a.pdf", Page: 3, Service: "Scrive", Name: s("Anna Svensson"), Organisation: s("Tierps kommun"),
			Email: s("anna@tierp.se"), SignedAt: s("2024-03-01T12:00:00+01:00")}},
		Budget: &Budget{Unit: "kr", Parties: []string{"Tierps kommun"},
			Requested: &CostGroups{Salaries: &CostGroup{Lines: []BudgetLine{{Label: "Coach", Percent: &pct, Amounts: map[string]int64{"Tierps kommun": 100}, Total: i(100)}}}},
			Summary:   []SummaryRow{{Party: "Tierps kommun", Requested: i(100)}}},
		Findings:     []Finding{{Code: CodeBudgetUnitMismatch, Severity: SeverityInfo, Message: "m", Path: "/budget/unit_stated", Evidence: &Evidence{File: "a.pdf"}}},
		Complete:     true,
		SubmissionID: s("A-2024-1"),
		Job:          s(strings.Repeat("1", 64) + "/reprocess/20240101T000000.000000000Z"),
		ProducedAt:   "2024-03-01T12:00:00Z",
	}
}

func TestCompleteFollowsSeverities(t *testing.T) {
	if !Complete(nil) || !Complete([]Finding{{Severity: SeverityWarning}, {Severity: SeverityInfo}}) {
		t.Error("warnings and infos must not make a record incomplete")
	}
	if Complete([]Finding{{Severity: SeverityWarning}, {Severity: SeverityError}}) {
		t.Error("an error finding must make a record incomplete")
	}
	for code := range DefaultSeverity {
		if !strings.Contains(string(JSONSchema), `"`+code+`"`) {
			t.Errorf("finding code %s is missing from the schema's enum", code)
		}
	}
}
