#include "kube/watch_event.h"

#include "core/split.h"

namespace cxtm::kube {

std::string WatchEvent::resource_version() const {
  return string_member(member(object, "metadata"), "resourceVersion");
}

int WatchEvent::error_code() const {
  return type == Type::error ? integer_member<int>(object, "code") : 0;
}

std::optional<WatchEvent> parse_watch_event(std::string_view line) {
  Json event = Json::parse(line, nullptr, false);
  if (!member(event, "type").is_string() || !member(event, "object").is_object()) {
    return std::nullopt;
  }
  static const std::pair<std::string_view, WatchEvent::Type> kTypes[] = {
      {"ADDED", WatchEvent::Type::added},     {"MODIFIED", WatchEvent::Type::modified},
      {"DELETED", WatchEvent::Type::deleted}, {"BOOKMARK", WatchEvent::Type::bookmark},
      {"ERROR", WatchEvent::Type::error},
  };
  const std::string type = event["type"].get<std::string>();
  for (const auto& [name, value] : kTypes) {
    if (type == name) return WatchEvent{value, std::move(event["object"])};
  }
  return std::nullopt;
}

std::vector<std::string> LineBuffer::append(std::string_view chunk) {
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t newline = chunk.find('\n'); newline != std::string_view::npos;
       newline = chunk.find('\n', start)) {
    partial_.append(chunk.substr(start, newline - start));
    lines.push_back(std::move(partial_));
    partial_.clear();
    start = newline + 1;
  }
  partial_.append(chunk.substr(start));
  return lines;
}

std::optional<bool> matches_equality_selector(std::string_view selector, const Json& labels) {
  for (const std::string& term : split_nonempty(selector, ",")) {
    const auto equals = term.find('=');
    if (equals == std::string::npos || equals == 0 || term.find('!') != std::string::npos ||
        term.find_first_of("() ") != std::string::npos) {
      return std::nullopt;
    }
    const std::string key = term.substr(0, equals);
    std::string_view value = std::string_view(term).substr(equals + 1);
    if (value.starts_with('=')) value.remove_prefix(1);
    if (value.find('=') != std::string_view::npos) return std::nullopt;
    if (!labels.is_object()) return false;
    const auto found = labels.find(key);
    if (found == labels.end() || !found->is_string() || found->get<std::string>() != value) {
      return false;
    }
  }
  return true;
}

}  // namespace cxtm::kube
