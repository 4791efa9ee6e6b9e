package docx

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/internal/corpus"
)

// docxLocalEdgeCases are styles parts that break in the ways the checks
// of localNames must catch as Token does.
var docxLocalEdgeCases = []string{
	docxTestStyles,
	docxTestNumbering,
	`<w:styles xmlns:w="urn:w"><w:style w:styleId="A"><w:name w:val="a"/></w:style></w:styles>`,
	`<w:styles xmlns:w="urn:w"><w:style w:styleId="A"><w:name w:val="a"/></w:style>`,              // unclosed root
	`<w:styles xmlns:w="urn:w"><w:style w:styleId="A"><w:name w:val="a"/></w:styl></w:styles>`,    // wrong local name
	`<w:styles xmlns:w="urn:w"><w:style w:styleId="A"><w:name w:val="a"/></x:style></w:styles>`,   // wrong prefix
	`<w:styles xmlns:w="urn:w"><w:style w:styleId="A"><w:name w:val="a"/></style></w:styles>`,     // no prefix
	`<w:styles xmlns:w="urn:w"></w:styles></w:styles>`,                                            // end without start
	`<w:styles xmlns:w="urn:w"><w:docDefaults><w:rPrDefault><w:rPr><w:b/></w:rPr></w:rPrDefault>`, // cut
	`<w:styles xmlns:w="urn:w" xmlns:v="urn:w"><v:style v:styleId="B" w:type="character"><w:name w:val="b"/><w:rPr><v:b w:val="0"/></w:rPr></v:style></w:styles>`,
	`<w:styles xmlns:w="urn:w"><mc:AlternateContent xmlns:mc="urn:mc"><mc:Choice><w:style w:styleId="C"/></mc:Choice><mc:Fallback><w:style w:styleId="D"/></mc:Fallback></mc:AlternateContent></w:styles>`,
	`<w:styles xmlns:w="urn:w"><w:style w:styleId="E">text &amp; &#x41;<w:name w:val="e"/></w:style></w:styles>`,
	`<w:styles xmlns:w="urn:w"><w:style w:styleId="F"><w:name w:val="f"/></w:style></w:styles><extra/>`,
	`<!DOCTYPE x [<!ENTITY a "b">]><w:styles/>`,
	`<?xml version="1.0" encoding="UTF-16"?><w:styles/>`,
	``,
	`<w:styles xmlns:w="urn:w"><w:style w:styleId="G"><w:name w:val="g"></w:style></w:styles>`,
	// The scanner's edges.
	`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\r\n" + `<w:styles xmlns:w='urn:w'><w:style w:styleId = 'H' w:type="character" ><w:name w:val="Rubrik ö"/><w:rPr><w:b w:val="false" /></w:rPr></w:style ></w:styles>`,
	`<?xml version="1.0" encoding="ISO-8859-1"?><w:styles/>`,
	`<?xml version="1.1"?><w:styles/>`,
	"\xEF\xBB\xBF<w:styles/>",
	` <w:styles/>`,
	`<w:styles><w:style w:styleId="I"w:type="paragraph"/></w:styles>`,
	`<w:styles><w:style w:styleId=I/></w:styles>`,
	`<w:styles><w:style w:styleId/></w:styles>`,
	`<w:styles><a:b:c/></w:styles>`,
	`<w:styles><1a/></w:styles>`,
	`<w:styles><w:style w:styleId="J` + "\t" + `K"/></w:styles>`,
	`<w:styles><w:style w:styleId="L&amp;M"/></w:styles>`,
	`<w:styles><w:style w:styleId="N<"/></w:styles>`,
	`<w:styles><w:style w:styleId="` + "\xff" + `"/></w:styles>`,
	`<w:styles><w:style w:styleId="O"/ ></w:styles>`,
	`<w:styles><!-- a comment --><w:style w:styleId="P"/></w:styles>`,
	`<w:styles><![CDATA[x]]><w:style w:styleId="Q"/></w:styles>`,
	`<w:styles>]]><w:style w:styleId="R"/></w:styles>`,
	`<w:styles>` + "\x01" + `</w:styles>`,
	`<w:styles><w:style w:styleId="S"></w:styles></w:style>`,
	`<w:styles><w:style w:styleId="T"><w:name w:val="t"/></w:style></w:styles  >`,
	`<w:styles><w:styl`,
	`<w:styles><w:style w:styleId="U" `,
	`<w:styles xmlns:w="urn:w"><w:style w:styleId="V"/></w:styles><w:style w:styleId="W"/>`,
	"\xEF\xBB\xBF" + `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles><w:style w:styleId="X"/></w:styles>`,
	`<w:styles><w:style w:styleId="a&amp;b&quot;c&apos;d&lt;e&gt;"><w:name w:val="&amp;&amp;"/></w:style></w:styles>`,
	`<w:styles><w:style w:styleId="&#65;"/></w:styles>`,
	`<w:styles><w:style w:styleId="&nbsp;"/></w:styles>`,
	`<w:styles><w:style w:styleId="&amp"/></w:styles>`,
}

// localNames (RawToken and next's own nesting checks) parses every styles
// and numbering part exactly as Token does: the same styles and lists, or
// the same error, for the edge cases above, the fixtures and the shared
// corpus's parts.
func TestLocalNamesMatchToken(t *testing.T) {
	parts := map[string][]byte{}
	for i, s := range docxLocalEdgeCases {
		parts["edge "+strings.Repeat("#", i)] = []byte(s)
	}
	var files []string
	files, _ = filepath.Glob(filepath.Join("testdata", "*.docx"))
	if root, ok := corpus.Dir(); ok {
		more, _ := filepath.Glob(filepath.Join(root, "docx", "*.docx"))
		files = append(files, more...)
	}
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			continue
		}
		for _, f := range zr.File {
			if n := strings.ToLower(f.Name); !strings.HasSuffix(n, "styles.xml") && !strings.HasSuffix(n, "numbering.xml") || f.UncompressedSize64 > 8<<20 {
				continue
			}
			rc, err := f.Open()
			if err != nil {
				continue
			}
			b, _ := io.ReadAll(rc)
			rc.Close()
			parts[filepath.Base(path)+":"+f.Name] = b
		}
	}
	fast := 0
	for name, data := range parts {
		for _, lim := range []extractor.Limits{extractor.DefaultLimits(), {MaxXMLDepth: 3, MaxXMLElements: 40}} {
			got := docxParseBoth(data, lim, true)
			want := docxParseBoth(data, lim, false)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s (limits %d/%d): local names\n%+v\nToken\n%+v", name, lim.MaxXMLDepth, lim.MaxXMLElements, got, want)
			}
			scanned, ok := docxScanStyles(data, lim)
			if !ok {
				continue
			}
			fast++
			if s := (docxParsed{styles: scanned.styles, stylesErr: scanned.err}); !reflect.DeepEqual(s.styles, want.styles) || s.stylesErr != want.stylesErr {
				t.Errorf("%s (limits %d/%d): scanner\n%+v %q\nToken\n%+v %q", name, lim.MaxXMLDepth, lim.MaxXMLElements, s.styles, s.stylesErr, want.styles, want.stylesErr)
			}
		}
	}
	if fast < 10 {
		t.Errorf("the scanner read only %d parts to the end", fast)
	}
	t.Logf("%d parts, %d read to the end by the scanner", 2*len(parts), fast)
}

type docxScanned struct {
	styles *docxStyles
	err    string
}

// docxScanStyles parses data with the scanner only; ok is false when the
// scanner gave up (docxParseStyles would then use encoding/xml).
func docxScanStyles(data []byte, lim extractor.Limits) (docxScanned, bool) {
	styles := &docxStyles{byID: map[string]*docxStyle{}}
	err := styles.parse(&docxXML{part: "word/styles.xml", lim: lim, scan: newDocxScanner(data)})
	if errors.Is(err, errDocxScanOff) {
		return docxScanned{}, false
	}
	out := docxScanned{styles: styles}
	if err = docxParseErr("word/styles.xml", err); err != nil {
		out.err = err.Error()
	}
	return out, true
}

// FuzzStylesScanner: wherever the scanner reads a styles part to the end,
// encoding/xml reads it to the same styles or error.
//
//	go test ./extractor/docx -run '^$' -fuzz FuzzStylesScanner -fuzztime 5m
func FuzzStylesScanner(f *testing.F) {
	for _, s := range docxLocalEdgeCases {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		lim := extractor.Limits{MaxXMLDepth: 8, MaxXMLElements: 200}.WithDefaults()
		scanned, ok := docxScanStyles(data, lim)
		if !ok {
			return
		}
		want := docxParseBoth(data, lim, false)
		if !reflect.DeepEqual(scanned.styles, want.styles) || scanned.err != want.stylesErr {
			t.Fatalf("scanner\n%+v %q\nencoding/xml\n%+v %q", scanned.styles, scanned.err, want.styles, want.stylesErr)
		}
	})
}

type docxParsed struct {
	styles    *docxStyles
	stylesErr string
	numbering *docxNumbering
	numErr    string
}

// docxParseBoth parses data as a styles part and as a numbering part,
// with or without localNames.
func docxParseBoth(data []byte, lim extractor.Limits, local bool) docxParsed {
	defer func(v bool) { docxRawTokens = v }(docxRawTokens)
	docxRawTokens = local
	var out docxParsed
	out.styles = &docxStyles{byID: map[string]*docxStyle{}}
	if err := docxParseXML(bytes.NewReader(data), "word/styles.xml", lim, out.styles.parse); err != nil {
		out.stylesErr = err.Error()
	}
	out.numbering = &docxNumbering{abstract: map[string]*docxAbstractNum{}, nums: map[string]*docxNum{}}
	if err := docxParseXML(bytes.NewReader(data), "word/numbering.xml", lim, out.numbering.parse); err != nil {
		out.numErr = err.Error()
	}
	return out
}
