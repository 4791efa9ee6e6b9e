package pdfsig

import (
	"bytes"
	"crypto"
	"crypto/sha1"
	"crypto/x509"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/privacy"
	"github.com/smallstep/pkcs7"
)

// Options configures verification.
type Options struct {
	// Roots are the trust anchors; nil means none are configured, and
	// every verdict's Trusted is nil (never "valid" without a trust list).
	Roots *x509.CertPool
	// Now is the time used when a signature gives no signing time; zero
	// means time.Now.
	Now time.Time
}

// LoadTrustDir reads every PEM certificate in dir's *.pem, *.crt and
// *.cer files into a pool of trust anchors.
func LoadTrustDir(dir string) (*x509.CertPool, error) {
	ders, err := ReadTrustDir(dir)
	if err != nil {
		return nil, err
	}
	return TrustPool(ders)
}

// ReadTrustDir reads every PEM certificate in dir's *.pem, *.crt and
// *.cer files and returns them DER-encoded, checked to parse: the form
// in which trust anchors travel to the reading processes
// (extractor.Limits.TrustAnchors). A folder that cannot be read, a file
// that is not a certificate, or a folder without one is an error naming
// it.
func ReadTrustDir(dir string) ([][]byte, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("trust dir %s: %w", dir, err)
	}
	var ders [][]byte
	for _, e := range entries {
		ext := strings.ToLower(filepath.Ext(e.Name()))
		if e.IsDir() || ext != ".pem" && ext != ".crt" && ext != ".cer" {
			continue
		}
		path := filepath.Join(dir, e.Name())
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("trust anchor %s: %w", path, err)
		}
		for {
			var blk *pem.Block
			blk, b = pem.Decode(b)
			if blk == nil {
				break
			}
			if blk.Type != "CERTIFICATE" {
				continue
			}
			if _, err := x509.ParseCertificate(blk.Bytes); err != nil {
				return nil, fmt.Errorf("trust anchor %s: %w", path, err)
			}
			ders = append(ders, blk.Bytes)
		}
	}
	if len(ders) == 0 {
		return nil, fmt.Errorf("trust dir %s: no PEM certificates in its *.pem, *.crt or *.cer files", dir)
	}
	return ders, nil
}

// TrustPool makes a pool of trust anchors of DER certificates; none
// gives nil (no trust list: every Trusted stays nil).
func TrustPool(ders [][]byte) (*x509.CertPool, error) {
	if len(ders) == 0 {
		return nil, nil
	}
	pool := x509.NewCertPool()
	for i, d := range ders {
		c, err := x509.ParseCertificate(d)
		if err != nil {
			return nil, fmt.Errorf("trust anchor %d: %w", i+1, err)
		}
		pool.AddCert(c)
	}
	return pool, nil
}

// MaxBytes is the largest file Verify reads whole.
const MaxBytes = 256 << 20

// Verify finds and verifies every signature in the PDF of the given size.
// A file with no signatures gives nil. Errors are only for reading the
// bytes; a signature that cannot be parsed is a verdict (Intact false,
// Problem set), not an error.
func Verify(r io.ReaderAt, size int64, opts Options) ([]extractor.DigitalSignature, error) {
	if size > MaxBytes {
		return nil, fmt.Errorf("pdfsig: %d bytes is over the %d-byte limit", size, MaxBytes)
	}
	data := make([]byte, size)
	if _, err := r.ReadAt(data, 0); err != nil && !(errors.Is(err, io.EOF) && size == 0) {
		if !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("pdfsig: %w", err)
		}
	}
	return VerifyBytes(data, opts), nil
}

