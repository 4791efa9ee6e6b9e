#!/usr/bin/env bash
# Builds the "wrong kind of file" fixtures of extractor's TestReadKinds
# from the other fixtures. Run from this directory. Needs LibreOffice
# (soffice), pandoc, poppler-utils (pdftoppm), libheif-examples (heif-enc)
# and python3 (stdlib only). CI needs none of them: the outputs are
# committed. All content is invented.
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

docx=../docx/writer.docx
xlsx=../xlsx/budget_lo.xlsx

# Legacy binary Office files and OpenDocument, saved by LibreOffice.
soffice --headless --convert-to doc --outdir "$tmp" "$docx" >/dev/null
soffice --headless --convert-to odt --outdir "$tmp" "$docx" >/dev/null
soffice --headless --convert-to rtf --outdir "$tmp" "$docx" >/dev/null
soffice --headless --convert-to xls --outdir "$tmp" "$xlsx" >/dev/null
soffice --headless --convert-to ods --outdir "$tmp" "$xlsx" >/dev/null
cp "$tmp/writer.doc" legacy.doc
cp "$tmp/writer.odt" text.odt
cp "$tmp/writer.rtf" text.rtf
cp "$tmp/budget_lo.xls" legacy.xls
cp "$tmp/budget_lo.ods" budget.ods

# HTML and plain text, by pandoc from the Word fixture.
pandoc -f docx -t html5 -s --metadata title=Ansökan -o page.html "$docx"
pandoc -f docx -t plain -o text.txt "$docx"

# Images: a scanned page, rasterised small.
pdftoppm -r 12 -f 1 -l 1 -singlefile -png ../pdf/cid.pdf "$tmp/scan"
pdftoppm -r 12 -f 1 -l 1 -singlefile -jpeg ../pdf/cid.pdf "$tmp/scan"
pdftoppm -r 12 -f 1 -l 1 -singlefile -tiff -tiffcompression deflate ../pdf/cid.pdf "$tmp/scan"
cp "$tmp/scan.png" scan.png
cp "$tmp/scan.jpg" scan.jpg
cp "$tmp/scan.tif" scan.tif
heif-enc -q 10 -o scan.heic scan.png >/dev/null
# GIF: no tool here writes one; a 2x2 two-colour image, byte by byte.
python3 - <<'PY'
gif = (b"GIF89a" + b"\x02\x00\x02\x00" + b"\x80\x00\x00"   # 2x2, global palette of 2
       + b"\xff\xff\xff" + b"\x00\x00\x00"                   # white, black
       + b"\x2c\x00\x00\x00\x00\x02\x00\x02\x00\x00"         # image descriptor
       + b"\x02\x02\x44\x01\x00"                             # LZW min size 2, 2-byte block
       + b"\x3b")
open("scan.gif", "wb").write(gif)
PY

# Empty.
: > empty.pdf
ls -l
