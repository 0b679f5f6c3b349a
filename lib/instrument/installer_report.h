#pragma once
// What an installer init container says it did, read from its log
// (templates/instrumentation/installer.py): the distributions it added to the volume, the
// app's own it left the app to provide, and how many of the app's the volume overrides. Pure.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cxtm::instrument {

struct InstallerReport {
  std::vector<std::string> added;  // "name==version"; pip's "name-version" from installers of
                                   // tool versions before the summary line existed
  std::vector<std::string> kept;   // "name version": the app's own, which the set uses
  std::optional<int> overrides;    // the app's distributions the volume shadows (0 by design)
};

// The last report in log; empty fields for what the log does not say.
InstallerReport read_installer_log(std::string_view log);

}  // namespace cxtm::instrument
