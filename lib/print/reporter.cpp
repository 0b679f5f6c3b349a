#include "print/reporter.h"

#include <fmt/core.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace cxtm::print {
namespace {

// "Deployment/x: 1/2 pods ready (3s)" is about "Deployment/x"; a line without ": " is its own.
std::string_view subject_of(std::string_view line) {
  const auto colon = line.find(": ");
  return colon == std::string_view::npos ? line : line.substr(0, colon);
}

// The line without a trailing " (elapsed)": what changed, not only how long it took.
std::string_view state_of(std::string_view line) {
  if (!line.ends_with(')')) return line;
  const auto open = line.rfind(" (");
  return open == std::string_view::npos ? line : line.substr(0, open);
}

size_t terminal_width(std::FILE* stream) {
  winsize size{};
  if (::ioctl(::fileno(stream), TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  return 120;
}

}  // namespace

StreamReporter::Style StreamReporter::detect(std::FILE* stream) {
  const char* term = std::getenv("TERM");
  const bool dumb = term == nullptr || std::strcmp(term, "dumb") == 0;
  return ::isatty(::fileno(stream)) && !dumb ? Style::terminal : Style::plain;
}

void StreamReporter::progress(std::string_view line) {
  const std::lock_guard lock(mutex_);
  const std::string subject(subject_of(line));
  auto found = std::find_if(block_.begin(), block_.end(),
                            [&](const Entry& entry) { return entry.subject == subject; });
  if (found == block_.end()) {
    block_.push_back({subject, ""});
    found = block_.end() - 1;
  }
  const bool changed = state_of(found->line) != state_of(line);
  found->line = line;
  if (style_ == Style::plain) {
    // One line per new state of each subject: at 50 services a log stays readable.
    if (changed) fmt::print(stream_, "{}\n", line);
  } else {
    const auto now = std::chrono::steady_clock::now();
    // A change shows at once; the elapsed times move on once a second.
    if (!changed && now - last_drawn_ < std::chrono::seconds(1)) return;
    redraw();
    last_drawn_ = now;
  }
  std::fflush(stream_);
}

void StreamReporter::redraw() {
  // Back to the block's first line, then each subject's line, cut to the terminal's width so
  // that no line wraps and the block keeps its height.
  if (drawn_lines_ > 1) fmt::print(stream_, "\x1b[{}A", drawn_lines_ - 1);
  const size_t width = terminal_width(stream_);
  for (size_t i = 0; i < block_.size(); ++i) {
    std::string_view text = block_[i].line;
    if (text.size() >= width) text = text.substr(0, width - 1);
    fmt::print(stream_, "\r{}\x1b[K{}", text, i + 1 < block_.size() ? "\n" : "");
  }
  drawn_lines_ = block_.size();
}

void StreamReporter::note(std::string_view line) {
  const std::lock_guard lock(mutex_);
  end_block();
  fmt::print(stream_, "{}\n", line);
  std::fflush(stream_);
}

void StreamReporter::end_block() {
  if (drawn_lines_ > 0) fmt::print(stream_, "\n");
  drawn_lines_ = 0;
  block_.clear();
}

}  // namespace cxtm::print
