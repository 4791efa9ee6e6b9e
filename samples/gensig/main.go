// Command gensig makes the digitally signed samples: it signs a
// committed sample PDF for each of its parties, one incremental update
// per signature in the order the parties signed (as an e-signature
// service does), with certificates issued by a test CA it makes, and
// writes the ground truth (samples/gold) beside them: the original's
// gold with each signature block's `digital` set to its signature (or,
// for a sample signed through a verification page, its `verification`
// set to its signer on the page).
//
// Everything is deterministic (keys from a seeded generator, fixed
// times), so the committed outputs are what gensig writes, byte for
// byte (TestUpToDate). The test CA's certificate is written to
// samples/gensig/testca.pem: a --trust-dir for the signed samples.
// The keys are test keys anyone can make again: never trust testca.pem
// outside tests.
//
// Run from the repository root: go run ./samples/gensig
package main

import (
	"bytes"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/finsam/ansokan/score"
	"github.com/xuri/excelize/v2"
)

// spec is one signed sample.
type spec struct {
	stem string // output stem
	src  string // the sample PDF signed, and the stem of its gold
	// change, when set, appends an incremental update after the
	// signatures (a change after signing) and says what the gold
	// expects of it.
	change func(pdf []byte) ([]byte, error)
	// findings are the findings the signed sample's record must have
	// beyond the original PDF's (none when signed as it should be).
	findings []score.GoldFinding
	complete bool
	// verifikat: the parties do not sign themselves; a verification
	// page lists them and the service seals the file.
	verifikat bool
}

var specs = []spec{
	// Signed with a Scrive-style service: the service seals the document
	// (one signature, its own certificate) and appends a verification
	// page listing the parties who signed, which is how the parties are
	// matched.
	{stem: "a-sprangbradan-verifikat", src: "a-sprangbradan", verifikat: true, complete: true},
	{stem: "a-sprangbradan-esign", src: "a-sprangbradan", complete: true},
	{stem: "a-sprangbradan-esign-andrad", src: "a-sprangbradan", change: addPage,
		findings: []score.GoldFinding{
			{Code: "signature.digital_invalid", Subject: ptr("Helena Norberg")},
			{Code: "signature.digital_invalid", Subject: ptr("Johan Ekström")},
			{Code: "signature.digital_invalid", Subject: ptr("Sara Lindgren")},
			{Code: "signature.digital_invalid", Subject: ptr("Mikael Holm")},
		}},
}

func ptr[T any](v T) *T { return &v }

// Fixed times: the CA's and the certificates' validity, and the hour of
// the day each party signs on the date its block gives (Swedish summer
// time in October until the last Sunday).
var (
	caFrom   = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	caTo     = time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC)
	certFrom = time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	certTo   = time.Date(2036, 1, 1, 0, 0, 0, 0, time.UTC)
	cest     = time.FixedZone("CEST", 2*3600)
)

func main() {
	samples := flag.String("samples", "samples", "the samples `DIR` (its gold/ and gensig/ too)")
	out := flag.String("out", "", "write to `DIR` (DIR/gold, DIR/gensig) instead of the samples folder")
	flag.Parse()
	if *out == "" {
		*out = *samples
	}
	if err := generate(*samples, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gensig:", err)
		os.Exit(1)
	}
}

// generate writes every spec's signed PDF and gold, and the test CA's
// certificate, from the samples in dir to out.
func generate(dir, out string) error {
	ca, err := newCA("Ansokan Test CA", caFrom, caTo)
	if err != nil {
		return err
	}
	for _, sub := range []string{"gold", "gensig"} {
		if err := os.MkdirAll(filepath.Join(out, sub), 0o755); err != nil {
			return err
		}
	}
	caPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.cert.Raw})
	if err := os.WriteFile(filepath.Join(out, "gensig", "testca.pem"), caPEM, 0o644); err != nil {
		return err
	}
	for _, s := range specs {
		if err := make1(dir, out, s, ca); err != nil {
			return fmt.Errorf("%s: %w", s.stem, err)
		}
	}
	return nil
}

