#pragma once
// Text as one word for a POSIX shell: 'text', with each ' written as '\''. Any byte is kept.
// For the scripts the tool writes (completion, Dockerfile RUN lines), never to run a command:
// processes are started with an argument vector.

#include <string>
#include <string_view>

namespace cxtm {

std::string shell_quote(std::string_view text);

}  // namespace cxtm
