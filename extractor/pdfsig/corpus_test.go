// The corpus's DSS files carry certificates with a negative serial number,
// which crypto/x509 refuses since Go 1.23; cmd/ansokan accepts them with
// the same directive (see README, "Digital signatures").
//
//go:debug x509negativeserial=1
package pdfsig

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/finsam/ansokan/internal/corpus"
)

// TestCorpusSigned compares the verdicts on the shared corpus's signed
// PDFs with poppler's pdfsig as recorded in its MANIFEST.tsv
// (expected_outcome: "pdfsig: N signatures - #1 …; Signature is Valid.
// …; total document signed | #2 …"): the number of signatures, intact
// where pdfsig verified the signature ("Signature is Valid" / "Digest
// Mismatch"), and the whole document signed. Known disagreements are
// listed in corpusDisagree with the reason.
func TestCorpusSigned(t *testing.T) {
	dir, ok := corpus.Dir()
	if !ok {
		t.Skip("no shared corpus (set " + corpus.Env + ")")
	}
	entries, err := corpus.Manifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	count := regexp.MustCompile(`pdfsig: (\d+|no) signature`)
	n := 0
	for _, e := range entries {
		if !strings.Contains(";"+e.Category+";", ";signed;") {
			continue
		}
		t.Run(filepath.Base(e.Path), func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, e.Path))
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			got := VerifyBytes(data, Options{})
			el := time.Since(start)
			out := e.Fields["expected_outcome"]
			m := count.FindStringSubmatch(out)
			if m == nil {
				t.Skipf("no pdfsig outcome in the manifest: %q", out)
			}
			pop := popplerManifest(out)
			if m[1] == "no" {
				pop = nil
			}
			for i, g := range got {
				t.Logf("#%d field=%q signer=%q intact=%v (%s) covers=%v rev=%d/%d certValid=%v at=%s changed=%q", i+1, g.Field, g.Signer,
					g.Intact, g.Detail, g.CoversDocument, g.Revision, len(revisionEnds(data)), g.CertValid, g.SignedAt, g.ChangedAfter)
			}
			t.Logf("%d bytes in %v", len(data), el)
			if why, ok := corpusDisagree[filepath.Base(e.Path)]; ok {
				t.Skipf("known disagreement with pdfsig: %s", why)
			}
			if len(pop) != len(got) {
				t.Fatalf("pdfsig sees %d signatures, we %d", len(pop), len(got))
			}
			used := make([]bool, len(got))
			for i, p := range pop {
				// pdfsig lists in field order, we in file order: pair by
				// signing time, else the first unpaired.
				k := -1
				for j, g := range got {
					if !used[j] && p.at != "" && utc(g.SignedAt) == p.at {
						k = j
						break
					}
				}
				for j := range got {
					if k < 0 && !used[j] {
						k = j
					}
				}
				used[k] = true
				g := got[k]
				if p.verified && p.intact != g.Intact {
					t.Errorf("#%d: pdfsig intact %v, ours %v (%s)", i+1, p.intact, g.Intact, g.Detail)
				}
				ours := g.CoversDocument && g.Revision == len(revisionEnds(data))
				if p.total != ours {
					t.Errorf("#%d: pdfsig total document signed %v, ours %v (covers %v, revision %d of %d: %s)",
						i+1, p.total, ours, g.CoversDocument, g.Revision, len(revisionEnds(data)), g.ChangedAfter)
				}
			}
		})
		n++
	}
	t.Logf("%d signed corpus files", n)
}

// corpusDisagree names the corpus files where ansokan and pdfsig differ
// on purpose, and why.
var corpusDisagree = map[string]string{
	"pdfcpu--signed-x509-rsa-sha1-sample01.pdf": "adbe.x509.rsa_sha1 (a raw RSA signature, not CMS) is not supported: not intact; poppler cannot parse it either",
	"pdfjs--signed_verified.pdf":                "pdfsig takes the SHA-1 of SignedData.digestAlgorithms and reports a digest mismatch; the SignerInfo's messageDigest is the SHA-256 of the signed ranges, so the signature is intact",
	"dss--pades_infinite_loop.pdf":              "pdfsig finds no signature field (the field tree is a cycle); the byte scan finds the signature dictionary, whose byte range does not fit the file: not intact",
}

type manifestVerdict struct {
	verified, intact, total bool
	at                      string // "Jan 04 2021 19:11:51"
}

func utc(rfc string) string {
	t, err := time.Parse(time.RFC3339, rfc)
	if err != nil {
		return ""
	}
	return t.UTC().Format("Jan 02 2006 15:04:05")
}

var popTime = regexp.MustCompile(`([A-Z][a-z]{2} \d{2} \d{4} \d{2}:\d{2}:\d{2}) UTC`)

// repeated is the manifest's abbreviation of many alike signatures:
// "| 23 x (CN …; Signature is Valid. …) [#2 …]".
var repeated = regexp.MustCompile(`\| (\d+) x \(((?:[^()]|\([^()]*\))*)\)(?: \[[^\]]*\])?`)

func popplerManifest(out string) []manifestVerdict {
	out, _, _ = strings.Cut(out, "Source suite:")
	out = repeated.ReplaceAllStringFunc(out, func(m string) string {
		g := repeated.FindStringSubmatch(m)
		n, _ := strconv.Atoi(g[1])
		return strings.Repeat("| #0 "+g[2]+" ", n)
	})
	var vs []manifestVerdict
	for _, part := range regexp.MustCompile(`#\d+ `).Split(out, -1)[1:] {
		var v manifestVerdict
		switch {
		case strings.Contains(part, "Signature is Valid"):
			v.verified, v.intact = true, true
		case strings.Contains(part, "Digest Mismatch"):
			v.verified = true
		}
		if m := popTime.FindStringSubmatch(part); m != nil {
			v.at = m[1]
		}
		v.total = strings.Contains(part, "total document signed") && !strings.Contains(part, "not total document signed")
		vs = append(vs, v)
	}
	return vs
}
