package pdf

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/md5"
	"crypto/rc4"
	"crypto/sha256"
	"crypto/sha512"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"sync"

	"github.com/finsam/ansokan/extractor"
)

// Encrypted PDFs without a user password are common: Acrobat and
// e-signing services protect a file against editing or printing with an
// empty user password, so every reader opens it without asking.
// ledongthuc/pdf decrypts only some of them: it has no AES-256 (the
// standard security handler's V 5, which Acrobat uses today), uses a
// wrong object key for 40-bit RC4, and refuses a file without a trailer
// /ID. So the reader decrypts such files itself, before the parser sees
// them: pdfDecrypt derives the file key from the empty user password
// (ISO 32000-2, 7.6.4) and decrypts every string and stream in place,
// each into the bytes it occupied (padded with white space), so every
// offset in the cross-reference data stays right. The trailer's /Encrypt
// entry is renamed, and the parser sees an ordinary file. A file that
// needs a password gives ErrEncrypted.

var (
	pdfEncryptRefRe  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`/Encrypt\s*(\d+)\s+(\d+)\s+R`) })
	pdfEncryptDictRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`/Encrypt\s*<<`) })
	pdfIDRe          = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`/ID\s*\[\s*(<[^>]*>|\()`) })
)

// pdfPad is the padding string of the RC4-era key algorithms.
var pdfPad = []byte("\x28\xBF\x4E\x5E\x4E\x75\x8A\x41\x64\x00\x4E\x56\xFF\xFA\x01\x08" +
	"\x2E\x2E\x00\xB6\xD0\x68\x3E\x80\x2F\x0C\xA9\xFE\x64\x53\x69\x7A")

// pdfDecrypt returns a decrypted copy of data when the file is encrypted
// with the standard security handler and an empty user password. ok is
// false (and data is not copied) when the file is not encrypted, or its
// encryption dictionary cannot be found (the parser then has its say).
func pdfDecrypt(data []byte) (out []byte, ok bool, err error) {
	dict, found := pdfEncryptDict(data)
	if !found {
		return nil, false, nil
	}
	if f := dict.get("Filter").name; f != "Standard" {
		return nil, true, fmt.Errorf("%w: the PDF is encrypted for named recipients (security handler %q), which cannot be opened; send it without protection", extractor.ErrEncrypted, f)
	}
	d := &pdfDecrypter{
		orig:          data,
		data:          append([]byte(nil), data...),
		metadata:      dict.get("EncryptMetadata").name != "false",
		encryptObject: -1,
	}
	if m := pdfLastMatch(pdfEncryptRefRe(), data); m != nil {
		d.encryptObject, _ = strconv.Atoi(string(m[1]))
	}
	v, _ := dict.get("V").num()
	r, _ := dict.get("R").num()
	o, u := dict.get("O").str, dict.get("U").str
	method := "RC4"
	d.strings, d.streams = true, true
	if v == 4 || v == 5 {
		cf := dict.get("CF").dict
		stm, str := dict.get("StmF").name, dict.get("StrF").name
		d.streams, d.strings = stm != "" && stm != "Identity", str != "" && str != "Identity"
		filter := stm
		if !d.streams {
			filter = str
		}
		switch cf.get(filter).dict.get("CFM").name {
		case "AESV2":
			method = "AESV2"
		case "AESV3":
			method = "AESV3"
		case "V2":
			method = "RC4"
		case "None", "":
			if v == 5 {
				method = "AESV3"
			} else if d.streams || d.strings {
				method = "RC4"
			}
		default:
			return nil, true, fmt.Errorf("%w: the PDF uses an unknown encryption method", extractor.ErrEncrypted)
		}
	}
	switch {
	case v == 5 && (r == 5 || r == 6):
		key, err := pdfKeyV5(r, u, dict.get("UE").str, nil)
		if errors.Is(err, extractor.ErrEncrypted) {
			// An empty owner password opens the file too.
			if k, err2 := pdfKeyV5(r, o, dict.get("OE").str, u); err2 == nil {
				key, err = k, nil
			}
		}
		if err != nil {
			return nil, true, err
		}
		d.fileKey, d.method = key, "AESV3"
	case (v == 1 || v == 2 || v == 4) && r >= 2 && r <= 4:
		id := []byte(nil)
		if m := pdfLastMatchIndex(pdfIDRe(), data); m != nil {
			lx := &pdfLex{data: data, pos: m[2]}
			id = lx.next().str
		}
		n, _ := dict.get("Length").num()
		lengths := []int{n}
		switch {
		case v == 1 || r == 2:
			lengths = []int{40}
		case method == "AESV2":
			lengths = []int{128} // AES-128 whatever /Length says
		case n == 0:
			lengths = []int{40, 128} // no /Length: the default, then the usual
		case n >= 5 && n <= 16:
			lengths = []int{n * 8} // a length in bytes, as some writers put it
		}
		for _, bits := range lengths {
			if bits < 40 || bits > 128 || bits%8 != 0 {
				return nil, true, fmt.Errorf("%w: a %d-bit encryption key", extractor.ErrCorrupt, bits)
			}
			p := dict.get("P").n
			if key := pdfKeyRC4Era(r, bits/8, pdfPad, o, u, p, id, d.metadata); key != nil {
				d.fileKey = key
				break
			}
		}
		if d.fileKey == nil {
			return nil, true, fmt.Errorf("%w: the PDF is password-protected; send it without a password", extractor.ErrEncrypted)
		}
		d.method = method
	default:
		return nil, true, fmt.Errorf("%w: the PDF uses an encryption this reader does not know (V=%d, R=%d); send it without protection", extractor.ErrEncrypted, v, r)
	}
	d.run()
	for _, re := range []*regexp.Regexp{pdfEncryptRefRe(), pdfEncryptDictRe()} {
		for _, loc := range re.FindAllIndex(d.data, -1) {
			copy(d.data[loc[0]:], "/Encrypx") // same length: an unknown key, ignored
		}
	}
	return d.data, true, nil
}

