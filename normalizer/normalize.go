// Package normalizer turns documents read by the extractor into the v1
// record: it finds the profile's headings and their answers, reads the
// period, parties, signature blocks, anchoring answer and budget, and
// normalizes Swedish numbers, dates and organisation names.
package normalizer

import (
	"cmp"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/finsam/ansokan/checks"
	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/profile"
	"github.com/finsam/ansokan/schema"
)

// Version is the version of the extraction and normalization rules. It is
// the record's producer.version: bump it whenever a change alters what a
// record says, so a historical backfill can be re-run.
const Version = "0.3.0"

// Input is one file of a submission: its document, or why it could not
// be read.
type Input struct {
	Doc  *extractor.Document // nil when the file could not be read
	Name string              // file name, used when Doc is nil
	// Path is the file's path as given (relative to a batch's folder, as
	// on the command line, or the upload's name): the record's
	// source.files[].path. "" means the file's name.
	Path string
	Err  error // why the file could not be read (Doc == nil)
	// File describes the unreadable file (sha256, bytes) when Doc is nil.
	SHA256 string
	Bytes  int64
	Format string
}

// Stamp is what a record says of its making beyond its files: when, and
// on the queue, for which submission and by which job.
type Stamp struct {
	// Now is the clock of produced_at; nil means time.Now. Tests and
	// golden comparisons fix it.
	Now func() time.Time
	// SubmissionID and Job become submission_id and job; "" is null.
	SubmissionID string
	Job          string
	// Message becomes source.message: the e-mail the submission arrived
	// in; nil when it did not.
	Message *schema.Message
}

// Normalize makes one record from the files of one submission (often a
// single file), made now, outside any submission or job.
func Normalize(inputs []Input, p *profile.Profile) *schema.Record {
	return NormalizeStamped(inputs, p, Stamp{})
}

