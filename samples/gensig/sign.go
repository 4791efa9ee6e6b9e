package main

import (
	"bytes"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"fmt"
	"math/big"
	"math/rand/v2"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// This file signs a PDF the way an e-signature service does (an
// incremental update with a signature field and a PAdES-style detached
// CMS), with everything fixed so that the output is the same bytes on
// every run: the keys come from a seeded generator, the CMS is written
// here with a given signing time (smallstep/pkcs7 stamps time.Now), and
// RSA PKCS #1 v1.5 signatures are deterministic.

// party is a key and its certificate.
type party struct {
	cert *x509.Certificate
	key  *rsa.PrivateKey
}

// deterministicKey makes a 2048-bit RSA key from seed. Test keys only:
// anyone can make the same key from the same seed.
func deterministicKey(seed string) (*rsa.PrivateKey, error) {
	h := sha256.Sum256([]byte("ansokan gensig " + seed))
	r := rand.NewChaCha8(h)
	e := big.NewInt(65537)
	one := big.NewInt(1)
	prime := func() *big.Int {
		buf := make([]byte, 128)
		for {
			r.Read(buf)
			buf[0] |= 0xC0
			buf[len(buf)-1] |= 1
			p := new(big.Int).SetBytes(buf)
			for !p.ProbablyPrime(20) {
				p.Add(p, big.NewInt(2))
			}
			if new(big.Int).Mod(new(big.Int).Sub(p, one), e).Sign() != 0 {
				return p
			}
		}
	}
	p, q := prime(), prime()
	if p.Cmp(q) == 0 {
		return nil, fmt.Errorf("gensig: key %q: equal primes", seed)
	}
	phi := new(big.Int).Mul(new(big.Int).Sub(p, one), new(big.Int).Sub(q, one))
	d := new(big.Int).ModInverse(e, phi)
	k := &rsa.PrivateKey{PublicKey: rsa.PublicKey{N: new(big.Int).Mul(p, q), E: 65537}, D: d, Primes: []*big.Int{p, q}}
	k.Precompute()
	if err := k.Validate(); err != nil {
		return nil, fmt.Errorf("gensig: key %q: %w", seed, err)
	}
	return k, nil
}

// newCA makes the test CA: "Ansokan Test CA" (test certificates only).
func newCA(seed string, from, to time.Time) (party, error) {
	k, err := deterministicKey(seed)
	if err != nil {
		return party{}, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "Ansokan Test CA", Organization: []string{"Ansokan Test (inte en riktig utfärdare)"}},
		NotBefore:             from,
		NotAfter:              to,
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(nil, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		return party{}, fmt.Errorf("gensig: CA: %w", err)
	}
	c, err := x509.ParseCertificate(der)
	return party{c, k}, err
}

// issue makes a signer's certificate from ca.
func issue(ca party, serial int64, cn, org, email string, from, to time.Time) (party, error) {
	k, err := deterministicKey(cn + " " + email)
	if err != nil {
		return party{}, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:   big.NewInt(serial),
		Subject:        pkix.Name{CommonName: cn, Organization: []string{org}},
		EmailAddresses: []string{email},
		NotBefore:      from,
		NotAfter:       to,
		KeyUsage:       x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
	}
	der, err := x509.CreateCertificate(nil, tmpl, ca.cert, &k.PublicKey, ca.key)
	if err != nil {
		return party{}, fmt.Errorf("gensig: certificate of %s: %w", cn, err)
	}
	c, err := x509.ParseCertificate(der)
	return party{c, k}, err
}

// DER writing: a tag, its length and the content.
func tlv(tag byte, parts ...[]byte) []byte {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	out := []byte{tag}
	switch {
	case n < 0x80:
		out = append(out, byte(n))
	case n < 0x100:
		out = append(out, 0x81, byte(n))
	case n < 0x10000:
		out = append(out, 0x82, byte(n>>8), byte(n))
	default:
		out = append(out, 0x83, byte(n>>16), byte(n>>8), byte(n))
	}
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func seq(parts ...[]byte) []byte { return tlv(0x30, parts...) }

// set is a DER SET OF: its elements sorted by their encodings.
func set(parts ...[]byte) []byte {
	s := slices.Clone(parts)
	slices.SortFunc(s, bytes.Compare)
	return tlv(0x31, s...)
}

func mustDER(v any) []byte {
	b, err := asn1.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

var (
	oidData          = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
	oidSignedData    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}
	oidContentType   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 3}
	oidMessageDigest = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 4}
	oidSigningTime   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 5}
	oidSHA256        = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
	oidRSA           = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}
	derNull          = []byte{0x05, 0x00}
)