// pdfKeyV5 derives the AES-256 file key from an empty password
// (revision 5: SHA-256; revision 6: Algorithm 2.B), or fails with
// ErrEncrypted when the password is not empty. For the user password, x
// and xe are /U and /UE and udata is nil; for the owner password they are
// /O and /OE, and udata is the first 48 bytes of /U (Algorithm 2.A).
func pdfKeyV5(r int, x, xe, udata []byte) ([]byte, error) {
	if len(x) < 48 || len(xe) != 32 || (udata != nil && len(udata) < 48) {
		return nil, fmt.Errorf("%w: AES-256 encryption with unreadable parameters", extractor.ErrCorrupt)
	}
	if udata != nil {
		udata = udata[:48]
	}
	var check, inter []byte
	if r == 5 {
		h := sha256.Sum256(append(append([]byte(nil), x[32:40]...), udata...))
		check = h[:]
		h = sha256.Sum256(append(append([]byte(nil), x[40:48]...), udata...))
		inter = h[:]
	} else {
		check = pdfHash2B(x[32:40], udata)
		inter = pdfHash2B(x[40:48], udata)
	}
	u, ue := x, xe
	if !bytes.Equal(check, u[:32]) {
		return nil, fmt.Errorf("%w: the PDF is password-protected; send it without a password", extractor.ErrEncrypted)
	}
	block, err := aes.NewCipher(inter)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", extractor.ErrCorrupt, err)
	}
	key := make([]byte, 32)
	cipher.NewCBCDecrypter(block, make([]byte, 16)).CryptBlocks(key, ue)
	return key, nil
}

