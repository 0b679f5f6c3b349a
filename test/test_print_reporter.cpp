// Progress as a fleet's waits report it: on a terminal one live block with a line per subject,
// redrawn in place; elsewhere each new state of each subject once.
#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "print/reporter.h"

namespace test_print_reporter {

using cxtm::print::StreamReporter;

namespace {

// A FILE* writing to memory; text() is what was written so far.
class MemoryStream {
 public:
  MemoryStream() : stream_(open_memstream(&data_, &size_)) {}
  ~MemoryStream() {
    std::fclose(stream_);
    std::free(data_);
  }
  MemoryStream(const MemoryStream&) = delete;
  MemoryStream& operator=(const MemoryStream&) = delete;
  std::FILE* get() { return stream_; }
  std::string text() {
    std::fflush(stream_);
    return std::string(data_, size_);
  }

 private:
  char* data_ = nullptr;
  size_t size_ = 0;
  std::FILE* stream_;
};

}  // namespace

TEST_SUITE("print/reporter") {
  TEST_CASE("not on a terminal: each new state of each subject is one line, elapsed time aside") {
    MemoryStream out;
    StreamReporter reporter(out.get(), StreamReporter::Style::plain);
    reporter.progress("Deployment/a: 0/1 pods ready (10ms)");
    reporter.progress("Deployment/b: 0/1 pods ready (12ms)");
    reporter.progress("Deployment/a: 0/1 pods ready (30ms)");  // the same state, later
    reporter.progress("Deployment/b: 1/1 pods ready (40ms)");
    reporter.progress("Deployment/a: 0/1 pods ready (1s)");
    reporter.note("done");
    CHECK(out.text() ==
          "Deployment/a: 0/1 pods ready (10ms)\n"
          "Deployment/b: 0/1 pods ready (12ms)\n"
          "Deployment/b: 1/1 pods ready (40ms)\n"
          "done\n");
  }

  TEST_CASE("on a terminal: one block, a line per subject, redrawn in place") {
    MemoryStream out;
    StreamReporter reporter(out.get(), StreamReporter::Style::terminal);
    reporter.progress("Deployment/a: 0/1 pods ready (10ms)");
    reporter.progress("Deployment/b: 0/1 pods ready (12ms)");
    reporter.progress("Deployment/a: 1/1 pods ready (40ms)");
    reporter.note("done");
    const std::string text = out.text();
    // The third redraw goes back up one line (the block has two) and writes both again.
    const auto last = text.rfind("\x1b[1A");
    REQUIRE(last != std::string::npos);
    CHECK(text.substr(last) ==
          "\x1b[1A\rDeployment/a: 1/1 pods ready (40ms)\x1b[K\n"
          "\rDeployment/b: 0/1 pods ready (12ms)\x1b[K\ndone\n");
  }
}

}  // namespace test_print_reporter
