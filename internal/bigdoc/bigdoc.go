// Package bigdoc makes real documents that are too much to read: valid
// .docx files of hundreds of thousands of paragraphs, for the tests of
// the time and memory limits of the reading processes.
package bigdoc

import (
	"archive/zip"
	"bytes"
)

// DOCX is a Word file of n one-line paragraphs: about 60 bytes of XML
// and four elements each, so it stays within the extractor's limits up
// to half a million paragraphs and takes about 3 ms per thousand to
// read (400 000: over a second).
func DOCX(n int) []byte {
	return docx(n, []byte(`<w:p><w:r><w:t>Insatsens mål och syfte.</w:t></w:r></w:p>`))
}

// DOCXText is a Word file holding about textBytes of text in few
// elements: paragraphs of 64 KB each. Text this repetitive packs small
// (30 MB of text in about 100 KB of file), so it passes every limit on
// the file and its package, and only the limits on what the document
// holds stop it.
func DOCXText(textBytes int) []byte {
	const para = 64 << 10
	line := []byte("Insatsen ska ge deltagarna stöd mot arbete och studier. ") // 57 bytes
	text := bytes.Repeat(line, para/len(line))
	p := append(append([]byte(`<w:p><w:r><w:t>`), text...), `</w:t></w:r></w:p>`...)
	return docx(max(textBytes/len(text), 1), p)
}

func docx(n int, paragraph []byte) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	part := func(name string, body ...[]byte) {
		w, err := zw.Create(name)
		if err != nil {
			panic(err) // a bytes.Buffer does not fail
		}
		for _, b := range body {
			w.Write(b)
		}
	}
	part("[Content_Types].xml", []byte(`<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`))
	part("_rels/.rels", []byte(`<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`))
	part("word/document.xml",
		[]byte(`<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`),
		bytes.Repeat(paragraph, n),
		[]byte(`</w:body></w:document>`))
	if err := zw.Close(); err != nil {
		panic(err)
	}
	return buf.Bytes()
}
