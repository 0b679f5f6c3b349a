#include "core/secret_env.h"

#include <sys/prctl.h>

#include <cstdlib>
#include <cstring>
#include <map>

#include "core/redact.h"

extern char** environ;

namespace cxtm {
namespace {

std::map<std::string, std::string, std::less<>>& taken() {
  static std::map<std::string, std::string, std::less<>> values;
  return values;
}

// Overwrites the value of every NAME=value entry in place: unsetenv alone leaves the bytes in the
// block the kernel shows as /proc/<pid>/environ.
void wipe(const std::string& name) {
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    if (std::strncmp(*entry, name.c_str(), name.size()) == 0 && (*entry)[name.size()] == '=') {
      char* value = *entry + name.size() + 1;
      std::memset(value, 0, std::strlen(value));
    }
  }
}

}  // namespace

std::optional<std::string> take_secret_env(const std::string& name) {
  if (name.empty()) return std::nullopt;
  if (const auto found = taken().find(name); found != taken().end()) {
    if (found->second.empty()) return std::nullopt;
    return found->second;
  }
  const char* value = std::getenv(name.c_str());
  std::string copy = value != nullptr ? value : "";
  if (value != nullptr) {
    wipe(name);
    ::unsetenv(name.c_str());
  }
  taken()[name] = copy;
  if (copy.empty()) return std::nullopt;
  register_secret(copy);
  return copy;
}

void take_known_secrets() {
  ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  for (std::string_view name : kSecretVariables) take_secret_env(std::string(name));
}

}  // namespace cxtm