// pdfKeyRC4Era derives the file key of revisions 2-4 from a padded
// password (Algorithm 2) and checks it against /U (Algorithms 4 and 5).
// It returns nil when the password is not the user password.
func pdfKeyRC4Era(r, n int, pw, o, u []byte, p float64, id []byte, metadata bool) []byte {
	h := md5.New()
	h.Write(pw)
	h.Write(o)
	pv := uint32(int32(p))
	h.Write([]byte{byte(pv), byte(pv >> 8), byte(pv >> 16), byte(pv >> 24)})
	h.Write(id)
	if r >= 4 && !metadata {
		h.Write([]byte{0xFF, 0xFF, 0xFF, 0xFF})
	}
	key := h.Sum(nil)
	if r >= 3 {
		for range 50 {
			s := md5.Sum(key[:n])
			key = s[:]
		}
	}
	key = key[:n]
	c, err := rc4.NewCipher(key)
	if err != nil {
		return nil
	}
	if r == 2 {
		want := make([]byte, 32)
		c.XORKeyStream(want, pdfPad)
		if !bytes.Equal(want, u[:min(len(u), 32)]) {
			return nil
		}
		return key
	}
	s := md5.Sum(append(append([]byte(nil), pdfPad...), id...))
	x := s[:]
	c.XORKeyStream(x, x)
	for i := 1; i <= 19; i++ {
		k := make([]byte, len(key))
		for j := range key {
			k[j] = key[j] ^ byte(i)
		}
		c, _ := rc4.NewCipher(k)
		c.XORKeyStream(x, x)
	}
	if len(u) < 16 || !bytes.Equal(x, u[:16]) {
		return nil
	}
	return key
}

// pdfHash2B is Algorithm 2.B of ISO 32000-2 (revision 6) for an empty
// password; udata is nil for the user password and /U for the owner's.
func pdfHash2B(salt, udata []byte) []byte {
	h := sha256.Sum256(append(append([]byte(nil), salt...), udata...))
	k := h[:]
	var e []byte
	for i := 0; i < 64 || int(e[len(e)-1]) > i-32; i++ {
		seq := append(append([]byte(nil), k...), udata...)
		k1 := bytes.Repeat(seq, 64)
		block, _ := aes.NewCipher(k[:16])
		e = make([]byte, len(k1))
		cipher.NewCBCEncrypter(block, k[16:32]).CryptBlocks(e, k1)
		sum := 0
		for _, b := range e[:16] {
			sum += int(b)
		}
		switch sum % 3 { // the first 16 bytes as a big-endian number, mod 3
		case 0:
			s := sha256.Sum256(e)
			k = s[:]
		case 1:
			s := sha512.Sum384(e)
			k = s[:]
		default:
			s := sha512.Sum512(e)
			k = s[:]
		}
	}
	return k[:32]
}

// pdfDict is a parsed dictionary; references are resolved when read.
type pdfDict struct {
	m   map[string]pdfTok
	lex *pdfLex
}

func (d pdfDict) get(key string) pdfTok {
	t, ok := d.m[key]
	if !ok {
		return pdfTok{}
	}
	if t.kind == pdfTokRef && d.lex != nil {
		return d.lex.resolve(t.ref, 0)
	}
	return t
}

// pdfEncryptDict finds the encryption dictionary the last trailer names
// and reads it.
func pdfEncryptDict(data []byte) (pdfDict, bool) {
	lx := &pdfLex{data: data}
	if m := pdfLastMatch(pdfEncryptRefRe(), data); m != nil {
		num, _ := strconv.Atoi(string(m[1]))
		gen, _ := strconv.Atoi(string(m[2]))
		t := lx.resolve([2]int{num, gen}, 0)
		return t.dict, t.kind == pdfTokDict
	}
	if m := pdfLastMatchIndex(pdfEncryptDictRe(), data); m != nil {
		lx.pos = m[1] - 2
		t := lx.value(0)
		return t.dict, t.kind == pdfTokDict
	}
	return pdfDict{}, false
}

// resolve reads the value of indirect object ref (its last definition in
// the file), following references a few levels deep.
func (lx *pdfLex) resolve(ref [2]int, depth int) pdfTok {
	if depth > 8 {
		return pdfTok{}
	}
	re, err := regexp.Compile(fmt.Sprintf(`(?:^|[^0-9])%d\s+%d\s+obj\b`, ref[0], ref[1]))
	if err != nil {
		return pdfTok{}
	}
	m := pdfLastMatchIndex(re, lx.data)
	if m == nil {
		return pdfTok{}
	}
	sub := &pdfLex{data: lx.data, pos: m[1]}
	t := sub.value(0)
	if t.kind == pdfTokRef {
		return sub.resolve(t.ref, depth+1)
	}
	return t
}

