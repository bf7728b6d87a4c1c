#!/usr/bin/env bash
# Regenerates the demo work folder samples/demo (period 2026-10).
#
#   bash samples/make_demo.sh [OUT]        (OUT defaults to samples/demo)
#
# Runs `cargo run --example make_demo -- OUT TMP`, which writes every workbook
# as .xlsx; the two meant to be a legacy .xls and an .ods are written to TMP
# and converted here with LibreOffice (soffice), then TMP is removed.
# Needs LibreOffice: apt-get install -y libreoffice-calc
# MAKE_DEMO overrides the generator command (default: cargo run --example make_demo --).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-samples/demo}
command -v soffice >/dev/null || { echo "make_demo.sh: soffice (LibreOffice) not found" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rm -rf "$out/inbox"
# shellcheck disable=SC2086
${MAKE_DEMO:-cargo run --quiet --example make_demo --} "$out" "$tmp/xlsx"
# a private LibreOffice profile, so that a running soffice does not interfere
lo=(soffice "-env:UserInstallation=file://$tmp/profile" --headless)
"${lo[@]}" --convert-to xls --outdir "$out/inbox" "$tmp/xlsx/重点项目调度表_2026-10.xlsx"
"${lo[@]}" --convert-to ods --outdir "$out/inbox" "$tmp/xlsx/县文化和旅游局_2026年10月.xlsx"
ls -la "$out/inbox"
