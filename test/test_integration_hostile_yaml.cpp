// Hostile YAML against the real binary (issue 14, item 8): each input of
// test/support/hostile_yaml.h is refused with the limit it passes, by lint (a file and stdin)
// and by the config reader (render -c), before a parser builds it. The bound is generous on
// purpose: peak RSS of every run under 256 MiB (these inputs took up to 725 MB before the
// limits; the sanitizers' own overhead is in the figure). Time and memory figures are
// bench/bench_hostile_yaml's.
#include <doctest/doctest.h>
#include <sys/resource.h>

#include <string>

#include "support/cli_runner.h"
#include "support/hostile_yaml.h"
#include "support/temp_dir.h"
#include "support/text.h"

namespace test_integration_hostile_yaml {

using cxtm::testing::contains;
using cxtm::testing::run_cli;

namespace {

constexpr long kGenerousPeakKib = 256 * 1024;

// The largest peak RSS of the children this process has waited for (each test case runs in a
// process of its own under ctest, so these runs' own).
long children_peak_kib() {
  rusage usage{};
  getrusage(RUSAGE_CHILDREN, &usage);
  return usage.ru_maxrss;
}

}  // namespace

TEST_SUITE("integration/hostile_yaml") {
  TEST_CASE("each hostile input is refused by lint and the config reader, naming the limit") {
    cxtm::testing::TempDir dir;
    const auto file = (dir.path() / "hostile.yaml").string();
    for (const auto& input : cxtm::testing::hostile_yaml_inputs()) {
      CAPTURE(input.name);
      cxtm::testing::write_hostile_yaml(file, input);
      const bool too_long = contains(input.refusal, "input limit");
      const auto linted = run_cli({"lint", file});
      INFO(linted.out, linted.err);
      CHECK(linted.exit_code == (too_long ? 2 : 1));
      CHECK(contains(linted.out + linted.err, input.refusal));
      if (!too_long) CHECK(contains(linted.out, "yaml-limits"));
      const auto rendered = run_cli({"-c", file, "render"});
      INFO(rendered.out, rendered.err);
      CHECK(rendered.exit_code == 2);
      CHECK(contains(rendered.err, file));
      CHECK(contains(rendered.err, input.refusal));
      CHECK(cxtm::testing::line_count(rendered.err) == 1);
    }
    CHECK(children_peak_kib() < kGenerousPeakKib);
  }

  TEST_CASE("stdin past the limit is refused unread, and the limit can be raised") {
    const std::string big = "receivers: " + std::string(5u << 20, 'x') + "\n";
    const auto refused = run_cli({"lint", "-"}, {}, big);
    CHECK(refused.exit_code == 2);
    CHECK(contains(refused.err, "<stdin>: longer than the input limit of 1 MiB"));
    CHECK(contains(refused.err, "CXTM_O11Y_MAX_INPUT_BYTES"));
    const auto raised = run_cli({"lint", "-"}, {{"CXTM_O11Y_MAX_INPUT_BYTES", "8Mi"}}, big);
    CHECK(raised.exit_code == 1);  // read, parsed, and linted: receivers is no mapping
    CHECK(contains(raised.out, "<stdin>:1: error config-shape: receivers must be a mapping"));
    const auto bad = run_cli({"lint", "-"}, {{"CXTM_O11Y_MAX_INPUT_BYTES", "lots"}}, "a: b\n");
    CHECK(bad.exit_code == 2);
    CHECK(contains(bad.err, "CXTM_O11Y_MAX_INPUT_BYTES: 'lots' is not a size"));
  }
}

}  // namespace test_integration_hostile_yaml