// value reads one value: a dictionary (parsed), an array (skipped), a
// reference, or a single token.
func (lx *pdfLex) value(depth int) pdfTok {
	t := lx.next()
	switch t.kind {
	case pdfTokDictOpen:
		if depth > 16 {
			lx.skipContainer()
			return pdfTok{}
		}
		d := pdfDict{m: map[string]pdfTok{}, lex: lx}
		for {
			k := lx.next()
			if k.kind != pdfTokName {
				if k.kind == pdfTokArrayOpen || k.kind == pdfTokDictOpen {
					lx.skipContainer()
				}
				if k.kind == pdfTokDictClose || k.kind == pdfTokEOF || k.kind == pdfTokKeyword {
					break
				}
				continue
			}
			d.m[k.name] = lx.value(depth + 1)
		}
		return pdfTok{kind: pdfTokDict, dict: d}
	case pdfTokArrayOpen:
		lx.skipContainer()
		return pdfTok{kind: pdfTokArrayOpen}
	case pdfTokNum:
		save := lx.pos
		g := lx.next()
		if g.kind == pdfTokNum {
			if r := lx.next(); r.kind == pdfTokKeyword && r.name == "R" {
				return pdfTok{kind: pdfTokRef, ref: [2]int{int(t.n), int(g.n)}}
			}
		}
		lx.pos = save
	}
	return t
}

func pdfLastMatch(re *regexp.Regexp, data []byte) [][]byte {
	all := re.FindAllSubmatch(data, -1)
	if len(all) == 0 {
		return nil
	}
	return all[len(all)-1]
}

func pdfLastMatchIndex(re *regexp.Regexp, data []byte) []int {
	all := re.FindAllSubmatchIndex(data, -1)
	if len(all) == 0 {
		return nil
	}
	return all[len(all)-1]
}

// pdfDecrypter decrypts a file's strings and streams in place.
type pdfDecrypter struct {
	orig, data                 []byte // the file as read, and the copy decrypted in place
	fileKey                    []byte
	method                     string // "RC4", "AESV2" (AES-128) or "AESV3" (AES-256)
	strings, streams, metadata bool
	encryptObject              int
	ints                       map[[2]int]int // integer objects, for indirect lengths
}

// pdfEncObject collects what one indirect object holds until its end,
// when it is known whether it is encrypted (a cross-reference stream and
// the encryption dictionary are not).
type pdfEncObject struct {
	num, gen int
	strs     []pdfTok
	stream   [2]int // data start and end; end 0 when none
	xref     bool
	metadata bool
}

func (d *pdfDecrypter) run() {
	lx := &pdfLex{data: d.data}
	var obj *pdfEncObject
	var nums []int // the last numbers seen, for "N G obj" and "N G R"
	inTrailer := false
	lengthNext := false
	length := -1
	finish := func() {
		if obj != nil && obj.num >= 0 && obj.num != d.encryptObject && !obj.xref {
			if d.strings {
				for _, s := range obj.strs {
					d.decryptString(s, obj)
				}
			}
			if d.streams && obj.stream[1] > 0 && (d.metadata || !obj.metadata) {
				d.decryptStream(obj.stream[0], obj.stream[1], obj)
			}
		}
		obj = nil
	}
	prevName := ""
	for {
		t := lx.next()
		if t.kind == pdfTokEOF {
			break
		}
		switch t.kind {
		case pdfTokNum:
			nums = append(nums, int(t.n))
			if len(nums) > 2 {
				nums = nums[1:]
			}
			if lengthNext {
				length = int(t.n)
			}
			continue
		case pdfTokString:
			if obj != nil && !inTrailer {
				obj.strs = append(obj.strs, t)
			}
		case pdfTokName:
			if obj != nil && prevName == "Type" {
				obj.xref = obj.xref || t.name == "XRef"
				obj.metadata = obj.metadata || t.name == "Metadata"
			}
			if t.name == "Length" && obj != nil {
				lengthNext, length = true, -1
			}
			prevName = t.name
			nums = nums[:0]
			continue
		case pdfTokKeyword:
			switch t.name {
			case "obj":
				finish()
				if len(nums) == 2 {
					obj = &pdfEncObject{num: nums[0], gen: nums[1]}
				} else {
					obj = &pdfEncObject{num: -2}
				}
				inTrailer, length = false, -1
			case "R":
				if lengthNext && len(nums) == 2 {
					length = d.resolveInt(nums[0], nums[1])
				}
				lengthNext = false
			case "endobj":
				finish()
			case "trailer":
				finish()
				inTrailer = true
			case "startxref", "xref":
				inTrailer = false
			case "stream":
				start, end := d.streamBounds(lx.pos, length)
				if obj != nil {
					obj.stream = [2]int{start, end}
				}
				lx.pos = end
			}
		}
		prevName = ""
		nums = nums[:0]
		lengthNext = false
	}
	finish()
}

var pdfIntObjRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(\d+)\s+(\d+)\s+obj\s*(\d+)\s*endobj`) })

// resolveInt finds "num gen obj <integer> endobj" (an indirect /Length).
// The file is indexed once, on the first call.
func (d *pdfDecrypter) resolveInt(num, gen int) int {
	if d.ints == nil {
		d.ints = map[[2]int]int{}
		for _, m := range pdfIntObjRe().FindAllSubmatch(d.orig, -1) {
			a, err1 := strconv.Atoi(string(m[1]))
			b, err2 := strconv.Atoi(string(m[2]))
			v, err3 := strconv.Atoi(string(m[3]))
			if err1 == nil && err2 == nil && err3 == nil {
				d.ints[[2]int{a, b}] = v
			}
		}
	}
	if v, ok := d.ints[[2]int{num, gen}]; ok {
		return v
	}
	return -1
}

// streamBounds returns where a stream's data starts and ends, given the
// position just after the "stream" keyword and the /Length (or -1). A
// length that does not land on "endstream" is replaced by a search for
// the keyword.
func (d *pdfDecrypter) streamBounds(pos, length int) (int, int) {
	data := d.data
	if pos < len(data) && data[pos] == '\r' {
		pos++
	}
	if pos < len(data) && data[pos] == '\n' {
		pos++
	}
	if length >= 0 && pos+length <= len(data) {
		rest := bytes.TrimLeft(data[pos+length:min(len(data), pos+length+64)], " \t\r\n\x00\f")
		if bytes.HasPrefix(rest, []byte("endstream")) {
			return pos, pos + length
		}
	}
	i := bytes.Index(data[pos:], []byte("endstream"))
	if i < 0 {
		return pos, len(data)
	}
	end := pos + i
	if end > pos && data[end-1] == '\n' {
		end--
	}
	if end > pos && data[end-1] == '\r' {
		end--
	}
	return pos, end
}

// decrypt decrypts one string or stream of object obj: RC4, or AES-CBC
// with the IV in front and PKCS#5 padding. ok is false when the data
// cannot be AES output.
func (d *pdfDecrypter) decrypt(c []byte, obj *pdfEncObject) ([]byte, bool) {
	key := d.fileKey
	if d.method != "AESV3" {
		// Algorithm 1: a key per object.
		h := md5.New()
		h.Write(d.fileKey)
		h.Write([]byte{byte(obj.num), byte(obj.num >> 8), byte(obj.num >> 16), byte(obj.gen), byte(obj.gen >> 8)})
		if d.method == "AESV2" {
			h.Write([]byte("sAlT"))
		}
		key = h.Sum(nil)[:min(len(d.fileKey)+5, 16)]
	}
	if d.method == "RC4" {
		c2, err := rc4.NewCipher(key)
		if err != nil {
			return nil, false
		}
		p := make([]byte, len(c))
		c2.XORKeyStream(p, c)
		return p, true
	}
	if len(c) == 0 {
		return nil, true
	}
	if len(c) < 32 || len(c)%16 != 0 {
		return nil, false
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, false
	}
	p := make([]byte, len(c)-16)
	cipher.NewCBCDecrypter(block, c[:16]).CryptBlocks(p, c[16:])
	if n := int(p[len(p)-1]); n >= 1 && n <= 16 && bytes.Equal(p[len(p)-n:], bytes.Repeat([]byte{byte(n)}, n)) {
		p = p[:len(p)-n]
	}
	return p, true
}

func (d *pdfDecrypter) decryptStream(start, end int, obj *pdfEncObject) {
	p, ok := d.decrypt(d.data[start:end], obj)
	if !ok {
		return
	}
	n := copy(d.data[start:end], p)
	for i := start + n; i < end; i++ {
		d.data[i] = ' '
	}
}

// decryptString writes the plain text over the string token, as a hex
// string when it fits, else as a literal string, padded with spaces.
func (d *pdfDecrypter) decryptString(t pdfTok, obj *pdfEncObject) {
	span := d.data[t.start:t.end]
	p, ok := d.decrypt(t.str, obj)
	if !ok {
		p = nil
	}
	var w []byte
	if 2*len(p)+2 <= len(span) {
		w = fmt.Appendf(nil, "<%x>", p)
	} else {
		w = append(w, '(')
		for _, c := range p {
			switch c {
			case '\\', '(', ')':
				w = append(w, '\\', c)
			case '\r':
				w = append(w, '\\', 'r')
			default:
				w = append(w, c)
			}
		}
		w = append(w, ')')
		if len(w) > len(span) {
			w = []byte("()")
		}
	}
	n := copy(span, w)
	for i := n; i < len(span); i++ {
		span[i] = ' '
	}
}

// pdfLex is a small PDF tokenizer over a whole file: enough to find
// strings, names, numbers, keywords and dictionary bounds.
type pdfLex struct {
	data []byte
	pos  int
}

type pdfTokKind int

const (
	pdfTokEOF pdfTokKind = iota
	pdfTokNum
	pdfTokString
	pdfTokName
	pdfTokKeyword
	pdfTokDictOpen
	pdfTokDictClose
	pdfTokArrayOpen
	pdfTokArrayClose
	pdfTokDict // a parsed dictionary (value)
	pdfTokRef  // an indirect reference (value)
)

type pdfTok struct {
	kind       pdfTokKind
	n          float64
	name       string // name without "/", or keyword
	str        []byte // decoded string bytes
	start, end int    // the token's bytes
	dict       pdfDict
	ref        [2]int
}

func (t pdfTok) num() (int, bool) {
	if t.kind != pdfTokNum {
		return 0, false
	}
	return int(t.n), true
}

func pdfIsSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == 0
}

func pdfIsDelim(c byte) bool {
	return bytes.IndexByte([]byte("()<>[]{}/%"), c) >= 0
}

func (lx *pdfLex) next() pdfTok {
	data := lx.data
	for lx.pos < len(data) {
		c := data[lx.pos]
		if pdfIsSpace(c) {
			lx.pos++
			continue
		}
		if c == '%' {
			for lx.pos < len(data) && data[lx.pos] != '\n' && data[lx.pos] != '\r' {
				lx.pos++
			}
			continue
		}
		break
	}
	if lx.pos >= len(data) {
		return pdfTok{kind: pdfTokEOF, start: len(data), end: len(data)}
	}
	start := lx.pos
	c := data[lx.pos]
	switch {
	case c == '(':
		s := lx.literal()
		return pdfTok{kind: pdfTokString, str: s, start: start, end: lx.pos}
	case c == '<' && lx.pos+1 < len(data) && data[lx.pos+1] == '<':
		lx.pos += 2
		return pdfTok{kind: pdfTokDictOpen, start: start, end: lx.pos}
	case c == '>' && lx.pos+1 < len(data) && data[lx.pos+1] == '>':
		lx.pos += 2
		return pdfTok{kind: pdfTokDictClose, start: start, end: lx.pos}
	case c == '<':
		s := lx.hex()
		return pdfTok{kind: pdfTokString, str: s, start: start, end: lx.pos}
	case c == '[':
		lx.pos++
		return pdfTok{kind: pdfTokArrayOpen, start: start, end: lx.pos}
	case c == ']':
		lx.pos++
		return pdfTok{kind: pdfTokArrayClose, start: start, end: lx.pos}
	case c == '/':
		lx.pos++
		for lx.pos < len(data) && !pdfIsSpace(data[lx.pos]) && !pdfIsDelim(data[lx.pos]) {
			lx.pos++
		}
		return pdfTok{kind: pdfTokName, name: string(data[start+1 : lx.pos]), start: start, end: lx.pos}
	case pdfIsDelim(c):
		lx.pos++ // a stray ')', '>', '{' or '}'
		return pdfTok{kind: pdfTokKeyword, name: string(c), start: start, end: lx.pos}
	}
	for lx.pos < len(data) && !pdfIsSpace(data[lx.pos]) && !pdfIsDelim(data[lx.pos]) {
		lx.pos++
	}
	word := data[start:lx.pos]
	if n, err := strconv.ParseFloat(string(word), 64); err == nil && (word[0] == '-' || word[0] == '+' || word[0] == '.' || (word[0] >= '0' && word[0] <= '9')) {
		return pdfTok{kind: pdfTokNum, n: n, start: start, end: lx.pos}
	}
	return pdfTok{kind: pdfTokKeyword, name: string(word), start: start, end: lx.pos}
}

// skipContainer skips to the end of the dictionary or array just opened.
func (lx *pdfLex) skipContainer() {
	for depth := 1; depth > 0; {
		switch lx.next().kind {
		case pdfTokDictOpen, pdfTokArrayOpen:
			depth++
		case pdfTokDictClose, pdfTokArrayClose:
			depth--
		case pdfTokEOF:
			return
		}
	}
}

// literal reads a literal string at lx.pos (on its "(").
func (lx *pdfLex) literal() []byte {
	data := lx.data
	lx.pos++
	var out []byte
	depth := 1
	for lx.pos < len(data) {
		c := data[lx.pos]
		lx.pos++
		switch c {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return out
			}
		case '\r':
			if lx.pos < len(data) && data[lx.pos] == '\n' {
				lx.pos++
			}
			c = '\n'
		case '\\':
			if lx.pos >= len(data) {
				return out
			}
			e := data[lx.pos]
			lx.pos++
			switch e {
			case 'n':
				c = '\n'
			case 'r':
				c = '\r'
			case 't':
				c = '\t'
			case 'b':
				c = '\b'
			case 'f':
				c = '\f'
			case '\r':
				if lx.pos < len(data) && data[lx.pos] == '\n' {
					lx.pos++
				}
				continue
			case '\n':
				continue
			default:
				if e >= '0' && e <= '7' {
					v := int(e - '0')
					for k := 0; k < 2 && lx.pos < len(data) && data[lx.pos] >= '0' && data[lx.pos] <= '7'; k++ {
						v = v*8 + int(data[lx.pos]-'0')
						lx.pos++
					}
					c = byte(v)
				} else {
					c = e
				}
			}
		}
		out = append(out, c)
	}
	return out
}

// hex reads a hex string at lx.pos (on its "<").
func (lx *pdfLex) hex() []byte {
	data := lx.data
	lx.pos++
	var out []byte
	half, odd := byte(0), false
	for lx.pos < len(data) {
		c := data[lx.pos]
		lx.pos++
		var v byte
		switch {
		case c == '>':
			if odd {
				out = append(out, half<<4)
			}
			return out
		case c >= '0' && c <= '9':
			v = c - '0'
		case c >= 'a' && c <= 'f':
			v = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			v = c - 'A' + 10
		default:
			continue // white space (or junk) inside a hex string
		}
		if odd {
			out = append(out, half<<4|v)
		} else {
			half = v
		}
		odd = !odd
	}
	return out
}
