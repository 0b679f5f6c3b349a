#pragma once
// Where long-running actions say what is happening. On a terminal a waiting state rewrites one
// line in place; elsewhere (CI logs, SSH without a tty) each new state is one plain line.

#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>

namespace cxtm::print {

class Reporter {
 public:
  virtual ~Reporter() = default;
  // The current state of a wait; repeated identical states are shown once.
  virtual void progress(std::string_view line) = 0;
  // A finished step or a fact worth a line of its own.
  virtual void note(std::string_view line) = 0;
};

class StreamReporter : public Reporter {
 public:
  enum class Style { terminal, plain };
  StreamReporter(std::FILE* stream, Style style) : stream_(stream), style_(style) {}
  // Terminal style when stream is a tty and TERM is not "dumb".
  static Style detect(std::FILE* stream);

  void progress(std::string_view line) override;
  void note(std::string_view line) override;

 private:
  void end_progress_line();

  std::mutex mutex_;
  std::FILE* stream_;
  Style style_;
  std::string last_progress_;
  bool progress_line_open_ = false;
};

// Says nothing: for -o json runs and for tests.
class SilentReporter : public Reporter {
 public:
  void progress(std::string_view) override {}
  void note(std::string_view) override {}
};

}  // namespace cxtm::print