// NormalizeStamped is Normalize with the record's stamp given.
func NormalizeStamped(inputs []Input, p *profile.Profile, st Stamp) *schema.Record {
	if p == nil {
		p = profile.Default()
	}
	now := st.Now
	if now == nil {
		now = time.Now
	}
	rec := &schema.Record{
		SubmissionID:  nonEmpty(st.SubmissionID),
		Job:           nonEmpty(st.Job),
		Source:        schema.Source{Message: st.Message},
		ProducedAt:    now().UTC().Format(schema.TimeFormat),
		SchemaVersion: schema.Version,
		Producer:      schema.Producer{Name: "ansokan", Version: Version},
		Partners:      []schema.Partner{},
		Sections:      map[string]schema.Section{},
		ExtraSections: []schema.Section{},
		Signatures:    []schema.Signature{},
		Findings:      []schema.Finding{},

		DigitalSignatures:   []schema.DigitalSignature{},
		VerificationSigners: []schema.VerificationSigner{},
	}
	var forms []*form
	var tables []BudgetTable
	var pageDoubts []checks.Uncertain // pages read by OCR with low confidence
	cc := &checks.Context{Profile: p, Where: map[string]schema.Evidence{}, Scanned: map[string][]int{},
		OCR: map[string][]int{}, Doubtful: map[string][]int{},
		MemberParty: func(org string) bool { return OrganisationKind(org) != "" }}
	for _, in := range inputs {
		if in.Doc == nil {
			rec.Source.Files = append(rec.Source.Files, sourceFile(schema.File{Name: in.Name, Path: cmp.Or(in.Path, in.Name), SHA256: in.SHA256, Format: orUnknown(in.Format), Bytes: in.Bytes}))
			rec.Findings = append(rec.Findings, unreadable(in.Name, len(rec.Source.Files)-1, in.Err))
			continue
		}
		d := in.Doc
		sf := schema.File{Name: d.Name, Path: cmp.Or(in.Path, d.Name), SHA256: d.SHA256, Format: string(d.Format), Bytes: d.Bytes}
		if d.Format == extractor.FormatPDF {
			sf.Pages = ptr(d.Pages)
			for _, ds := range digitalSignatures(d) {
				cc.Where["/digital_signatures/"+strconv.Itoa(len(rec.DigitalSignatures))] = schema.Evidence{File: d.Name}
				rec.DigitalSignatures = append(rec.DigitalSignatures, ds)
			}
			for _, vs := range verificationSigners(d) {
				cc.Where["/verification_signers/"+strconv.Itoa(len(rec.VerificationSigners))] = schema.Evidence{File: d.Name, Page: ptr(vs.Page)}
				rec.VerificationSigners = append(rec.VerificationSigners, vs)
			}
		}
		if d.Format.IsImage() {
			sf.Pages = ptr(d.Pages)
		}
		sf.OCRPages = ocrPages(d)
		rec.Source.Files = append(rec.Source.Files, sourceFile(sf))
		file := len(rec.Source.Files) - 1
		rec.Findings = append(rec.Findings, noText(d, file)...)
		scans := sortScans(d)
		if pages := scans.unreadPages(); len(pages) > 0 {
			cc.Scanned[d.Name] = pages
		}
		for _, s := range scans.ok {
			cc.OCR[d.Name] = append(cc.OCR[d.Name], s.Page)
		}
		if len(scans.doubtful) > 0 {
			cc.Doubtful[d.Name] = scans.doubtful
			pageDoubts = append(pageDoubts, ocrUncertain(d, file)...)
		}
		f := parseForm(d, p)
		tables = append(tables, f.tables...)
		if d.Format != extractor.FormatXLSX {
			forms = append(forms, f)
			// A PDF or image whose pages could not be read at all says
			// nothing the checks could verify.
			paged := d.Format == extractor.FormatPDF || d.Format.IsImage()
			cc.HasForm = cc.HasForm || !paged || len(scans.failed) < max(d.Pages, len(noLayer(d)))
		}
	}
	if primary := primaryForm(forms); primary != nil {
		cc.Uncertain = fill(rec, primary, p, cc.Where)
		var doubt []checks.Uncertain
		rec.Signatures, doubt = signatures(forms, primary, rec.Owner, cc.Where)
		cc.Uncertain = append(cc.Uncertain, doubt...)
		matchDigital(rec.Signatures, rec.DigitalSignatures)
		matchVerification(rec.Signatures, rec.VerificationSigners)
	}
	cc.Uncertain = append(pageDoubts, cc.Uncertain...)
	if b, locs := parseBudget(tables); b != nil {
		budgetReconcileParties(b, locs, namedOrganisations(rec))
		rec.Budget = b
		for ptr, l := range locs {
			cc.Where[ptr] = budgetEvidence(l)
		}
	}
	checks.Run(rec, cc)
	return rec
}

// evidence says where something was seen, as a finding's evidence: the
// page for a PDF, the paragraph for Word, the sheet and cell for a
// workbook.
func evidence(l srcLoc) schema.Evidence {
	e := schema.Evidence{File: l.file}
	switch {
	case l.page > 0:
		e.Page = ptr(l.page)
	case l.cell != "" || l.sheet != "":
		e.Sheet, e.Cell = l.sheet, l.cell
	case l.paragraph > 0:
		e.Paragraph = ptr(l.paragraph)
	}
	return e
}

