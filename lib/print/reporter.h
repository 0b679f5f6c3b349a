#pragma once
// Where long-running actions say what is happening: on a terminal a live block redrawn in
// place, elsewhere (CI logs, SSH without a tty) each new state as one plain line.

#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace cxtm::print {

class Reporter {
 public:
  virtual ~Reporter() = default;
  // The current state of a wait; repeated identical states are shown once.
  virtual void progress(std::string_view line) = 0;
  // A finished step or a fact worth a line of its own.
  virtual void note(std::string_view line) = 0;
};

// On a terminal, one live block: a line per subject (the text before ": ", e.g.
// "Deployment/cxtm-search"), redrawn in place as states change. Elsewhere, one plain line per
// new state of each subject (the elapsed time in a trailing "(...)" is no new state).
class StreamReporter : public Reporter {
 public:
  enum class Style { terminal, plain };
  StreamReporter(std::FILE* stream, Style style) : stream_(stream), style_(style) {}
  // Terminal style when stream is a tty and TERM is not "dumb".
  static Style detect(std::FILE* stream);
  void progress(std::string_view line) override;
  // Ends the live block (it stays on screen as it was), then the line.
  void note(std::string_view line) override;

 private:
  struct Entry {
    std::string subject;
    std::string line;
  };
  void redraw();
  void end_block();
  std::mutex mutex_;
  std::FILE* stream_;
  Style style_;
  std::vector<Entry> block_;  // in the order the subjects first reported
  size_t drawn_lines_ = 0;    // lines of the block on screen
  std::chrono::steady_clock::time_point last_drawn_{};
};

// Says nothing: for -o json runs and for tests.
class SilentReporter : public Reporter {
 public:
  void progress(std::string_view) override {}
  void note(std::string_view) override {}
};

}  // namespace cxtm::print