// VerifyBytes is Verify over bytes in memory. A panic while reading the
// signatures becomes one verdict that is not intact, so that a defect
// here is seen as a finding rather than passing in silence or making the
// whole document unreadable.
func VerifyBytes(data []byte, opts Options) (out []extractor.DigitalSignature) {
	defer func() {
		if r := recover(); r != nil {
			out = []extractor.DigitalSignature{{Problem: "signaturerna kunde inte läsas", Detail: fmt.Sprintf("pdfsig panic: %v", r)}}
		}
	}()
	if !bytes.Contains(data, []byte("/ByteRange")) {
		return nil
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	sigs := findSignatures(data)
	if len(sigs) == 0 {
		return nil
	}
	objs := expand(objects(data, 0, len(data)))
	fields := fieldNames(data, objs)
	revs, eofs := revisions(data)
	for _, s := range sigs {
		v := verifyOne(data, s, opts)
		v.Field = fields[s.obj.num]
		coverage(data, objs, revs, eofs, s, &v)
		out = append(out, v)
	}
	return out
}

func init() {
	// A certificate whose authority key identifier is marked critical,
	// which crypto/x509 refuses, is parsed by pkcs7's legacy parser
	// rather than calling the whole signature unreadable. (A negative
	// serial number, also refused since Go 1.23, is not covered: it needs
	// GODEBUG=x509negativeserial=1 in the main package.)
	pkcs7.SetFallbackLegacyX509CertificateParserEnabled(true)
}

// OIDs used beyond what pkcs7 exports.
var (
	oidTimestampToken = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 2, 14}
	oidEmail          = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 1}
	oidGivenName      = asn1.ObjectIdentifier{2, 5, 4, 42}
	oidSurname        = asn1.ObjectIdentifier{2, 5, 4, 4}
)

// tstInfo is the start of RFC 3161's TSTInfo: what we read of it.
type tstInfo struct {
	Version        int
	Policy         asn1.ObjectIdentifier
	MessageImprint struct {
		HashAlgorithm struct {
			Algorithm  asn1.ObjectIdentifier
			Parameters asn1.RawValue `asn1:"optional"`
		}
		HashedMessage []byte
	}
	SerialNumber *big.Int
	GenTime      time.Time `asn1:"generalized"`
}

func verifyOne(data []byte, s sigDict, opts Options) (v extractor.DigitalSignature) {
	v.SubFilter = s.subFilter
	v.Timestamp = s.typ == "DocTimeStamp" || s.subFilter == "ETSI.RFC3161"
	signed, err := signedBytes(data, s.byteRange)
	if err != nil {
		v.Problem, v.Detail = "signaturens byteintervall passar inte filen", err.Error()
		return v
	}
	p7, err := parseCMS(s.contents)
	if err != nil {
		v.Problem, v.Detail = "signaturen (CMS) kan inte läsas", "the CMS signature cannot be parsed: "+err.Error()
		return v
	}
	ee := p7.GetOnlySigner()
	if ee == nil && len(p7.Signers) > 0 {
		for _, c := range p7.Certificates {
			if bytes.Equal(c.RawIssuer, p7.Signers[0].IssuerAndSerialNumber.IssuerName.FullBytes) &&
				c.SerialNumber.Cmp(p7.Signers[0].IssuerAndSerialNumber.SerialNumber) == 0 {
				ee = c
			}
		}
	}
	if ee != nil {
		describe(&v, ee)
	}

	var signingTime time.Time
	switch {
	case v.Timestamp:
		// The token's content is a TSTInfo whose messageImprint is the
		// digest of the signed bytes.
		var tst tstInfo
		if _, err := asn1.Unmarshal(p7.Content, &tst); err != nil {
			v.Problem, v.Detail = "tidsstämpeln kan inte läsas", "the timestamp token's TSTInfo cannot be parsed: "+err.Error()
			return v
		}
		signingTime = tst.GenTime
		v.SignedAtSource = "timestamp"
		if ok, err := imprintMatches(tst.MessageImprint.HashAlgorithm.Algorithm, tst.MessageImprint.HashedMessage, signed); !ok {
			v.Problem, v.Detail = "de tidsstämplade byten har ändrats", "the signed bytes' digest differs from the timestamp's message imprint"
			if err != nil {
				v.Problem, v.Detail = "tidsstämpelns algoritm stöds inte", err.Error()
			}
			return v
		}
		if err := verifyWidened(p7); err != nil {
			v.Problem, v.Detail = "tidsstämpelns signatur stämmer inte", "the timestamp token's signature does not verify: "+err.Error()
			return v
		}
		v.Intact = true
	default:
		if s.subFilter == "adbe.pkcs7.sha1" {
			// The CMS signs the SHA-1 digest of the byte range as its
			// encapsulated content.
			sum := sha1.Sum(signed)
			if !bytes.Equal(p7.Content, sum[:]) {
				v.Problem, v.Detail = "de underskrivna byten har ändrats efter underskriften", "the signed bytes' SHA-1 digest differs from the signed content"
				break
			}
		} else {
			p7.Content = signed
		}
		if t, ok := signingTimeAttr(p7); ok {
			signingTime, v.SignedAtSource = t, "signingTime"
		}
		if t, ok := tokenTime(p7); ok {
			signingTime, v.SignedAtSource = t, "timestamp"
		}
		if v.Problem != "" {
			break
		}
		if err := verifyWidened(p7); err != nil {
			var mm *pkcs7.MessageDigestMismatchError
			if errors.As(err, &mm) {
				v.Problem, v.Detail = "de underskrivna byten har ändrats efter underskriften", "the signed bytes' digest differs from the CMS messageDigest"
			} else {
				v.Problem, v.Detail = "signaturen stämmer inte med undertecknarens certifikat", "the CMS signature does not verify: "+err.Error()
			}
			break
		}
		v.Intact = true
	}
	if signingTime.IsZero() {
		if t, ok := pdfDate(s.m); ok {
			signingTime, v.SignedAtSource = t, "M"
		}
	}
	if !signingTime.IsZero() {
		v.SignedAt = signingTime.Format(time.RFC3339)
	}
	at := signingTime
	if at.IsZero() {
		at = opts.Now
	}
	if ee != nil {
		v.CertValid = !at.Before(ee.NotBefore) && !at.After(ee.NotAfter)
		if opts.Roots != nil {
			inter := x509.NewCertPool()
			for _, c := range p7.Certificates {
				if c != ee {
					inter.AddCert(c)
				}
			}
			_, err := ee.Verify(x509.VerifyOptions{
				Roots: opts.Roots, Intermediates: inter, CurrentTime: at,
				KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny},
			})
			trusted := err == nil
			v.Trusted = &trusted
		}
	}
	if v.Signer == "" && s.name != "" {
		v.Signer = privacy.Mask(s.name)
	}
	return v
}

