#!/usr/bin/env bash
# Makes the scanned samples (samples/*-skannad.pdf, *-delskannad.pdf) and
# their gold from the committed digital samples: see samples/genscan.
# seed003 has no committed PDF: its Word form and budget workbook are
# exported with LibreOffice (Swedish locale) and merged first. Needs Go,
# LibreOffice (soffice), qpdf, poppler-utils (pdftoppm, pdftotext) and
# libtiff-tools (tiffcp, tiff2pdf). CI never runs it: the outputs are
# committed.
#
# Run from anywhere:  bash samples/gen/make-scans.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
samples="$(dirname "$here")"
root="$(dirname "$samples")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for tool in go soffice qpdf pdftoppm pdftotext tiffcp tiff2pdf; do
	command -v "$tool" >/dev/null || { echo "make-scans.sh: $tool not found" >&2; exit 1; }
done
mkdir -p "$work/lo/user"
cat >"$work/lo/user/registrymodifications.xcu" <<'XCU'
<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>sv-SE</value></prop></item>
</oor:items>
XCU
s003=seed003-arbetsstegen
soffice -env:UserInstallation="file://$work/lo" --headless --convert-to pdf --outdir "$work/pdf" \
	"$samples/$s003.docx" "$samples/$s003-budget.xlsx" >/dev/null
qpdf --empty --pages "$work/pdf/$s003.pdf" "$work/pdf/$s003-budget.pdf" -- "$work/$s003.pdf"
(cd "$root" && go run ./samples/genscan -samples "$samples" -work "$work" "$@")
ls -l "$samples"/*skannad.pdf
