#include "instrument/installer_report.h"

#include <charconv>

#include "core/split.h"

namespace cxtm::instrument {
namespace {

constexpr std::string_view kAdded = "cxtm-o11y installer: added ";
constexpr std::string_view kKept = "cxtm-o11y installer: the app's own, kept: ";
constexpr std::string_view kOverrides = "; overrides of the app's distributions: ";
constexpr std::string_view kPip = "Successfully installed ";

// The rest of the last line that starts with marker, or nullopt.
std::optional<std::string_view> last_line_after(std::string_view log, std::string_view marker) {
  size_t at = log.rfind(marker);
  while (at != std::string_view::npos && at > 0 && log[at - 1] != '\n') {
    at = log.rfind(marker, at - 1);
  }
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view rest = log.substr(at + marker.size());
  rest = rest.substr(0, rest.find('\n'));
  if (!rest.empty() && rest.back() == '\r') rest.remove_suffix(1);
  return rest;
}

}  // namespace

InstallerReport read_installer_log(std::string_view log) {
  InstallerReport report;
  if (const auto added = last_line_after(log, kAdded)) {
    // "22: a==1 b==2; overrides of the app's distributions: 0"
    std::string_view rest = *added;
    const size_t overrides = rest.find(kOverrides);
    if (overrides != std::string_view::npos) {
      const std::string_view count = rest.substr(overrides + kOverrides.size());
      int value = 0;
      if (std::from_chars(count.data(), count.data() + count.size(), value).ec == std::errc()) {
        report.overrides = value;
      }
      rest = rest.substr(0, overrides);
    }
    const size_t colon = rest.find(": ");
    report.added = colon == std::string_view::npos ? std::vector<std::string>{}
                                                   : split_nonempty(rest.substr(colon + 2), " ");
  } else if (const auto pip = last_line_after(log, kPip)) {
    report.added = split_nonempty(*pip, " ");
  }
  if (const auto kept = last_line_after(log, kKept)) report.kept = split_nonempty(*kept, ", ");
  return report;
}

}  // namespace cxtm::instrument