func budgetEvidence(l BudgetLoc) schema.Evidence {
	return evidence(srcLoc{file: l.File, page: l.Page, paragraph: l.Paragraph, sheet: l.Sheet, cell: l.Cell})
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

// primaryForm picks the document whose text answers are read: the one
// with the most recognised headings; Word before PDF on a tie (its
// structure is exact).
func primaryForm(forms []*form) *form {
	var best *form
	for _, f := range forms {
		if best == nil || len(f.parts) > len(best.parts) ||
			(len(f.parts) == len(best.parts) && f.doc.Format == extractor.FormatDOCX && best.doc.Format != extractor.FormatDOCX) {
			best = f
		}
	}
	if best != nil && len(best.parts) == 0 && len(best.signatures) == 0 {
		return best // still the best we have; its fields stay null
	}
	return best
}

// signatures takes the blocks of the signed copy: a PDF's blocks when a
// PDF of the submission has any (that is what was signed); else, when
// image files (scanned or photographed signature pages) have any, the
// blocks of every such image, in the order of the files; else the
// primary document's. Electronic evidence anywhere in the submission
// counts. A block whose role no label, column or caption gives is the
// owner's when its organisation is the application's owner, else a
// partner's. It returns, as one uncertain reading, what in the blocks may
// have been misread (see README "Signatures read with doubt").
func signatures(forms []*form, primary *form, owner *schema.Owner, where map[string]schema.Evidence) ([]schema.Signature, []checks.Uncertain) {
	srcs := []*form{primary}
	electronic := false
	for _, f := range forms {
		electronic = electronic || f.electronic
	}
	signed := func(format func(extractor.Format) bool) []*form {
		var out []*form
		for _, f := range forms {
			if format(f.doc.Format) && len(f.signatures) > 0 {
				out = append(out, f)
			}
		}
		return out
	}
	isPDF := func(f extractor.Format) bool { return f == extractor.FormatPDF }
	if primary.doc.Format != extractor.FormatPDF {
		if pdfs := signed(isPDF); len(pdfs) > 0 {
			srcs = pdfs[:1]
		} else if imgs := signed(extractor.Format.IsImage); len(imgs) > 0 {
			srcs = imgs
		}
	}
	out := []schema.Signature{}
	hasOwner := false
	for _, src := range srcs {
		for _, b := range src.signatures {
			hasOwner = hasOwner || b.role == schema.RoleOwner
		}
	}
	var doubts []sigDoubt
	for _, src := range srcs {
		doubts = append(doubts, src.sigDoubts...)
		var boxes []geoBox
		if len(src.doc.Scans) > 0 {
			boxes = pageBoxes(src.doc)
		}
		for _, b := range src.signatures {
			s := schema.Signature{Role: b.role, Electronic: electronic}
			hand, page := handwritten(src, boxes, b)
			if page == 0 && b.loc.page > 0 && scanOf(src.doc, b.loc.page) != nil {
				page = b.loc.page // on a scanned page, its signature not placed
			}
			s.Handwritten = hand
			switch {
			case b.org != "":
				s.Organisation = ptr(b.org)
			case b.orgText != "":
				s.Organisation = ptr(b.orgText)
			}
			if s.Role == "" {
				s.Role = schema.RolePartner
				if !hasOwner && s.Organisation != nil && owner != nil && owner.Organisation != nil && *owner.Organisation == *s.Organisation {
					s.Role, hasOwner = schema.RoleOwner, true
				}
			}
			if b.date != nil {
				s.Date = dateString(*b.date)
			}
			s.Name = nonEmpty(b.name)
			s.Email = nonEmpty(restoreAt(b.email))
			base := "/signatures/" + strconv.Itoa(len(out))
			where[base] = evidence(b.loc)
			if b.nameLoc.file != "" {
				where[base+"/name"] = evidence(b.nameLoc)
			}
			if page > 0 {
				// The block is on a scanned page: the signature checks say so.
				where[base+"/handwritten"] = schema.Evidence{File: src.doc.Name, Page: ptr(page)}
			}
			out = append(out, s)
		}
	}
	return out, sigUncertain(doubts)
}

// maxDoubts bounds the doubts one message names.
const maxDoubts = 4

// sigUncertain folds the doubtful signature readings into one uncertain
// part: the signature checks then say so instead of reporting the
// applicant's errors the misreading would give.
func sigUncertain(doubts []sigDoubt) []checks.Uncertain {
	if len(doubts) == 0 {
		return nil
	}
	var what []string
	for k, d := range doubts {
		if k == maxDoubts {
			what = append(what, "och "+strconv.Itoa(len(doubts)-k)+" till")
			break
		}
		what = append(what, d.what+" ("+place(d.loc)+")")
	}
	return []checks.Uncertain{{
		Subject: "signatures", Path: "/signatures", Evidence: ptr(evidence(doubts[0].loc)),
		Message: "Underskrifterna kunde inte läsas med säkerhet: " + strings.Join(what, "; "),
	}}
}

// fill reads the form's fields and sections into the record.
// where records, for each field read, where it was seen.
// It returns the parts whose reading is doubtful.
func fill(rec *schema.Record, f *form, p *profile.Profile, where map[string]schema.Evidence) []checks.Uncertain {
	seen := func(ptr string, pt *part) {
		l := pt.loc
		if len(pt.items) > 0 {
			l = pt.items[0].loc // the answer, not the heading
		}
		where[ptr] = evidence(l)
	}
	if t := f.first(fieldTitle, ""); t != nil {
		rec.Title = nonEmpty(strings.Join(lines(t.items), " "))
		seen("/title", t)
	}
	if o := f.first(fieldOwner, ""); o != nil {
		rec.Owner = parseOwner(lines(o.items))
		seen("/owner", o)
	}
	if pp := f.first(fieldPartners, ""); pp != nil {
		ls := lines(pp.items)
		if rec.Owner == nil {
			// One list of all the parties, the owner marked in it:
			// "Organisation: Karlskoga kommun (insatsägare)".
			if o, rest := markedOwner(ls); o != nil {
				rec.Owner, ls = o, rest
				seen("/owner", pp)
			}
		}
		rec.Partners = parsePartners(ls, rec.Owner)
		seen("/partners", pp)
	}
	rec.Period = parsePeriod(f)
	for field, ptr := range map[string]string{fieldPeriod: "/period", fieldStart: "/period/start", fieldEnd: "/period/end", fieldIntakeEnd: "/period/intake_end"} {
		if ps := f.inlines(field); len(ps) > 0 {
			seen(ptr, ps[0])
		}
	}
	if ps := f.inlines(fieldParticipants); len(ps) > 0 {
		rec.ExpectedParticipants = parseParticipants(strings.Join(lines(ps[0].items), " "))
		seen("/expected_participants", ps[0])
	}
	for _, key := range sectionKeys(p) {
		if sp := f.first(fieldSection, key); sp != nil {
			rec.Sections[key] = schema.Section{Heading: sp.m.written, Text: sectionText(sp.items)}
			seen("/sections/"+key, sp)
		}
	}
	for _, x := range f.extras {
		seen("/extra_sections/"+strconv.Itoa(len(rec.ExtraSections)), x)
		rec.ExtraSections = append(rec.ExtraSections, schema.Section{Heading: x.m.written, Text: sectionText(x.items)})
	}
	if rec.ExpectedParticipants == nil {
		// No field for it: a sentence that states the number.
		if ep, e := proseParticipants(rec, where); ep != nil {
			rec.ExpectedParticipants, where["/expected_participants"] = ep, e
		}
	}
	if s, ok := rec.Sections[schema.SectionBudgetText]; ok {
		rec.RequestedAmountSEK = requestedAmount(s.Text)
		where["/requested_amount_sek"] = where["/sections/"+schema.SectionBudgetText]
	}
	if rec.RequestedAmountSEK == nil {
		// No budget section, or no amount in it: a sentence anywhere that
		// says what is applied for.
		if v, e := proseAmount(rec, where); v != nil {
			rec.RequestedAmountSEK, where["/requested_amount_sek"] = v, e
		}
	}
	offered := false // a Ja/Nej to mark: only a mark answers it
	if a := f.first(fieldAnchoring, ""); a != nil {
		offered = yesNoOffered(a.items)
		v, _ := readYesNo(a.items)
		rec.Anchoring = &schema.Anchoring{Discussed: v, How: nonEmpty(answerProse(a.items))}
		seen("/anchoring", a)
	}
	if h := f.first(fieldAnchoringHow, ""); h != nil {
		if rec.Anchoring == nil {
			rec.Anchoring = &schema.Anchoring{}
		}
		rec.Anchoring.How = nonEmpty(sectionText(h.items))
		if rec.Anchoring.Discussed == nil && rec.Anchoring.How != nil && !offered {
			rec.Anchoring.Discussed = proseYesNo(*rec.Anchoring.How)
		}
		seen("/anchoring/how", h)
	}
	return uncertainties(rec, f, p)
}

var (
	reOrgPrefix = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)^\s*organisation\s*:\s*`) })
	reContact   = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?i)^\s*(kontaktperson|kontakt|e-post|epost|telefon|tel|mobil)\b`)
	})
)