// detachedCMS is a CMS SignedData over content (not included) by p, its
// chain, with the signed attributes contentType, messageDigest and
// signingTime.
func detachedCMS(content []byte, p party, chain []*x509.Certificate, at time.Time) ([]byte, error) {
	digest := sha256.Sum256(content)
	attrs := [][]byte{
		seq(mustDER(oidContentType), set(mustDER(oidData))),
		seq(mustDER(oidMessageDigest), set(mustDER(digest[:]))),
		seq(mustDER(oidSigningTime), set(mustDER(at.UTC()))),
	}
	signedAttrs := set(attrs...)
	h := sha256.Sum256(signedAttrs)
	sig, err := rsa.SignPKCS1v15(nil, p.key, crypto.SHA256, h[:])
	if err != nil {
		return nil, fmt.Errorf("gensig: signing: %w", err)
	}
	sha256Alg := seq(mustDER(oidSHA256))
	signerInfo := seq(
		mustDER(1),
		seq(p.cert.RawIssuer, mustDER(p.cert.SerialNumber)),
		sha256Alg,
		tlv(0xA0, signedAttrs[len(signedAttrs)-contentLen(signedAttrs):]),
		seq(mustDER(oidRSA), derNull),
		mustDER(sig),
	)
	certs := [][]byte{p.cert.Raw}
	for _, c := range chain {
		certs = append(certs, c.Raw)
	}
	signedData := seq(
		mustDER(1),
		set(sha256Alg),
		seq(mustDER(oidData)),
		tlv(0xA0, certs...),
		set(signerInfo),
	)
	return seq(mustDER(oidSignedData), tlv(0xA0, signedData)), nil
}

// contentLen is the length of a DER element's content.
func contentLen(der []byte) int {
	if der[1] < 0x80 {
		return int(der[1])
	}
	n := 0
	for _, b := range der[2 : 2+int(der[1]&0x7f)] {
		n = n<<8 | int(b)
	}
	return n
}

// The PDF side: an incremental update appended to the file.

var (
	reStartXref = regexp.MustCompile(`startxref\s+(\d+)\s+%%EOF\s*$`)
	reSize      = regexp.MustCompile(`/Size\s+(\d+)`)
	reRoot      = regexp.MustCompile(`/Root\s+(\d+)\s+0\s+R`)
	reInfo      = regexp.MustCompile(`/Info\s+(\d+\s+0\s+R)`)
	reID        = regexp.MustCompile(`/ID\s*\[[^\]]*\]`)
)

// trailerOf reads the last revision's trailer: startxref, /Size, /Root,
// and the /Info and /ID to carry on. Classic cross-reference tables
// only (what LibreOffice writes).
type trailerInfo struct {
	xref, size, root int
	info, id         string
}

func lastTrailer(pdf []byte) (trailerInfo, error) {
	var t trailerInfo
	m := reStartXref.FindSubmatch(pdf)
	if m == nil {
		return t, fmt.Errorf("no startxref at the end")
	}
	t.xref, _ = strconv.Atoi(string(m[1]))
	i := bytes.LastIndex(pdf, []byte("trailer"))
	if i < 0 {
		return t, fmt.Errorf("no trailer (a cross-reference stream is not supported)")
	}
	tr := pdf[i:]
	if m := reSize.FindSubmatch(tr); m != nil {
		t.size, _ = strconv.Atoi(string(m[1]))
	}
	m = reRoot.FindSubmatch(tr)
	if m == nil || t.size == 0 {
		return t, fmt.Errorf("trailer without /Size or /Root")
	}
	t.root, _ = strconv.Atoi(string(m[1]))
	if m := reInfo.FindSubmatch(tr); m != nil {
		t.info = "/Info " + string(m[1])
	}
	t.id = string(reID.Find(tr))
	return t, nil
}

