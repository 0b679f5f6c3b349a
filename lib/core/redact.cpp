#include "core/redact.h"

#include <mutex>
#include <vector>

namespace cxtm {
namespace {

std::mutex& secrets_mutex() {
  static std::mutex mutex;
  return mutex;
}

std::vector<std::string>& secrets() {
  static std::vector<std::string> values;
  return values;
}

}  // namespace

void register_secret(std::string value) {
  if (value.size() < 8) return;
  const std::lock_guard lock(secrets_mutex());
  secrets().push_back(std::move(value));
}

std::string redact(std::string_view text) {
  std::string out(text);
  const std::lock_guard lock(secrets_mutex());
  for (const std::string& secret : secrets()) {
    for (size_t at = out.find(secret); at != std::string::npos; at = out.find(secret, at)) {
      out.replace(at, secret.size(), "[REDACTED]");
    }
  }
  return out;
}

}  // namespace cxtm
