// The fan-out over kubeconfig contexts, the pure half: the flags read from argv, the argv each
// context's run gets, and the exit code of the whole (test_integration_contexts runs it).

#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

#include "actions/fan_out.h"
#include "core/error.h"

namespace test_actions_fan_out {

TEST_SUITE("actions/fan_out") {
  TEST_CASE("flag values in every form, the argv of one context, the worst code") {
    using cxtm::actions::argv_for_context;
    using cxtm::actions::flag_value;
    using cxtm::actions::worst_exit_code;
    const std::vector<std::string> argv = {"cxtm-o11y",     "-cmy.yaml", "status",
                                           "--context=a,b", "-o",        "json"};
    CHECK(flag_value(argv, {"-c", "--config"}) == "my.yaml");
    CHECK(flag_value(argv, {"--context"}) == "a,b");
    CHECK(flag_value(argv, {"-o", "--output"}) == "json");
    CHECK(flag_value({"x", "--", "--context", "a"}, {"--context"}) == std::nullopt);
    CHECK(argv_for_context(argv, "b") == std::vector<std::string>{"cxtm-o11y", "-cmy.yaml",
                                                                  "status", "-o", "json",
                                                                  "--context=b"});
    CHECK(argv_for_context({"x", "--context", "a,b", "status"}, "a") ==
          std::vector<std::string>{"x", "status", "--context=a"});
    CHECK(cxtm::actions::split_contexts("a, b,c") == std::vector<std::string>{"a", "b", "c"});
    CHECK_THROWS_AS(cxtm::actions::split_contexts("a,,b"), cxtm::Error);
    CHECK(worst_exit_code({0, 6, 3}, false) == 6);
    CHECK(worst_exit_code({0, 130, 8}, false) == 130);
    CHECK(worst_exit_code({0, 2, 0}, true) == 2);
    CHECK(worst_exit_code({2, 1, 0}, true) == 1);
    CHECK(worst_exit_code({0, 0}, true) == 0);
  }
}

}  // namespace test_actions_fan_out
