#!/usr/bin/env bash
# Usage: packaging/fetch-curl-source.sh DIR
# Unpacks the source of Debian's curl package (the version this machine's apt knows, with
# Debian's security patches applied) into DIR, for the portable build (cmake/Portable.cmake).
# Uses a private apt configuration holding deb-src twins of the system's entries, so the
# system's own sources are left alone. Needs apt-get, dpkg-source (dpkg-dev) and the network route apt already uses.
set -euo pipefail
dest=${1:?usage: $0 DIR}
if [[ -f $dest/CMakeLists.txt ]]; then
  echo "curl source already in $dest"
  exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/sources" "$work/lists/partial" "$work/download"

# The system's own archives (whatever mirror it is set up with), as deb-src.
shopt -s nullglob
for file in /etc/apt/sources.list.d/*.sources; do
  sed -E 's/^Types:.*/Types: deb-src/' "$file" >"$work/sources/$(basename "$file")"
done
for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
  [[ -f $file ]] || continue
  sed -nE 's/^deb[[:space:]]+/deb-src /p' "$file" >"$work/sources/$(basename "$file").list"
done
apt_options=(-o "Dir::Etc::SourceList=/dev/null" -o "Dir::Etc::SourceParts=$work/sources"
  -o "Dir::State::Lists=$work/lists" -o "APT::Sandbox::User=root")
# An entry without sources (a third-party repository) fails alone; apt-get source says if
# none had curl.
apt-get "${apt_options[@]}" -qq update || true
(cd "$work/download" && apt-get "${apt_options[@]}" -qq source --download-only curl)
dsc=$(ls "$work"/download/curl_*.dsc)
rm -rf "$dest"
mkdir -p "$(dirname "$dest")"
dpkg-source --no-check -x "$dsc" "$dest" >/dev/null
echo "curl $(basename "$dsc" .dsc | sed 's/^curl_//') unpacked into $dest"
