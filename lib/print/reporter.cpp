#include "print/reporter.h"

#include <fmt/core.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace cxtm::print {

StreamReporter::Style StreamReporter::detect(std::FILE* stream) {
  const char* term = std::getenv("TERM");
  const bool dumb = term == nullptr || std::strcmp(term, "dumb") == 0;
  return ::isatty(::fileno(stream)) && !dumb ? Style::terminal : Style::plain;
}

void StreamReporter::progress(std::string_view line) {
  const std::lock_guard lock(mutex_);
  if (line == last_progress_) return;
  last_progress_ = line;
  if (style_ == Style::terminal) {
    // \r and "erase to end of line" redraw the state in place.
    fmt::print(stream_, "\r{}\x1b[K", line);
    progress_line_open_ = true;
  } else {
    fmt::print(stream_, "{}\n", line);
  }
  std::fflush(stream_);
}

void StreamReporter::note(std::string_view line) {
  const std::lock_guard lock(mutex_);
  end_progress_line();
  fmt::print(stream_, "{}\n", line);
  std::fflush(stream_);
}

void StreamReporter::end_progress_line() {
  if (progress_line_open_) fmt::print(stream_, "\n");
  progress_line_open_ = false;
  last_progress_.clear();
}

}  // namespace cxtm::print
