#include "validate/prometheus_text.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <optional>

namespace cxtm::validate {
namespace {

bool is_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == ':';
}

void skip_spaces(std::string_view& text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
}

// Reads {name="value",...} from the front of text; nullopt when malformed.
std::optional<std::map<std::string, std::string>> read_labels(std::string_view& text) {
  std::map<std::string, std::string> labels;
  text.remove_prefix(1);  // '{'
  while (true) {
    skip_spaces(text);
    if (text.empty()) return std::nullopt;
    if (text.front() == '}') {
      text.remove_prefix(1);
      return labels;
    }
    size_t end = 0;
    while (end < text.size() && is_name_char(text[end])) ++end;
    if (end == 0) return std::nullopt;
    std::string name(text.substr(0, end));
    text.remove_prefix(end);
    skip_spaces(text);
    if (text.size() < 2 || text[0] != '=' || text[1] != '"') return std::nullopt;
    text.remove_prefix(2);
    std::string value;
    while (!text.empty() && text.front() != '"') {
      if (text.front() == '\\' && text.size() > 1) {
        const char escaped = text[1];
        value += escaped == 'n' ? '\n' : escaped;
        text.remove_prefix(2);
      } else {
        value += text.front();
        text.remove_prefix(1);
      }
    }
    if (text.empty()) return std::nullopt;
    text.remove_prefix(1);  // closing quote
    labels[std::move(name)] = std::move(value);
    skip_spaces(text);
    if (!text.empty() && text.front() == ',') text.remove_prefix(1);
  }
}

std::optional<double> read_value(std::string_view text) {
  skip_spaces(text);
  const auto end = text.find_first_of(" \t");
  const std::string_view word = text.substr(0, end);
  if (word == "+Inf") return INFINITY;
  if (word == "-Inf") return -INFINITY;
  if (word == "NaN") return NAN;
  double value = 0;
  const auto [ptr, error] = std::from_chars(word.data(), word.data() + word.size(), value);
  if (error != std::errc() || ptr != word.data() + word.size()) return std::nullopt;
  return value;
}

std::optional<Sample> parse_line(std::string_view line) {
  skip_spaces(line);
  if (line.empty() || line.front() == '#') return std::nullopt;
  size_t end = 0;
  while (end < line.size() && is_name_char(line[end])) ++end;
  if (end == 0) return std::nullopt;
  Sample sample{.name = std::string(line.substr(0, end))};
  line.remove_prefix(end);
  skip_spaces(line);
  if (!line.empty() && line.front() == '{') {
    auto labels = read_labels(line);
    if (!labels) return std::nullopt;
    sample.labels = std::move(*labels);
  }
  const auto value = read_value(line);
  if (!value) return std::nullopt;
  sample.value = *value;
  return sample;
}

bool is_counter(const Sample& sample, std::string_view base) {
  return sample.name == base || (sample.name.size() == base.size() + 6 &&
                                 sample.name.starts_with(base) && sample.name.ends_with("_total"));
}

bool counts_exporter(const Sample& sample, const std::set<std::string>& exporters) {
  if (exporters.empty()) return true;
  const auto label = sample.labels.find("exporter");
  return label != sample.labels.end() && exporters.contains(label->second);
}

}  // namespace

std::vector<Sample> parse_prometheus_text(std::string_view text) {
  std::vector<Sample> samples;
  while (!text.empty()) {
    const auto newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (auto sample = parse_line(line)) samples.push_back(std::move(*sample));
    if (newline == std::string_view::npos) break;
    text.remove_prefix(newline + 1);
  }
  return samples;
}

SpanCounters& SpanCounters::operator+=(const SpanCounters& other) {
  accepted += other.accepted;
  sent += other.sent;
  failed += other.failed;
  found = found || other.found;
  return *this;
}

SpanCounters span_counters(const std::vector<Sample>& samples,
                           const std::set<std::string>& exporters) {
  SpanCounters counters;
  for (const Sample& sample : samples) {
    if (is_counter(sample, kAcceptedSpans)) {
      counters.accepted += sample.value;
      counters.found = true;
    } else if (is_counter(sample, kSentSpans) && counts_exporter(sample, exporters)) {
      counters.sent += sample.value;
    } else if (is_counter(sample, kSendFailedSpans) && counts_exporter(sample, exporters)) {
      counters.failed += sample.value;
    }
  }
  return counters;
}

}  // namespace cxtm::validate
