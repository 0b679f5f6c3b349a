#!/usr/bin/env bash
# Usage: packaging/check-portable.sh [BUILD_DIR]      (default: build-portable)
# Proves the portable build runs where the issue says it must (RHEL 8.4: glibc 2.28):
#  1. linkage: static (no interpreter, no shared library, no versioned symbol), or else no
#     GLIBC_ symbol version above 2.28; and a kernel ABI note no newer than RHEL 8's 4.18;
#  2. an empty chroot holding only the binary, an example config and a minimal /etc:
#     --version, render (compared with the committed manifests/), render dockerfile, man;
#  3. HTTPS the way the binary makes it (cxtm-https-probe): a local TLS server whose CA sits
#     only at RHEL's bundle path, reached by a name from /etc/hosts and, as root with python3,
#     by a name from a DNS server on 127.0.0.153.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-portable}
bin=$build/cli/cxtm-o11y
probe=$build/cli/cxtm-https-probe
max_glibc=2.28
max_kernel=4.18.0
fail() { echo "check-portable: FAIL: $*" >&2; exit 1; }
source packaging/prints.sh
version_le() { [[ $(printf '%s\n%s\n' "$1" "$2" | sort -V | head -1) == "$1" ]]; }

[[ -x $bin ]] || fail "$bin is missing (cmake --preset portable && cmake --build --preset portable)"
echo "== linkage of $bin ($(stat -c %s "$bin") bytes)"
if prints 'program interpreter' readelf -l "$bin"; then
  needed=$(readelf -d "$bin" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p')
  echo "dynamic; needs: $(echo $needed)"
  for library in $needed; do
    case $library in
      libc.so.6 | libm.so.6 | libpthread.so.0 | libdl.so.2 | librt.so.1 | ld-linux-x86-64.so.2) ;;
      *) fail "needs $library, which a bare RHEL 8 may not have" ;;
    esac
  done
  versions=$(objdump -T "$bin" | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -uV)
  echo "GLIBC versions required: $(echo $versions)"
  newest=$(echo "$versions" | tail -1)
  version_le "$newest" "$max_glibc" || fail "requires GLIBC_$newest, newer than $max_glibc"
else
  prints NEEDED readelf -d "$bin" 2>/dev/null && fail "no interpreter, yet NEEDED entries"
  [[ -z $(readelf --dyn-syms "$bin" | grep GLIBC_ || true) ]] ||
    fail "static, yet versioned glibc symbols"
  echo "static: no program interpreter, no shared library, no versioned symbol"
fi
kernel=$(readelf -n "$bin" | sed -n 's/.*OS: Linux, ABI: \([0-9.]*\).*/\1/p')
echo "kernel ABI note: ${kernel:-none}"
[[ -z $kernel ]] || version_le "$kernel" "$max_kernel" || fail "needs Linux $kernel > $max_kernel"

