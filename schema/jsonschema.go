package schema

import _ "embed"

// JSONSchema is the JSON Schema (draft 2020-12) of the record, for
// consumers that validate what they receive.
//
//go:embed record.schema.json
var JSONSchema []byte
