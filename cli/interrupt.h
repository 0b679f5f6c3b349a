#pragma once
// SIGINT/SIGTERM set a flag that waits check between polls, so a wait stops cleanly and says
// what state the cluster is in instead of dying mid-write.

namespace cxtm::cli {

// Installs the handlers (once).
void install_interrupt_handlers();

// True after SIGINT or SIGTERM arrived.
bool interrupted();

}  // namespace cxtm::cli