root=$(mktemp -d)
server_pid=""
dns_pid=""
cleanup() {
  [[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null
  [[ -n $dns_pid ]] && kill "$dns_pid" 2>/dev/null
  rm -rf "$root"
}
trap cleanup EXIT
mkdir -p "$root/etc/pki/tls/certs" "$root/tls"
cp "$bin" "$root/cxtm-o11y"
cp examples/cxtm-poc.yaml "$root/cxtm-poc.yaml"
printf '127.0.0.1 localhost\n' >"$root/etc/hosts"
if [[ $(id -u) == 0 ]]; then
  in_root() { env -i "$(command -v chroot)" "$root" "$@"; }  # env -i also drops PATH
else
  in_root() { env -i "$(command -v unshare)" -r "$(command -v chroot)" "$root" "$@"; }
fi
echo "== in an empty chroot: $(cd "$root" && find . -type f | sort | tr '\n' ' ')"
version=$(in_root /cxtm-o11y --version) || fail "--version"
echo "--version: $version"
in_root /cxtm-o11y -c /cxtm-poc.yaml render >"$root/render.yaml" || fail "render"
grep -q '^kind: DaemonSet' "$root/render.yaml" || fail "render printed no DaemonSet"
in_root /cxtm-o11y -c /cxtm-poc.yaml render --output-dir /out >/dev/null ||
  fail "render --output-dir"
diff -r manifests "$root/out" || fail "render in the chroot differs from manifests/"
echo "render: $(ls "$root/out" | wc -l) files, identical to manifests/"
prints '^FROM ' in_root /cxtm-o11y -c /cxtm-poc.yaml render dockerfile ||
  fail "render dockerfile"
prints '^\.TH ' in_root /cxtm-o11y man || fail "man"
echo "render dockerfile, man: ok"

[[ -x $probe ]] || fail "$probe is missing"
echo "== HTTPS from the chroot"
tls=$root/tls
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=cxtm-o11y check CA" \
  -keyout "$tls/ca.key" -out "$tls/ca.crt" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=ingest.cxtm.test" -keyout "$tls/server.key" \
  -out "$tls/server.csr" 2>/dev/null
printf 'subjectAltName=DNS:ingest.cxtm.test,DNS:dns.cxtm.test\n' >"$tls/san.ext"
openssl x509 -req -in "$tls/server.csr" -CA "$tls/ca.crt" -CAkey "$tls/ca.key" \
  -CAcreateserial -days 2 -extfile "$tls/san.ext" -out "$tls/server.crt" 2>/dev/null
cp "$tls/ca.crt" "$root/etc/pki/tls/certs/ca-bundle.crt"  # RHEL's location, not Debian's
cp "$probe" "$root/cxtm-https-probe"
for _ in 1 2 3 4 5 6 7 8 9 10; do
  port=$((20000 + RANDOM % 20000))
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || break
done
openssl s_server -quiet -www -accept "127.0.0.1:$port" -cert "$tls/server.crt" \
  -key "$tls/server.key" </dev/null >/dev/null 2>&1 &
server_pid=$!
for _ in $(seq 50); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  sleep 0.1
done
printf '127.0.0.1 localhost\n127.0.0.1 ingest.cxtm.test\n' >"$root/etc/hosts"
in_root /cxtm-https-probe "https://ingest.cxtm.test:$port/" || fail "HTTPS by /etc/hosts name"

if [[ $(id -u) == 0 ]] && command -v python3 >/dev/null; then
  # A DNS server that answers A 127.0.0.1 for every name (and nothing for other types), for
  # 30 seconds at most.
  python3 - 127.0.0.153 "$tls/dns-ready" <<'PY' &
import socket, struct, sys, time
sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.bind((sys.argv[1], 53))
sock.settimeout(1)
open(sys.argv[2], "w").close()  # bound: queries are answered from now on
deadline = time.time() + 30
while time.time() < deadline:
    try:
        query, peer = sock.recvfrom(512)
    except socket.timeout:
        continue
    end = 12
    while query[end] != 0:
        end += query[end] + 1
    question = query[12:end + 5]
    qtype = struct.unpack(">H", query[end + 1:end + 3])[0]
    answers = b""
    if qtype == 1:
        answers = b"\xc0\x0c" + struct.pack(">HHIH", 1, 1, 60, 4) + socket.inet_aton("127.0.0.1")
    header = query[:2] + struct.pack(">HHHHH", 0x8180, 1, 1 if answers else 0, 0, 0)
    sock.sendto(header + question + answers, peer)
PY
  dns_pid=$!
  # Until it is bound (python3 can take seconds to start on a loaded machine).
  for _ in $(seq 100); do
    [[ -e $tls/dns-ready ]] && break
    sleep 0.1
  done
  printf '127.0.0.1 localhost\n' >"$root/etc/hosts"
  printf 'nameserver 127.0.0.153\noptions timeout:2 attempts:2\n' >"$root/etc/resolv.conf"
  in_root /cxtm-https-probe "https://dns.cxtm.test:$port/" || fail "HTTPS by DNS name"
else
  echo "(DNS check skipped: needs root and python3)"
fi
echo "check-portable: all checks passed"