// parseCMS parses a CMS blob, turning a panic in the parser into an error.
func parseCMS(b []byte) (p7 *pkcs7.PKCS7, err error) {
	defer func() {
		if r := recover(); r != nil {
			p7, err = nil, fmt.Errorf("pkcs7 panic: %v", r)
		}
	}()
	p7, err = pkcs7.Parse(b)
	if err == nil && len(p7.Signers) == 0 {
		err = errors.New("no signer")
	}
	return p7, err
}

// verifyWidened checks the messageDigest and the signature but not the
// certificate's validity at the signing time, which is a verdict of its
// own (CertValid): pkcs7 stops at an expired certificate before checking
// the signature, so the check is repeated with copies of the
// certificates whose validity covers the signing time. A copy only
// widens NotBefore/NotAfter; the public key and the issuer and serial
// that pick the signer are the original's.
func verifyWidened(p7 *pkcs7.PKCS7) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("pkcs7 panic: %v", r)
		}
	}()
	err = p7.VerifyWithChainAtTime(nil, time.Time{})
	var stv *pkcs7.SigningTimeNotValidError
	if !errors.As(err, &stv) {
		return err
	}
	orig := p7.Certificates
	widened := make([]*x509.Certificate, len(orig))
	for i, c := range orig {
		w := *c
		w.NotBefore, w.NotAfter = stv.SigningTime.Add(-time.Hour), stv.SigningTime.Add(time.Hour)
		widened[i] = &w
	}
	p7.Certificates = widened
	defer func() { p7.Certificates = orig }()
	return p7.VerifyWithChainAtTime(nil, time.Time{})
}

// signedBytes joins the byte range's two spans, checking they lie in the
// file, start at 0 and do not overlap.
func signedBytes(data []byte, br [4]int64) ([]byte, error) {
	a, b, c, d := br[0], br[1], br[2], br[3]
	n := int64(len(data))
	if a != 0 || b < 0 || c < a+b || d < 0 || c+d > n || b > n {
		return nil, fmt.Errorf("the byte range %v does not fit the file's %d bytes", br, n)
	}
	out := make([]byte, 0, b+d)
	out = append(out, data[a:a+b]...)
	return append(out, data[c:c+d]...), nil
}

