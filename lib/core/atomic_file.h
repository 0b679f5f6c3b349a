#pragma once
// Files are written whole or not at all: a temp file beside the target, fsync, rename.

#include <filesystem>
#include <string_view>

namespace cxtm {

enum class FileMode { shared = 0644, private_ = 0600 };

// Beside the target while it is written: "<target>.tmp-<pid>-XXXXXX".
inline constexpr std::string_view kTemporaryMarker = ".tmp-";

// Writes text to path atomically with the given mode. Throws Error(failed) naming the path.
void write_file_atomic(const std::filesystem::path& path, std::string_view text,
                       FileMode mode = FileMode::shared);

// Removes the temporary files in dir that a writer killed mid-write left (its pid is gone);
// those of live writers stay. Never throws.
void remove_dead_temporaries(const std::filesystem::path& dir);

// The whole file; throws Error(usage) naming the path when it cannot be read.
std::string read_file(const std::filesystem::path& path);

}  // namespace cxtm
