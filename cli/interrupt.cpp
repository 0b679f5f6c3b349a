#include "cli/interrupt.h"

#include <csignal>

namespace cxtm::cli {
namespace {

volatile std::sig_atomic_t signal_seen = 0;

extern "C" void on_signal(int) {
  signal_seen = 1;
}

}  // namespace

void install_interrupt_handlers() {
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

bool interrupted() {
  return signal_seen != 0;
}

}  // namespace cxtm::cli
