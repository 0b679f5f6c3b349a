#include <doctest/doctest.h>

#include "dashboards/signalflow.h"

namespace test_dashboards_signalflow {

using cxtm::dashboards::signalflow_string;

TEST_SUITE("dashboards/signalflow") {
  TEST_CASE("plain names are quoted as they are") {
    CHECK(signalflow_string("cxtm-scheduler") == "'cxtm-scheduler'");
    CHECK(signalflow_string("") == "''");
  }

  TEST_CASE("a quote, a backslash or a newline cannot end the string or add a statement") {
    CHECK(signalflow_string("a'b") == R"('a\'b')");
    CHECK(signalflow_string(R"(a\)") == R"('a\\')");
    CHECK(signalflow_string("x')\ndetect(when(const(1) > 0)).publish('boom") ==
          R"('x\')\ndetect(when(const(1) > 0)).publish(\'boom')");
    CHECK(signalflow_string(std::string("a\0b", 3)) == R"('a\x00b')");
  }
}

}  // namespace test_dashboards_signalflow