func parseOwner(ls []string) *schema.Owner {
	o := &schema.Owner{Units: []string{}}
	for _, l := range ls {
		l = reOrgPrefix().ReplaceAllString(l, "")
		if l == "" || reContact().MatchString(l) {
			continue // a contact line names a person, not a unit
		}
		if o.Organisation == nil {
			if org, rest, ok := SplitOrganisation(l); ok {
				o.Organisation = ptr(org)
				rest = strings.TrimLeft(rest, " ,/–-")
				if rest != "" {
					o.Units = append(o.Units, rest)
				}
				continue
			}
		}
		o.Units = append(o.Units, l)
	}
	if o.Organisation == nil && len(o.Units) > 0 {
		// An owner ansokan does not recognise as a member party: keep it as
		// written (the checks say it is not a member).
		o.Organisation = ptr(o.Units[0])
		o.Units = o.Units[1:]
	}
	return o
}

// reOwnerMark marks the owner in a list of the parties: "Karlskoga
// kommun (insatsägare)", "Region Halland – huvudsökande".
var reOwnerMark = regexp.MustCompile(`(?i)\s*(\(\s*(insatsägare|huvudinsatsägare|projektägare|huvudsökande|sökande|huvudman|ägare)\s*\)|[,–-]\s*(insatsägare|huvudinsatsägare|projektägare|huvudsökande|huvudman)\s*)$`)