func make1(dir, out string, s spec, ca party) error {
	pdf, err := os.ReadFile(filepath.Join(dir, s.src+".pdf"))
	if err != nil {
		return err
	}
	b, err := os.ReadFile(filepath.Join(dir, "gold", s.src+".json"))
	if err != nil {
		return err
	}
	var gold score.Gold
	if err := json.Unmarshal(b, &gold); err != nil {
		return fmt.Errorf("gold/%s.json: %w", s.src, err)
	}
	if s.verifikat {
		if pdf, err = verifikat(pdf, &gold, ca); err != nil {
			return err
		}
	}
	for i, blk := range gold.Signatures {
		if s.verifikat {
			break
		}
		if blk.Name == nil || blk.Organisation == nil || blk.Email == nil || blk.Date == nil {
			return fmt.Errorf("gold/%s.json: signature %d lacks a name, organisation, e-mail or date", s.src, i+1)
		}
		// The certificate names the person, not the title after the comma.
		cn, _, _ := strings.Cut(*blk.Name, ",")
		p, err := issue(ca, int64(100+i), strings.TrimSpace(cn), *blk.Organisation, *blk.Email, certFrom, certTo)
		if err != nil {
			return err
		}
		day, err := time.ParseInLocation("2006-01-02", *blk.Date, cest)
		if err != nil {
			return fmt.Errorf("gold/%s.json: signature %d: %w", s.src, i+1, err)
		}
		at := day.Add(10*time.Hour + time.Duration(i)*17*time.Minute)
		field := fmt.Sprintf("Underskrift%d", i+1)
		if pdf, err = sign(pdf, signing{field: field, p: p, chain: []*x509.Certificate{ca.cert}, at: at}); err != nil {
			return err
		}
		gold.Signatures[i].Digital = ptr(i)
	}
	if s.change != nil {
		if pdf, err = s.change(pdf); err != nil {
			return err
		}
	}
	// The submission is the signed PDF and the original's budget
	// workbook: the original's findings, and those the signing adds.
	gold.Findings = append(gold.Findings, s.findings...)
	gold.Complete = ptr(gold.Complete != nil && *gold.Complete && s.complete)
	if err := os.WriteFile(filepath.Join(out, s.stem+".pdf"), pdf, 0o644); err != nil {
		return err
	}
	if err := copyBudget(filepath.Join(dir, s.src+"-budget.xlsx"), filepath.Join(out, s.stem+"-budget.xlsx"), s.stem); err != nil {
		return err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(gold); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(out, "gold", s.stem+".json"), buf.Bytes(), 0o644)
}

// addPage appends, after the signatures, an incremental update that adds
// a page ("Reviderad budget") to the end of the document: content
// changed after signing.
func addPage(pdf []byte) ([]byte, error) {
	return addTextPage(pdf, []string{"Reviderad budget efter underskrift: 2 573 600 kr"})
}

// addTextPage appends an incremental update that adds a page with lines
// of text (Helvetica, WinAnsiEncoding) to the end of the document.
func addTextPage(pdf []byte, lines []string) ([]byte, error) {
	t, err := lastTrailer(pdf)
	if err != nil {
		return nil, err
	}
	cat, err := objectBody(pdf, t.root)
	if err != nil {
		return nil, err
	}
	m := rePages.FindStringSubmatch(cat)
	if m == nil {
		return nil, fmt.Errorf("the catalog has no /Pages")
	}
	var pagesNum int
	fmt.Sscanf(m[1], "%d", &pagesNum)
	pages, err := objectBody(pdf, pagesNum)
	if err != nil {
		return nil, err
	}
	page, content, font := t.size, t.size+1, t.size+2
	k := reKids.FindStringSubmatchIndex(pages)
	c := reCount.FindStringSubmatchIndex(pages)
	if k == nil || c == nil {
		return nil, fmt.Errorf("page tree object %d without /Kids or /Count", pagesNum)
	}
	var count int
	fmt.Sscanf(pages[c[2]:c[3]], "%d", &count)
	pages = pages[:k[3]] + fmt.Sprintf(" %d 0 R ", page) + pages[k[3]:c[2]] + fmt.Sprint(count+1) + pages[c[3]:]
	var cs strings.Builder
	cs.WriteString("BT /F1 11 Tf 15 TL 72 770 Td\n")
	for _, l := range lines {
		cs.WriteString("(")
		for _, r := range l {
			switch {
			case r == '(' || r == ')' || r == '\\':
				cs.WriteString("\\" + string(r))
			case r < 0x80:
				cs.WriteRune(r)
			case r <= 0xff:
				fmt.Fprintf(&cs, "\\%03o", r)
			default:
				return nil, fmt.Errorf("%q is not in WinAnsiEncoding", r)
			}
		}
		cs.WriteString(") Tj T*\n")
	}
	cs.WriteString("ET")
	text := cs.String()
	return appendUpdate(pdf, map[int]string{
		pagesNum: pages,
		page:     fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R /Resources << /Font << /F1 %d 0 R >> >> >>", pagesNum, content, font),
		content:  fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(text), text),
		font:     "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
	})
}

