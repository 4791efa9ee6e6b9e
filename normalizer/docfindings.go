package normalizer

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/schema"
)

// unreadable is the finding for a file that could not be read at all.
func unreadable(name string, file int, err error) schema.Finding {
	reason := "okänt fel"
	if err != nil {
		reason = err.Error()
		var e *extractor.Error
		if errors.As(err, &e) {
			reason = e.Err.Error()
		}
	}
	msg := fmt.Sprintf("Filen %s kunde inte läsas: %s.", name, reasonSV(err, reason))
	return schema.Finding{
		Code: schema.CodeDocumentUnreadable, Severity: schema.SeverityError,
		Subject: ptr(name), Message: msg, Path: "/source/files/" + strconv.Itoa(file),
		Evidence: &schema.Evidence{File: name},
	}
}

// reasonSV says in Swedish why a file could not be read; the technical
// reason follows in parentheses.
func reasonSV(err error, reason string) string {
	var sv string
	switch {
	case errors.Is(err, ErrSubmissionLimit):
		sv = "inskickningen är för stor för att läsas i sin helhet"
		reason = strings.TrimPrefix(reason, ErrSubmissionLimit.Error()+": ")
	case errors.Is(err, extractor.ErrEncrypted):
		sv = "filen är lösenordsskyddad"
	case errors.Is(err, extractor.ErrUnsupported):
		sv = "filformatet stöds inte"
	case errors.Is(err, extractor.ErrEmpty):
		sv = "filen är tom"
	case errors.Is(err, extractor.ErrLimit):
		sv = "filen är för stor eller för komplex för att läsas"
	case errors.Is(err, extractor.ErrCorrupt):
		sv = "filen är trasig"
	default:
		sv = "filen gick inte att öppna"
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return sv
	}
	return sv + " (" + reason + ")"
}

// noText reports PDF pages without a text layer: the whole document
// (error: nothing could be read) or some pages (warning, one finding per
// page: typically signature pages signed by hand and scanned back in).
func noText(d *extractor.Document, file int) []schema.Finding {
	path := "/source/files/" + strconv.Itoa(file)
	if d.Format != extractor.FormatPDF || len(d.NoTextPages) == 0 {
		return nil
	}
	if len(d.NoTextPages) >= d.Pages {
		return []schema.Finding{{
			Code: schema.CodeDocumentNoText, Severity: schema.SeverityError, Subject: ptr(d.Name),
			Message:  fmt.Sprintf("PDF-filen %s saknar text (inskannad?): innehållet kunde inte läsas. Be om ansökan som Word-fil eller som PDF sparad direkt från Word.", d.Name),
			Path:     path,
			Evidence: &schema.Evidence{File: d.Name},
		}}
	}
	var out []schema.Finding
	for _, p := range d.NoTextPages {
		out = append(out, schema.Finding{
			Code: schema.CodeDocumentNoText, Severity: schema.SeverityWarning, Subject: ptr(d.Name),
			Message:  fmt.Sprintf("Sidan %d i %s saknar text (inskannad sida): det som står där, till exempel underskrifter, kunde inte kontrolleras.", p, d.Name),
			Path:     path,
			Evidence: &schema.Evidence{File: d.Name, Page: ptr(p)},
		})
	}
	return out
}