// markedOwner finds the owner among the lines of a party list by its
// mark; rest are the other lines. nil when no line (or more than one)
// carries the mark.
func markedOwner(ls []string) (*schema.Owner, []string) {
	at := -1
	for i, l := range ls {
		if reOwnerMark.MatchString(l) {
			if at >= 0 {
				return nil, ls
			}
			at = i
		}
	}
	if at < 0 {
		return nil, ls
	}
	o := parseOwner([]string{reOwnerMark.ReplaceAllString(ls[at], "")})
	rest := append(append([]string{}, ls[:at]...), ls[at+1:]...)
	return o, rest
}

func parsePartners(ls []string, owner *schema.Owner) []schema.Partner {
	out := []schema.Partner{}
	seen := map[string]bool{}
	if owner != nil && owner.Organisation != nil {
		seen[*owner.Organisation] = true
	}
	for _, l := range ls {
		l = reOrgPrefix().ReplaceAllString(l, "")
		// "Arbetsförmedlingen, Region Uppsala och Försäkringskassan"
		for _, piece := range splitList(l) {
			for _, name := range organisations(piece) {
				if name == "" || seen[name] {
					continue
				}
				seen[name] = true
				out = append(out, schema.Partner{Organisation: name})
			}
		}
	}
	return out
}

// organisations reads one or more organisations from a line: a name
// ansokan knows, several names in a row ("Arbetsförmedlingen Region Skåne
// Försäkringskassan", as a PDF joins the lines of a cell), or else the
// line as written (a partner that is not a member party).
func organisations(s string) []string {
	if org, ok := CanonicalOrganisation(s); ok {
		return []string{org}
	}
	var out []string
	rest := s
	for rest != "" {
		org, r, ok := SplitOrganisation(rest)
		if !ok {
			break
		}
		out = append(out, org)
		rest = strings.TrimLeft(r, " ,;/–-")
	}
	if len(out) == 0 || rest != "" {
		if len(out) == 0 {
			return []string{strings.TrimSpace(s)}
		}
		out = append(out, strings.TrimSpace(rest))
	}
	return out
}

