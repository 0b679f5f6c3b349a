#include "core/bounded_input.h"

#include <fmt/core.h>

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>

#include "core/error.h"

namespace cxtm {
namespace {

std::string describe_size(std::size_t bytes) {
  if (bytes >= (1u << 20) && bytes % (1u << 20) == 0) return fmt::format("{} MiB", bytes >> 20);
  if (bytes >= (1u << 10) && bytes % (1u << 10) == 0) return fmt::format("{} KiB", bytes >> 10);
  return fmt::format("{} bytes", bytes);
}

std::optional<std::size_t> parse_size(std::string_view text) {
  std::size_t number = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (error != std::errc() || end == text.data()) return std::nullopt;
  const std::string_view suffix(end, text.data() + text.size() - end);
  const int shift = suffix.empty()   ? 0
                    : suffix == "Ki" ? 10
                    : suffix == "Mi" ? 20
                    : suffix == "Gi" ? 30
                                     : -1;
  if (shift < 0 || number == 0 || number > (SIZE_MAX >> shift)) return std::nullopt;
  return number << shift;
}

}  // namespace

std::size_t max_input_bytes() {
  const char* value = std::getenv(std::string(kMaxInputBytesVariable).c_str());
  if (value == nullptr || *value == '\0') return kDefaultMaxInputBytes;
  if (const auto size = parse_size(value)) return *size;
  throw Error(ExitCode::usage,
              fmt::format("{}: '{}' is not a size (bytes, or with Ki, Mi or Gi: 16Mi)",
                          kMaxInputBytesVariable, value));
}

std::string read_input(const std::string& path, std::size_t max_bytes) {
  const bool from_stdin = path == "-";
  const std::string name = from_stdin ? "<stdin>" : path;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> owned(
      from_stdin ? nullptr : std::fopen(path.c_str(), "rb"), &std::fclose);
  std::FILE* file = from_stdin ? stdin : owned.get();
  if (file == nullptr) throw Error(ExitCode::usage, fmt::format("{}: cannot read the file", name));
  std::string text;
  char buffer[1 << 16];
  while (text.size() <= max_bytes) {
    const std::size_t got = std::fread(buffer, 1, sizeof buffer, file);
    text.append(buffer, got);
    if (got < sizeof buffer) break;
  }
  if (std::ferror(file))
    throw Error(ExitCode::usage, fmt::format("{}: cannot read the file", name));
  if (text.size() > max_bytes) {
    throw Error(ExitCode::usage,
                fmt::format("{}: longer than the input limit of {}; inputs that large are refused "
                            "unread (raise the limit with {}=<bytes>, like 16Mi)",
                            name, describe_size(max_bytes), kMaxInputBytesVariable));
  }
  return text;
}

}  // namespace cxtm
