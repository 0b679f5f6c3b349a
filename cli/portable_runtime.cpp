#include "cli/portable_runtime.h"

#ifdef CXTM_STATIC_GLIBC
#include <nss.h>
#endif

namespace cxtm::cli {

void prepare_portable_runtime() {
#ifdef CXTM_STATIC_GLIBC
  __nss_configure_lookup("hosts", "files dns");
  // libcurl reads ~/.netrc only when asked to; should it ever look up the home directory:
  __nss_configure_lookup("passwd", "files");
#endif
}

}  // namespace cxtm::cli