var (
	rePages = regexp.MustCompile(`/Pages\s+(\d+)\s+0\s+R`)
	reKids  = regexp.MustCompile(`/Kids\s*\[([^\]]*)\]`)
	reCount = regexp.MustCompile(`/Count\s+(\d+)`)
)

// copyBudget puts the original's budget workbook beside the signed PDF,
// with the document title marking it as the signed sample's: a
// byte-identical copy would be the same file to every content-addressed
// store (the queue keeps one copy of equal files).
func copyBudget(src, dst, stem string) error {
	wb, err := excelize.OpenFile(src)
	if err != nil {
		return err
	}
	defer wb.Close()
	if err := wb.SetDocProps(&excelize.DocProperties{Title: "Budget (" + stem + ")"}); err != nil {
		return err
	}
	return wb.SaveAs(dst)
}

// verifikat appends a Scrive-style verification page listing the gold's
// signers (name, organisation, e-mail, the time each signed), then seals
// the file with the service's signature, and sets each gold block's
// verification to its signer on the page (the seal, the one entry in
// digital_signatures, is no block's).
func verifikat(pdf []byte, gold *score.Gold, ca party) ([]byte, error) {
	lines := []string{
		"Verifikat",
		"Transaktion 09222115557429823671",
		"Dokument",
		"Ansökan Språngbrädan",
		"Huvuddokument",
		"7 sidor",
		"Signerande parter",
	}
	var events []string
	for i, blk := range gold.Signatures {
		if blk.Name == nil || blk.Organisation == nil || blk.Email == nil || blk.Date == nil {
			return nil, fmt.Errorf("signature %d lacks a name, organisation, e-mail or date", i+1)
		}
		name, _, _ := strings.Cut(*blk.Name, ",")
		day, err := time.ParseInLocation("2006-01-02", *blk.Date, cest)
		if err != nil {
			return nil, err
		}
		at := day.Add(10*time.Hour+time.Duration(i)*17*time.Minute).Format("2006-01-02 15:04:05") + " CEST (+0200)"
		lines = append(lines, strings.TrimSpace(name), *blk.Organisation, *blk.Email, "Signerade "+at)
		events = append(events, strings.TrimSpace(name)+" signerade "+at)
		gold.Signatures[i].Verification = ptr(i)
		// The page is an e-signature service's evidence: every block
		// reads as e-signed (README, "E-signatures").
		gold.Signatures[i].Electronic = true
	}
	lines = append(append(lines, "Händelsehistorik"), events...)
	pdf, err := addTextPage(pdf, lines)
	if err != nil {
		return nil, err
	}
	seal, err := issue(ca, 99, "Scrive eSign", "Scrive AB", "noreply@scrive.com", certFrom, certTo)
	if err != nil {
		return nil, err
	}
	last := gold.Signatures[len(gold.Signatures)-1].Date
	day, _ := time.ParseInLocation("2006-01-02", *last, cest)
	return sign(pdf, signing{field: "Scrive", p: seal, chain: []*x509.Certificate{ca.cert}, at: day.Add(11 * time.Hour)})
}
