#include "core/redact.h"

#include <mutex>
#include <vector>

#include "core/digest.h"

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
  // Its base64 form too: a Secret's data carries it so, and an API error may echo that back.
  std::string encoded = base64_encode(value);
  const std::lock_guard lock(secrets_mutex());
  secrets().push_back(std::move(value));
  secrets().push_back(std::move(encoded));
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
