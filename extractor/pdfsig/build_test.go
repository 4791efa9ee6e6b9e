package pdfsig

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smallstep/pkcs7"
)

// This file builds the test fixtures: a test CA, signer certificates and
// PDFs signed by incremental updates, all made by the test code.

type party struct {
	cert *x509.Certificate
	key  *rsa.PrivateKey
}

var (
	caOnce sync.Once
	ca     party
	keys   []*rsa.PrivateKey
	keyN   int
	keyMu  sync.Mutex
)

func newKey(t testing.TB) *rsa.PrivateKey {
	keyMu.Lock()
	defer keyMu.Unlock()
	if keyN < len(keys) {
		keyN++
		return keys[keyN-1]
	}
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	keys = append(keys, k)
	keyN++
	return k
}

func testCA(t testing.TB) party {
	caOnce.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		tmpl := &x509.Certificate{
			SerialNumber:          big.NewInt(1),
			Subject:               pkix.Name{CommonName: "Ansokan Test CA", Organization: []string{"Ansokan Test"}},
			NotBefore:             time.Now().Add(-48 * time.Hour),
			NotAfter:              time.Now().Add(10 * 365 * 24 * time.Hour),
			IsCA:                  true,
			BasicConstraintsValid: true,
			KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
		if err != nil {
			panic(err)
		}
		c, _ := x509.ParseCertificate(der)
		ca = party{c, k}
	})
	return ca
}

var serial int64 = 100

// newSigner issues a certificate from the test CA valid from notBefore to
// notAfter.
func newSigner(t testing.TB, cn, org, email string, notBefore, notAfter time.Time) party {
	t.Helper()
	c := testCA(t)
	k := newKey(t)
	keyMu.Lock()
	serial++
	sn := serial
	keyMu.Unlock()
	tmpl := &x509.Certificate{
		SerialNumber:   big.NewInt(sn),
		Subject:        pkix.Name{CommonName: cn, Organization: []string{org}},
		EmailAddresses: []string{email},
		NotBefore:      notBefore,
		NotAfter:       notAfter,
		KeyUsage:       x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, c.cert, &k.PublicKey, c.key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	return party{cert, k}
}

// basePDF is a one-page PDF with a classic cross-reference table.
func basePDF() []byte {
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		stream("BT /F1 12 Tf 72 720 Td (Ansokan om medel) Tj ET"),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	x := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, x)
	return b.Bytes()
}

func stream(s string) string {
	return fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(s), s)
}

// lastXref and size read the previous revision's startxref and /Size.
func lastXref(pdf []byte) int {
	i := bytes.LastIndex(pdf, []byte("startxref"))
	var n int
	fmt.Sscanf(string(pdf[i+len("startxref"):]), "%d", &n)
	return n
}

// maxObj is the highest object number in use: seen as "N G obj" or
// below the last trailer's /Size (objects in object streams are not seen).
func maxObj(pdf []byte) int {
	m := 0
	for _, o := range objects(pdf, 0, len(pdf)) {
		m = max(m, o.num)
	}
	if i := bytes.LastIndex(pdf, []byte("/Size ")); i >= 0 {
		var n int
		fmt.Sscanf(string(pdf[i+len("/Size "):]), "%d", &n)
		m = max(m, n-1)
	}
	return m
}

// root is the last trailer's /Root reference.
func root(pdf []byte) string {
	i := bytes.LastIndex(pdf, []byte("/Root "))
	var n, g int
	fmt.Sscanf(string(pdf[i+len("/Root "):]), "%d %d", &n, &g)
	return fmt.Sprintf("%d %d R", n, g)
}