// objectBody is the last definition of object num: what stands between
// "num 0 obj" and "endobj".
func objectBody(pdf []byte, num int) (string, error) {
	re := regexp.MustCompile(`(?s)(?:^|[\r\n])` + strconv.Itoa(num) + `\s+0\s+obj\s*(.*?)\s*endobj`)
	all := re.FindAllSubmatch(pdf, -1)
	if all == nil {
		return "", fmt.Errorf("object %d not found", num)
	}
	return string(all[len(all)-1][1]), nil
}

// appendUpdate appends an incremental update defining objs.
func appendUpdate(pdf []byte, objs map[int]string) ([]byte, error) {
	t, err := lastTrailer(pdf)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.Write(pdf)
	nums := make([]int, 0, len(objs))
	for n := range objs {
		nums = append(nums, n)
	}
	slices.Sort(nums)
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
	size := max(t.size, nums[len(nums)-1]+1)
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root %d 0 R %s %s /Prev %d >>\nstartxref\n%d\n%%%%EOF\n", size, t.root, t.info, t.id, t.xref, x)
	return b.Bytes(), nil
}

const placeholder = 8192 // bytes of CMS room in /Contents

// signing is one signature to add.
type signing struct {
	field string
	p     party
	chain []*x509.Certificate
	at    time.Time
}

// reAcroFields finds the catalog's signature fields added by an earlier
// signing: "/AcroForm << /Fields [ … ]".
var reAcroFields = regexp.MustCompile(`/AcroForm\s*<<\s*/Fields\s*\[([^\]]*)\]\s*/SigFlags 3\s*>>`)

// sign appends an incremental update that adds a signature field (an
// invisible widget) to the catalog's AcroForm, and its signature
// dictionary with the detached CMS over the byte range.
func sign(pdf []byte, s signing) ([]byte, error) {
	t, err := lastTrailer(pdf)
	if err != nil {
		return nil, err
	}
	cat, err := objectBody(pdf, t.root)
	if err != nil {
		return nil, err
	}
	sigNum, fieldNum := t.size, t.size+1
	var fields string
	if m := reAcroFields.FindStringSubmatch(cat); m != nil {
		fields = m[1] + " "
		cat = reAcroFields.ReplaceAllString(cat, "")
	} else if strings.Contains(cat, "/AcroForm") {
		return nil, fmt.Errorf("the catalog has an AcroForm gensig cannot extend")
	}
	fields += fmt.Sprintf("%d 0 R", fieldNum)
	cat = strings.TrimSuffix(strings.TrimSpace(cat), ">>")
	cat += fmt.Sprintf("/AcroForm << /Fields [%s] /SigFlags 3 >>\n>>", fields)

	brHolder := "/ByteRange [0 0000000000 0000000000 0000000000]"
	update := map[int]string{
		t.root: cat,
		sigNum: fmt.Sprintf("<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached %s /Contents <%s> /M (D:%s) /Name (%s) >>",
			brHolder, strings.Repeat("0", 2*placeholder), s.at.Format("20060102150405-07'00'"), s.p.cert.Subject.CommonName),
		fieldNum: fmt.Sprintf("<< /Type /Annot /Subtype /Widget /FT /Sig /T (%s) /V %d 0 R /F 132 /Rect [0 0 0 0] >>", s.field, sigNum),
	}
	out, err := appendUpdate(pdf, update)
	if err != nil {
		return nil, err
	}
	start := bytes.Index(out[len(pdf):], []byte(brHolder)) + len(pdf)
	cstart := bytes.Index(out[start:], []byte("/Contents <")) + start + len("/Contents ")
	cend := cstart + 2*placeholder + 2
	br := fmt.Sprintf("/ByteRange [0 %d %d %d]", cstart, cend, len(out)-cend)
	br += strings.Repeat(" ", len(brHolder)-len(br))
	copy(out[start:], br)
	content := append(append([]byte{}, out[:cstart]...), out[cend:]...)
	cms, err := detachedCMS(content, s.p, s.chain, s.at)
	if err != nil {
		return nil, err
	}
	if len(cms) > placeholder {
		return nil, fmt.Errorf("the CMS (%d bytes) does not fit its %d-byte placeholder", len(cms), placeholder)
	}
	copy(out[cstart+1:], hex.EncodeToString(cms))
	return out, nil
}
