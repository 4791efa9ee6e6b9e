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
	case errors.Is(err, extractor.ErrNoFiles):
		return "meddelandet saknar ansökningsfiler (.docx, .pdf eller .xlsx)"
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