func signingTimeAttr(p7 *pkcs7.PKCS7) (t time.Time, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	err := p7.UnmarshalSignedAttribute(pkcs7.OIDAttributeSigningTime, &t)
	return t, err == nil && !t.IsZero()
}

// tokenTime reads the genTime of an RFC 3161 timestamp token in the
// signer's unsigned attributes. The token's own signature is not
// verified here; its time is used as the signing time as PAdES does.
func tokenTime(p7 *pkcs7.PKCS7) (time.Time, bool) {
	for _, a := range p7.Signers[0].UnauthenticatedAttributes {
		if !a.Type.Equal(oidTimestampToken) {
			continue
		}
		var raw asn1.RawValue
		if _, err := asn1.Unmarshal(a.Value.Bytes, &raw); err != nil {
			return time.Time{}, false
		}
		tok, err := parseCMS(raw.FullBytes)
		if err != nil {
			return time.Time{}, false
		}
		var tst tstInfo
		if _, err := asn1.Unmarshal(tok.Content, &tst); err != nil {
			return time.Time{}, false
		}
		return tst.GenTime, !tst.GenTime.IsZero()
	}
	return time.Time{}, false
}

func imprintMatches(alg asn1.ObjectIdentifier, want, signed []byte) (bool, error) {
	hashes := map[string]crypto.Hash{
		"1.3.14.3.2.26":          crypto.SHA1,
		"2.16.840.1.101.3.4.2.1": crypto.SHA256,
		"2.16.840.1.101.3.4.2.2": crypto.SHA384,
		"2.16.840.1.101.3.4.2.3": crypto.SHA512,
	}
	h, ok := hashes[alg.String()]
	if !ok || !h.Available() {
		return false, fmt.Errorf("the timestamp's digest algorithm %s is not supported", alg)
	}
	w := h.New()
	w.Write(signed)
	return bytes.Equal(w.Sum(nil), want), nil
}

// describe fills the signer's name, organisation, e-mail and issuer from
// the certificate, masking a personnummer.
func describe(v *extractor.DigitalSignature, c *x509.Certificate) {
	name := c.Subject.CommonName
	if name == "" {
		var given, sur string
		for _, a := range c.Subject.Names {
			s, _ := a.Value.(string)
			switch {
			case a.Type.Equal(oidGivenName):
				given = s
			case a.Type.Equal(oidSurname):
				sur = s
			}
		}
		name = strings.TrimSpace(given + " " + sur)
	}
	v.Signer = privacy.Mask(name)
	if len(c.Subject.Organization) > 0 {
		v.Organisation = privacy.Mask(c.Subject.Organization[0])
	}
	if len(c.EmailAddresses) > 0 {
		v.Email = c.EmailAddresses[0]
	} else {
		for _, a := range c.Subject.Names {
			if s, ok := a.Value.(string); ok && a.Type.Equal(oidEmail) {
				v.Email = s
			}
		}
	}
	v.Issuer = c.Issuer.CommonName
	if v.Issuer == "" && len(c.Issuer.Organization) > 0 {
		v.Issuer = c.Issuer.Organization[0]
	}
	v.Issuer = privacy.Mask(v.Issuer)
}

// pdfDate parses a PDF date "D:YYYYMMDDHHmmSSOHH'mm'" (any tail may be
// missing).
func pdfDate(s string) (time.Time, bool) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "D:")
	if len(s) < 4 {
		return time.Time{}, false
	}
	layout := "20060102150405"
	digits := 0
	for digits < len(s) && digits < 14 && s[digits] >= '0' && s[digits] <= '9' {
		digits++
	}
	t, err := time.Parse(layout[:digits], s[:digits])
	if err != nil {
		return time.Time{}, false
	}
	rest := s[digits:]
	if len(rest) >= 3 && (rest[0] == '+' || rest[0] == '-') {
		hh := rest[1:3]
		mm := "00"
		if r := strings.TrimLeft(rest[3:], "'"); len(r) >= 2 {
			mm = r[:2]
		}
		var h, m int
		if _, err := fmt.Sscanf(hh+mm, "%02d%02d", &h, &m); err == nil {
			off := h*3600 + m*60
			if rest[0] == '-' {
				off = -off
			}
			t = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.FixedZone("", off))
		}
	}
	return t, true
}
