#include <doctest/doctest.h>

#include "core/error.h"
#include "kube/process.h"

namespace test_kube_process {

using cxtm::kube::ProcessRequest;
using cxtm::kube::run_process;
using namespace std::chrono_literals;

TEST_SUITE("kube/process") {
  TEST_CASE("captures stdout, stderr and the exit code") {
    const auto result = run_process({.argv = {"sh", "-c", "echo out; echo err >&2; exit 3"}});
    CHECK(result.out == "out\n");
    CHECK(result.err == "err\n");
    CHECK(result.exit_code == 3);
    CHECK_FALSE(result.timed_out);
  }

  TEST_CASE("feeds stdin larger than a pipe buffer") {
    const std::string big(1 << 20, 'x');
    const auto result = run_process({.argv = {"wc", "-c"}, .stdin_data = big});
    CHECK(result.exit_code == 0);
    CHECK(std::stoul(result.out) == big.size());
  }

  TEST_CASE("survives a child that never reads its stdin") {
    const auto result = run_process({.argv = {"true"}, .stdin_data = std::string(1 << 20, 'x')});
    CHECK(result.exit_code == 0);
  }

  TEST_CASE("passes arguments verbatim, without a shell") {
    const auto result = run_process({.argv = {"printf", "%s|", "a b", "$(id)", "; rm -rf /"}});
    CHECK(result.out == "a b|$(id)|; rm -rf /|");
  }

  TEST_CASE("adds environment overrides") {
    const auto result = run_process({.argv = {"sh", "-c", "printf %s \"$CXTM_TEST_VAR\""},
                                     .env_overrides = {{"CXTM_TEST_VAR", "v"}}});
    CHECK(result.out == "v");
  }

  TEST_CASE("kills a child that runs past its timeout") {
    const auto result = run_process({.argv = {"sleep", "30"}, .timeout = 100ms});
    CHECK(result.timed_out);
    CHECK(result.exit_code == 128 + 15);
  }

  TEST_CASE("a missing program is a kubectl-class error naming it") {
    try {
      run_process({.argv = {"/nonexistent/kubectl"}});
      FAIL("expected an error");
    } catch (const cxtm::Error& e) {
      CHECK(e.code() == cxtm::ExitCode::kubectl);
      CHECK(std::string(e.what()).find("/nonexistent/kubectl") != std::string::npos);
    }
  }
}

}  // namespace test_kube_process
