#include <doctest/doctest.h>

#include "config/k8s_names.h"

namespace test_config_k8s_names {

using namespace cxtm::config;

TEST_SUITE("config/k8s_names") {
  TEST_CASE("DNS-1123 labels") {
    CHECK_FALSE(dns1123_label_problem("cxtm-scheduler"));
    CHECK_FALSE(dns1123_label_problem("a1"));
    for (const char* bad :
         {"", "Cxtm", "cxtm_scheduler", "-a", "a-", "a.b", "--help", "a;rm", "../etc"}) {
      CAPTURE(bad);
      CHECK(dns1123_label_problem(bad));
    }
    CHECK(dns1123_label_problem(std::string(64, 'a')));
  }

  TEST_CASE("DNS-1123 subdomains") {
    CHECK_FALSE(dns1123_subdomain_problem("cxtm-scheduler.v2"));
    CHECK(dns1123_subdomain_problem("a..b"));
    CHECK(dns1123_subdomain_problem("a/b"));
    CHECK(dns1123_subdomain_problem(std::string(254, 'a')));
  }

  TEST_CASE("label selectors") {
    CHECK_FALSE(label_selector_problem("app.kubernetes.io/name=scheduler"));
    CHECK_FALSE(label_selector_problem("app=a,tier!=db,release,!canary"));
    CHECK_FALSE(label_selector_problem("app==a"));
    CHECK(label_selector_problem(""));
    CHECK(label_selector_problem("app=a b"));
    CHECK(label_selector_problem("app=$(id)"));
    CHECK(label_selector_problem("app in (a,b)"));
    CHECK(label_selector_problem("Bad_Prefix/x=1"));
  }

  TEST_CASE("quantities convert to MiB") {
    CHECK(quantity_to_mib("500Mi") == 500);
    CHECK(quantity_to_mib("1Gi") == 1024);
    CHECK(quantity_to_mib("1G") == 953);
    CHECK(quantity_to_mib("1.5Gi") == 1536);
    CHECK_FALSE(quantity_to_mib("lots"));
    CHECK(quantity_problem("200m") == std::nullopt);
    CHECK(quantity_problem("1e3"));
  }
}

}  // namespace test_config_k8s_names