// appendUpdate appends an incremental update defining the given objects.
func appendUpdate(pdf []byte, objs map[int]string) []byte {
	var b bytes.Buffer
	b.Write(pdf)
	prev := lastXref(pdf)
	nums := make([]int, 0, len(objs))
	for n := range objs {
		nums = append(nums, n)
	}
	sortInts(nums)
	offs := map[int]int{}
	for _, n := range nums {
		offs[n] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", n, objs[n])
	}
	x := b.Len()
	b.WriteString("xref\n0 1\n0000000000 65535 f \n")
	for _, n := range nums {
		fmt.Fprintf(&b, "%d 1\n%010d 00000 n \n", n, offs[n])
	}
	size := max(maxObj(pdf), nums[len(nums)-1]) + 1
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root %s /Prev %d >>\nstartxref\n%d\n%%%%EOF\n", size, root(pdf), prev, x)
	return b.Bytes()
}

func sortInts(s []int) {
	for i := range s {
		for j := i + 1; j < len(s); j++ {
			if s[j] < s[i] {
				s[i], s[j] = s[j], s[i]
			}
		}
	}
}

const placeholder = 8192 // bytes of CMS room in /Contents

// signOpts shapes one signing.
type signOpts struct {
	field string
	p     party
	// fields lists the signature fields already in the document, for the
	// AcroForm's /Fields.
	fields []int
	// tamper changes the CMS after signing (a broken blob).
	tamper func(cms []byte) []byte
	// gap widens the byte range's gap by this many bytes on each side.
	gap int
	// bare adds only the signature dictionary and its field, leaving the
	// catalog and the page alone: for signing a PDF made elsewhere.
	bare bool
}

// sign appends an incremental update with a signature field and
// dictionary, computes the byte range and writes the detached CMS into
// /Contents. It returns the PDF and the new field's object number.
func sign(t testing.TB, pdf []byte, o signOpts) ([]byte, int) {
	t.Helper()
	n := maxObj(pdf)
	sigNum, fieldNum := n+1, n+2
	fields := append(append([]int{}, o.fields...), fieldNum)
	var refs []string
	for _, f := range fields {
		refs = append(refs, fmt.Sprintf("%d 0 R", f))
	}
	brHolder := "/ByteRange [0 0000000000 0000000000 0000000000]"
	update := map[int]string{
		1: fmt.Sprintf("<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [%s] /SigFlags 3 >> >>", strings.Join(refs, " ")),
		3: fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> /Annots [%s] >>", strings.Join(refs, " ")),
		sigNum: fmt.Sprintf("<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached %s /Contents <%s> /M (D:20260301120000+01'00') >>",
			brHolder, strings.Repeat("0", 2*placeholder)),
		fieldNum: fmt.Sprintf("<< /Type /Annot /Subtype /Widget /FT /Sig /T (%s) /V %d 0 R /F 132 /Rect [0 0 0 0] /P 3 0 R >>", o.field, sigNum),
	}
	if o.bare {
		delete(update, 1)
		delete(update, 3)
	}
	out := appendUpdate(pdf, update)
	start := bytes.Index(out[len(pdf):], []byte(brHolder)) + len(pdf)
	cstart := bytes.Index(out[start:], []byte("/Contents <")) + start + len("/Contents ")
	cend := cstart + 2*placeholder + 2
	b, c := cstart-o.gap, cend+o.gap
	br := fmt.Sprintf("/ByteRange [0 %d %d %d]", b, c, len(out)-c)
	br += strings.Repeat(" ", len(brHolder)-len(br))
	copy(out[start:], br)
	content := append(append([]byte{}, out[:b]...), out[c:]...)
	sd, err := pkcs7.NewSignedData(content)
	if err != nil {
		t.Fatal(err)
	}
	sd.SetDigestAlgorithm(pkcs7.OIDDigestAlgorithmSHA256)
	if err := sd.AddSignerChain(o.p.cert, o.p.key, []*x509.Certificate{testCA(t).cert}, pkcs7.SignerInfoConfig{}); err != nil {
		t.Fatal(err)
	}
	sd.Detach()
	cms, err := sd.Finish()
	if err != nil {
		t.Fatal(err)
	}
	if o.tamper != nil {
		cms = o.tamper(cms)
	}
	h := hex.EncodeToString(cms)
	copy(out[cstart+1:], h)
	return out, fieldNum
}

func base64Std(b []byte) string { return base64.StdEncoding.EncodeToString(b) }
