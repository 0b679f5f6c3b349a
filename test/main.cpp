#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdlib>

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

int main(int argc, char** argv) {
  cheapen_kubectl_start_up();
  keep_splunk_on_loopback();
  return doctest::Context(argc, argv).run();
}