var reListSep = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\s*(?:,|;|\boch\b|\bsamt\b)\s*`) })

func splitList(s string) []string {
	if _, ok := CanonicalOrganisation(s); ok {
		return []string{s}
	}
	var out []string
	for _, p := range reListSep().Split(s, -1) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func parsePeriod(f *form) *schema.Period {
	per := &schema.Period{}
	pick := func(field string) *string {
		for _, lp := range f.inlines(field) {
			if ds := FindDates(strings.Join(lines(lp.items), " ")); len(ds) > 0 {
				if s := dateString(ds[0].Date); s != nil {
					return s
				}
			}
		}
		return nil
	}
	per.Start, per.End, per.IntakeEnd = pick(fieldStart), pick(fieldEnd), pick(fieldIntakeEnd)
	if per.IntakeEnd == nil {
		per.IntakeEnd = proseIntakeEnd(f.items)
	}
	if per.Start == nil && per.End == nil {
		if pp := f.first(fieldPeriod, ""); pp != nil {
			if d := prosePeriod(lines(pp.items)); len(d) >= 2 {
				per.Start, per.End = dateString(d[0].Date), dateString(d[1].Date)
			} else if len(d) == 1 {
				per.Start = dateString(d[0].Date)
			}
		}
	}
	if per.Start == nil && per.End == nil && per.IntakeEnd == nil {
		return nil
	}
	return per
}

var reApplies = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)gäller|ansök|förläng|planera`) })

// prosePeriod finds the period in free text: the line that says what the
// application covers ("Förlängningsansökan gäller perioden: 1/1-2023-
// 31/12–2023") before a line that tells the history, else the last line
// with two dates.
func prosePeriod(ls []string) []DateMatch {
	var last []DateMatch
	for _, l := range ls {
		ds := FindDates(l)
		if len(ds) >= 2 && reApplies().MatchString(l) {
			return ds
		}
		if len(ds) >= 2 || (len(ds) == 1 && last == nil) {
			last = ds
		}
	}
	return last
}

var (
	reCount   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\d[\d\s\x{00a0}]*`) })
	rePerYear = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?i)per\s+år|/\s*år|om året|årligen|varje år|per kalenderår`)
	})
)

func parseParticipants(text string) *schema.ExpectedParticipants {
	ep := &schema.ExpectedParticipants{Text: text}
	if m := reCount().FindString(text); m != "" {
		if n, err := strconv.Atoi(strings.Join(strings.Fields(m), "")); err == nil {
			ep.Count = &n
		}
	}
	ep.PerYear = rePerYear().MatchString(text)
	return ep
}

var (
	reAppliedFor = regexp.MustCompile(`(?i)(ansökt|sökt|ansöker om|söker|söks|totalt)\b`)
	// reFromForbund follows the amount applied for in its clause: "800 000
	// kr från förbundet", "1 200 000 kr söks".
	reFromForbund = regexp.MustCompile(`(?i)^[^.,;:0-9]{0,30}?\b(från (samordnings)?förbundet|söks|ansöks|rekvireras)\b`)
	// reNotApplied marks an amount that is not the one applied for: the
	// total cost, own or other financing, a part of another.
	reNotApplied = regexp.MustCompile(`(?i)(total(a)? kostnad|totalkostnad|egen ?finansiering|egenfinansiering|medfinansiering|övrig finansiering|varav)[^.]*$`)
)

// requestedAmount is the sum applied for as the text states it: the
// first amount after "Ansökt belopp"/"söker"/"söks", else an amount
// followed by "från förbundet"/"söks", else the first amount that is not
// the total cost, own financing or a part ("varav …") of another.
func requestedAmount(text string) *int64 {
	ams := FindAmounts(text)
	if len(ams) == 0 {
		return nil
	}
	clause := func(a AmountMatch) string { // the clause before the amount
		before := text[:a.Start]
		if i := strings.LastIndexAny(before, ".,;\n"); i >= 0 {
			before = before[i+1:]
		}
		return before
	}
	if loc := reAppliedFor.FindStringIndex(text); loc != nil {
		for _, a := range ams {
			if a.Start >= loc[1] && !reNotApplied.MatchString(text[loc[1]:a.Start]) {
				v := a.Kronor
				return &v
			}
		}
	}
	for _, a := range ams {
		if reFromForbund.MatchString(text[a.End:]) {
			v := a.Kronor
			return &v
		}
	}
	for _, a := range ams {
		if !reNotApplied.MatchString(clause(a)) {
			v := a.Kronor
			return &v
		}
	}
	v := ams[0].Kronor
	return &v
}

