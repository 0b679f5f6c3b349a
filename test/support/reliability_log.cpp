#include "support/reliability_log.h"

#include <cstdlib>
#include <fstream>

namespace cxtm::testing {

void log_reliability(const std::string& metric, int value) {
  const char* path = std::getenv("CXTM_RELIABILITY_LOG");
  if (path == nullptr || *path == '\0') return;
  std::ofstream(path, std::ios::app) << metric << ' ' << value << '\n';
}

}  // namespace cxtm::testing
