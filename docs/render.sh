#!/usr/bin/env bash
# Regenerate the pictures README.md shows: the first printed page of 总览 and
# of 单位排名 in the demo workbook, and the first page of the 通报 document and
# its page with the charts, as LibreOffice prints them (what tests/print.rs
# measures).
#
#   bash docs/render.sh        # writes docs/overview.png, docs/ranking.png,
#                              # docs/notice.png, docs/notice-charts.png
#
# Needs what .ci/run installs: soffice (Calc, Writer), pdftoppm/pdftotext
# (poppler-utils), fonts-wqy-microhei, fonts-crosextra-carlito.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cargo build --release --bin diaodu >&2
target/release/diaodu run samples/demo --out "$tmp/out" --force >/dev/null
lo=(soffice "-env:UserInstallation=file://$tmp/lo" --headless --convert-to pdf)
"${lo[@]}" --outdir "$tmp/x" "$tmp/out/调度通报_2026-10.xlsx" >/dev/null
"${lo[@]}" --outdir "$tmp/d" "$tmp/out/调度通报_2026-10.docx" >/dev/null
xlsx_pdf="$tmp/x/调度通报_2026-10.pdf"
# The first page whose page header names the sheet.
first_page() {
  local pages i
  pages=$(pdfinfo "$xlsx_pdf" | awk '/^Pages:/ {print $2}')
  for i in $(seq 1 "$pages"); do
    if pdftotext -f "$i" -l "$i" -layout "$xlsx_pdf" - | head -3 | grep -q "$1"; then
      echo "$i"
      return
    fi
  done
  echo "no page for $1" >&2
  exit 1
}
page() { # pdf, page, output name
  pdftoppm -r 80 -png -f "$2" -l "$2" -singlefile "$1" "docs/$3"
}
page "$xlsx_pdf" "$(first_page 总览)" overview
page "$xlsx_pdf" "$(first_page 单位排名)" ranking
docx_pdf="$tmp/d/调度通报_2026-10.pdf"
page "$docx_pdf" 1 notice
# The page that starts the charts: the one with 四、图表.
charts=$(for i in $(seq 1 "$(pdfinfo "$docx_pdf" | awk '/^Pages:/ {print $2}')"); do
  pdftotext -f "$i" -l "$i" "$docx_pdf" - | grep -q "四、图表" && echo "$i" && break
done)
page "$docx_pdf" "${charts:?no page with 四、图表}" notice-charts
ls -l docs/overview.png docs/ranking.png docs/notice.png docs/notice-charts.png