// resolveYesNo reads a Ja/Nej answer: ☒/☐ next to the words, or a mark
// ("x", "X", "✓") under one of the two words — in the same table column,
// or at the same horizontal position on a PDF page. nil when no answer
// can be read.
func resolveYesNo(items []item) *bool {
	for _, it := range items {
		if v := checkedYesNo(it.text); v != nil {
			return v
		}
	}
	var yes, no *item
	for i := range items {
		it := &items[i]
		words := strings.Fields(strings.ToLower(cleanText(it.text)))
		switch {
		case slices.Equal(words, []string{"ja"}):
			yes = it
		case slices.Equal(words, []string{"nej"}):
			no = it
		case slices.Equal(words, []string{"ja", "nej"}) && it.x1 > it.x0:
			// One PDF segment "Ja      Nej": halves are the best guess.
			mid := (it.x0 + it.x1) / 2
			y, n := *it, *it
			y.x1, n.x0 = mid, mid
			yes, no = &y, &n
		}
	}
	if yes == nil || no == nil {
		return nil
	}
	for _, it := range items {
		mark := strings.TrimSpace(it.text)
		if !isMark(mark) {
			continue
		}
		if it.table != 0 && it.table == yes.table && yes.table == no.table && yes.col != no.col {
			switch it.col {
			case yes.col:
				return ptr(true)
			case no.col:
				return ptr(false)
			}
		}
		if it.x1 > it.x0 && yes.x1 > yes.x0 && no.x1 > no.x0 {
			c := (it.x0 + it.x1) / 2
			dy := math.Abs(c - (yes.x0+yes.x1)/2)
			dn := math.Abs(c - (no.x0+no.x1)/2)
			if dy < dn {
				return ptr(true)
			}
			return ptr(false)
		}
	}
	return nil
}

func isMark(s string) bool {
	switch s {
	case "x", "X", "✓", "✔", "☒", "☑", "✗", "✘":
		return true
	}
	return false
}

var reBoxed = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)([☒☑☐])\s*(ja|nej)\b|\b(ja|nej)\s*([☒☑☐])`)
})

func checkedYesNo(text string) *bool {
	var yes, no *bool
	for _, m := range reBoxed().FindAllStringSubmatch(text, -1) {
		box, word := m[1], m[2]
		if box == "" {
			box, word = m[4], m[3]
		}
		checked := box != "☐"
		if strings.EqualFold(word, "ja") {
			yes = &checked
		} else {
			no = &checked
		}
	}
	switch {
	case yes != nil && *yes && (no == nil || !*no):
		return ptr(true)
	case no != nil && *no && (yes == nil || !*yes):
		return ptr(false)
	}
	return nil
}

// dateString renders a date for the record: "YYYY-MM-DD", "YYYY-MM" when
// the day is missing, "--MM-DD" (ISO 8601's date without year) when the
// year is missing, nil when nothing usable is there.
func dateString(d Date) *string {
	switch {
	case d.Year > 0 && d.Month > 0 && d.Day > 0:
		return ptr(fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day))
	case d.Year > 0 && d.Month > 0:
		return ptr(fmt.Sprintf("%04d-%02d", d.Year, d.Month))
	case d.Month > 0 && d.Day > 0:
		return ptr(fmt.Sprintf("--%02d-%02d", d.Month, d.Day))
	}
	return nil
}

func ptr[T any](v T) *T { return &v }

func nonEmpty(s string) *string {
	if s = strings.TrimSpace(s); s == "" {
		return nil
	}
	return &s
}
