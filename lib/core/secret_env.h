#pragma once
// Secrets the tool reads from its environment (the Splunk tokens): each is read once, registered
// for redaction, and then wiped from the process's environment, so that no child process
// (kubectl, a kubeconfig's exec credential plugin) inherits it and /proc/<pid>/environ no longer
// shows it.

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace cxtm {

// The variables every run takes at start-up, before it starts any child.
inline constexpr std::array<std::string_view, 2> kSecretVariables = {"SPLUNK_ACCESS_TOKEN",
                                                                     "SPLUNK_API_TOKEN"};

// The value of variable `name`, taken out of the environment at the first call (the original
// environment block overwritten too); later calls give the same value. nullopt when it is unset
// or empty. Not thread-safe: call it before starting threads (main, loading the config).
std::optional<std::string> take_secret_env(const std::string& name);

// take_secret_env for each of kSecretVariables, and the process made non-dumpable (no core file,
// no ptrace by other processes of the same user) while it holds them.
void take_known_secrets();

}  // namespace cxtm
