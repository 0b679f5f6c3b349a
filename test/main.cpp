#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

// Every kubectl a test starts (through the tool or directly) inherits this environment. Two Go
// runtime settings that change nothing kubectl does, only what its start-up costs: one
// scheduler thread and a lazier garbage collector save about a fifth of each short kubectl
// process's CPU, and kubectl is two thirds of the suite's CPU. A caller's own values win.
static void cheapen_kubectl_start_up() {
  ::setenv("GOMAXPROCS", "1", /*overwrite=*/0);
  ::setenv("GOGC", "400", /*overwrite=*/0);
}

// No test reaches Splunk: the tool's Splunk URLs default to a refused port on this machine
// (tests point them at their doubles), so a command run with a token never leaves loopback.
static void keep_splunk_on_loopback() {
  ::setenv("CXTM_O11Y_SPLUNK_INGEST_URL", "http://127.0.0.1:9", /*overwrite=*/0);
  ::setenv("CXTM_O11Y_SPLUNK_API_URL", "http://127.0.0.1:9", /*overwrite=*/0);
}

// kubectl keeps what it discovers of each API server in ~/.kube/cache/discovery/<host_port>/;
// every test's double listens on a new port, so a run would leave a thousand directories there.
// Every kubectl the run starts without a cache of its own (a test's or a command's HOME) uses one
// directory of the run's instead, removed at the end.
static std::filesystem::path keep_kubectl_cache_in_the_run() {
  if (std::getenv("KUBECACHEDIR") != nullptr) return {};
  std::string pattern = (std::filesystem::temp_directory_path() / "cxtm-tests-kube-cache-XXXXXX");
  if (::mkdtemp(pattern.data()) == nullptr) return {};
  ::setenv("KUBECACHEDIR", pattern.c_str(), /*overwrite=*/1);
  return pattern;
}

int main(int argc, char** argv) {
  cheapen_kubectl_start_up();
  keep_splunk_on_loopback();
  const std::filesystem::path kubectl_cache = keep_kubectl_cache_in_the_run();
  const int status = doctest::Context(argc, argv).run();
  if (!kubectl_cache.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(kubectl_cache, ignored);
  }
  return status;
}
