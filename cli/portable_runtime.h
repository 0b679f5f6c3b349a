#pragma once
// What the portable (fully static) build must set up before anything resolves a host name.

namespace cxtm::cli {

// In the static build: host names are looked up in /etc/hosts and DNS only. A static glibc has
// those two built in but loads any other NSS module (myhostname, resolve, sss, ...) with
// dlopen, and a module from the host's glibc (2.28 on RHEL 8) in a binary linked with a newer
// one is not safe to load. Elsewhere: nothing.
void prepare_portable_runtime();

}  // namespace cxtm::cli
