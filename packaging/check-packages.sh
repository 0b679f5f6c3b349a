#!/usr/bin/env bash
# Usage: packaging/check-packages.sh [BUILD_DIR]      (default: build-portable)
# Inspects the RPM and .deb that `cpack` wrote into BUILD_DIR: the files each installs, that
# the kubectl plugin is a link to the binary, that neither needs a shared library, and that
# the binary inside runs.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-portable}
fail() { echo "check-packages: FAIL: $*" >&2; exit 1; }
source packaging/prints.sh

expected="/usr/bin/cxtm-o11y
/usr/bin/kubectl-cxtm_o11y
/usr/share/bash-completion/completions/cxtm-o11y
/usr/share/bash-completion/completions/kubectl-cxtm_o11y
/usr/share/man/man1/cxtm-o11y.1.gz
/usr/share/zsh/site-functions/_cxtm-o11y"

rpm_file=$(ls "$build"/cxtm-o11y-*.rpm 2>/dev/null | head -1)
deb_file=$(ls "$build"/cxtm-o11y_*.deb 2>/dev/null | head -1)
[[ -n $rpm_file ]] || fail "no RPM in $build (cpack --preset portable)"
[[ -n $deb_file ]] || fail "no .deb in $build (cpack --preset portable)"

echo "== $rpm_file ($(stat -c %s "$rpm_file") bytes)"
rpm -qip "$rpm_file" 2>/dev/null | grep -E '^(Name|Version|Architecture|Size|Summary)'
rpm_files=$(rpm -qlp "$rpm_file" 2>/dev/null)
echo "$rpm_files"
[[ $(echo "$rpm_files" | sort) == "$expected" ]] || fail "the RPM's files differ from: $expected"
prints -x '/usr/bin/kubectl-cxtm_o11y -> cxtm-o11y' \
  rpm -qp --qf '[%{FILENAMES} -> %{FILELINKTOS}\n]' "$rpm_file" 2>/dev/null ||
  fail "RPM: the plugin is not a link"
requires=$(rpm -qp --requires "$rpm_file" 2>/dev/null | grep -v '^rpmlib(' || true)
echo "requires: ${requires:-(nothing)}"
[[ -z $(echo "$requires" | grep '\.so' || true) ]] || fail "the RPM requires shared libraries"

echo "== $deb_file ($(stat -c %s "$deb_file") bytes)"
dpkg-deb -f "$deb_file" Package Version Architecture Depends Recommends Installed-Size
deb_listing=$(dpkg-deb -c "$deb_file")
echo "$deb_listing" | awk '{print $1, $6, $7, $8}'
deb_files=$(echo "$deb_listing" | awk '$1 !~ /^d/ {sub(/^\./, "", $6); print $6}' | sort)
[[ $deb_files == "$expected" ]] || fail "the .deb's files differ from: $expected"
grep -q 'usr/bin/kubectl-cxtm_o11y -> cxtm-o11y' <<<"$deb_listing" ||
  fail ".deb: the plugin is not a link"
[[ -z $(dpkg-deb -f "$deb_file" Depends) ]] || fail "the .deb depends on packages"

echo "== the packaged binary"
unpacked=$(mktemp -d)
trap 'rm -rf "$unpacked"' EXIT
dpkg-deb -x "$deb_file" "$unpacked"
"$unpacked/usr/bin/cxtm-o11y" --version
"$unpacked/usr/bin/kubectl-cxtm_o11y" --version >/dev/null
prints '^\.TH CXTM\\-O11Y 1' zcat "$unpacked/usr/share/man/man1/cxtm-o11y.1.gz" ||
  fail "the man page is not a man page"
bash -n "$unpacked/usr/share/bash-completion/completions/cxtm-o11y" || fail "bash completion"
echo "check-packages: all checks passed"
