#include "manual/command_doc.h"

#include "core/text.h"

namespace cxtm::manual {

std::string CommandDoc::path_text() const {
  std::string text;
  for (const auto& name : path) text += (text.empty() ? "" : " ") + name;
  return text;
}

ValueKind value_kind(std::string_view value_text, std::vector<std::string>& choices) {
  choices.clear();
  if (value_text.empty()) return ValueKind::none;
  if (value_text.find('|') != std::string_view::npos) {
    size_t start = 0;
    while (true) {
      const size_t bar = value_text.find('|', start);
      choices.emplace_back(value_text.substr(start, bar - start));
      if (bar == std::string_view::npos) break;
      start = bar + 1;
    }
    return ValueKind::choice;
  }
  const std::string upper = to_upper(value_text);
  if (upper.starts_with("DIR")) return ValueKind::directory;
  if (upper.starts_with("FILE") || upper.starts_with("PATH")) return ValueKind::file;
  return ValueKind::text;
}

}  // namespace cxtm::manual
