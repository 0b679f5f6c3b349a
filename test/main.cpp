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

int main(int argc, char** argv) {
  cheapen_kubectl_start_up();
  return doctest::Context(argc, argv).run();
}
