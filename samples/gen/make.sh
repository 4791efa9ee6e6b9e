#!/usr/bin/env bash
# Regenerates every sample in samples/: the .docx and .xlsx files from
# gen/main.go, then the PDFs with LibreOffice and qpdf, and the one
# workbook re-saved by LibreOffice so that it carries cached formula
# values. Needs Go, LibreOffice (soffice), qpdf and poppler-utils
# (pdftotext). CI has none of the last three: the outputs are committed.
#
# Run from anywhere:  bash samples/gen/make.sh
# Only some families' PDFs (the others stay as committed):
#                     bash samples/gen/make.sh e-bron-till-arbete f-kustnara-stod
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
samples="$(dirname "$here")"
root="$(dirname "$samples")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

for tool in go soffice qpdf pdftotext; do
	command -v "$tool" >/dev/null || { echo "make.sh: $tool not found" >&2; exit 1; }
done

# 1. Word documents, workbooks, the ground truth (samples/gold) and the
# e-signature stamp page. With stems named, only their files (and the
# blank templates) are copied in.
if [ $# -gt 0 ]; then
	mkdir -p "$work/gen"
	(cd "$root" && go run ./samples/gen -out "$work/gen" -work "$work")
	for x in "$@"; do
		cp "$work/gen/$x".docx "$work/gen/$x"-budget.xlsx "$samples/"
		cp "$work/gen/gold/$x.json" "$samples/gold/"
	done
	mkdir -p "$samples/templates"
	cp "$work/gen/templates/"*.docx "$samples/templates/"
else
	(cd "$root" && go run ./samples/gen -out "$samples" -work "$work")
fi

# LibreOffice with a private profile (no clash with a running instance)
# set to the Swedish locale, so that numbers print as "1 362 000".
mkdir -p "$work/lo/user"
cat >"$work/lo/user/registrymodifications.xcu" <<'XCU'
<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>sv-SE</value></prop></item>
</oor:items>
XCU
lo() { soffice -env:UserInstallation="file://$work/lo" --headless "$@" >/dev/null; }

# Stems named on the command line: export only their PDFs, and stop.
if [ $# -gt 0 ]; then
	mkdir -p "$work/pdf"
	for x in "$@"; do
		lo --convert-to pdf --outdir "$work/pdf" "$samples/$x.docx"
		cp "$work/pdf/$x.pdf" "$samples/$x.pdf"
	done
	for x in "$@"; do ls -l "$samples/$x"*; done
	exit 0
fi

a=a-sprangbradan
b=b-nasta-steg
s000=seed000-samordnat-stod
c=c-vagen-vidare
d=d-steg-for-steg
g=g-ett-steg-till
e=e-bron-till-arbete
f=f-kustnara-stod
h=h-langa-namn
i=i-smala-kolumner

# 2. PDF exports of the Word documents and of the seed 000 workbook.
mkdir -p "$work/pdf"
lo --convert-to pdf --outdir "$work/pdf" "$samples/$a.docx" "$samples/$b.docx" \
	"$samples/$s000.docx" "$samples/$s000-budget.xlsx" "$samples/$c.docx" "$samples/$d.docx" \
	"$samples/$e.docx" "$samples/$f.docx" "$samples/$g.docx" \
	"$samples/$h.docx" "$samples/$i.docx" "$samples/$i-budget.xlsx"
for x in "$a" "$b" "$c" "$d" "$e" "$f" "$g" "$h"; do
	cp "$work/pdf/$x.pdf" "$samples/$x.pdf"
done
# I: the application followed by its workbook as LibreOffice Calc prints it.
qpdf --empty --pages "$work/pdf/$i.pdf" "$work/pdf/$i-budget.pdf" -- "$samples/$i.pdf"

# 3. Seed 000: application + budget in one PDF, with the e-signature
# stamp on one page only: the page that holds Region Uppsala's block.
qpdf --empty --pages "$work/pdf/$s000.pdf" "$work/pdf/$s000-budget.pdf" -- "$work/merged.pdf"
pages=$(qpdf --show-npages "$work/merged.pdf")
target=""
for ((p = 1; p <= pages; p++)); do
	if pdftotext -layout -f "$p" -l "$p" "$work/merged.pdf" - | grep -q "Region Uppsala 2022-06-"; then
		target=$p
		break
	fi
done
[ -n "$target" ] || { echo "make.sh: Region Uppsala's signature block not found" >&2; exit 1; }
qpdf "$work/merged.pdf" --overlay "$work/stamp.pdf" --to="$target" -- "$samples/$s000.pdf"
echo "make.sh: e-signature stamp on page $target of $s000.pdf"

# 4. Sample A's workbook re-saved by LibreOffice: formulas with cached
# values. This uses a second profile left at LibreOffice's default locale:
# the Swedish one rewrites the number formats on save (yy-mm-dd becomes
# yy/mm/dd, 0% becomes "0\ %"), the default one keeps them (yy\-mm\-dd).
mkdir -p "$work/xlsx"
soffice -env:UserInstallation="file://$work/lo-default" --headless \
	--convert-to xlsx:"Calc MS Excel 2007 XML" --outdir "$work/xlsx" "$samples/$a-budget.xlsx" >/dev/null
cp "$work/xlsx/$a-budget.xlsx" "$samples/$a-budget.xlsx"

# 5. The digitally signed samples, from A's new PDF, workbook and gold
# (samples/gensig; its TestUpToDate fails until this has run).
(cd "$root" && go run ./samples/gensig)

ls -l "$samples"/*.docx "$samples"/*.pdf "$samples"/*.xlsx
