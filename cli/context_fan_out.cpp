#include "cli/context_fan_out.h"

#include <fmt/core.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "actions/fan_out.h"
#include "cli/detailed_exitcode.h"
#include "config/config.h"
#include "core/bounded_input.h"
#include "core/error.h"
#include "core/yaml_json.h"
#include "kube/process.h"
#include "print/format.h"

namespace cxtm::cli {
namespace {

// Prints whole lines of a run's output with its context in front, under one lock for all runs.
class PrefixedLines {
 public:
  PrefixedLines(std::FILE* stream, std::string prefix, std::mutex& lock)
      : stream_(stream), prefix_(std::move(prefix)), lock_(lock) {}

  void feed(std::string_view text) {
    pending_.append(text);
    size_t newline = 0;
    while ((newline = pending_.find('\n')) != std::string::npos) {
      print(std::string_view(pending_).substr(0, newline));
      pending_.erase(0, newline + 1);
    }
  }
  void finish() {
    if (!pending_.empty()) print(pending_);
    pending_.clear();
  }

 private:
  void print(std::string_view line) {
    std::lock_guard guard(lock_);
    fmt::print(stream_, "{}{}\n", prefix_, line);
    std::fflush(stream_);
  }

  std::FILE* stream_;
  std::string prefix_;
  std::mutex& lock_;
  std::string pending_;
};

// The subcommand: the first argument that is neither a flag nor a global flag's value.
std::string subcommand_of(const std::vector<std::string>& argv) {
  static const std::vector<std::string_view> kTakesValue = {
      "-c",       "--config",     "-n",        "--namespace", "-o",
      "--output", "--kubeconfig", "--context", "--kubectl"};
  for (size_t i = 1; i < argv.size(); ++i) {
    const std::string& argument = argv[i];
    if (std::find(kTakesValue.begin(), kTakesValue.end(), argument) != kTakesValue.end()) {
      ++i;
      continue;
    }
    if (!argument.starts_with("-")) return argument;
  }
  return "";
}

bool wants_no_fan_out(const std::vector<std::string>& argv) {
  for (size_t i = 1; i < argv.size(); ++i) {
    if (argv[i] == "--help" || argv[i] == "-h" || argv[i] == "--version") return true;
  }
  const std::string subcommand = subcommand_of(argv);
  return subcommand.empty() || subcommand == "completion" || subcommand == "man";
}

// The contexts of the config's `contexts:`, when the config file has that section.
std::vector<std::string> config_contexts(const std::vector<std::string>& argv) {
  const auto flag = actions::flag_value(argv, {"-c", "--config"});
  const auto path = config::config_path(flag.value_or(""));
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) return {};
  const std::string text = read_input(path.string(), max_input_bytes());
  if (!text.starts_with("contexts:") && text.find("\ncontexts:") == std::string::npos) return {};
  std::vector<std::string> names;
  for (const auto& context : config::load_config(path).contexts) names.push_back(context.name);
  return names;
}

std::string self_path(const std::string& fallback) {
  std::error_code error;
  const auto path = std::filesystem::read_symlink("/proc/self/exe", error);
  return error ? fallback : path.string();
}

struct Run {
  std::string context;
  kube::ProcessResult result;
};

// The run's verdict in one line: its first error line, else the last line of its output that
// is not a detail (indented) or a diff line.
std::string verdict(const kube::ProcessResult& result) {
  constexpr std::string_view kError = "cxtm-o11y: error: ";
  std::istringstream err(result.err);
  for (std::string line; std::getline(err, line);) {
    if (line.starts_with(kError)) return line.substr(kError.size());
  }
  std::string last;
  std::istringstream out(result.out);
  for (std::string line; std::getline(out, line);) {
    if (line.empty() || line.front() == ' ' || line.front() == '+' || line.front() == '-' ||
        line.front() == '@') {
      continue;
    }
    last = line;
  }
  return last;
}

void print_summary(const std::vector<Run>& runs) {
  fmt::print("{:<24} {:<5} {}\n", "CONTEXT", "EXIT", "RESULT");
  for (const auto& run : runs) {
    fmt::print("{:<24} {:<5} {}\n", run.context, run.result.exit_code, verdict(run.result));
  }
}

Json combined_document(const std::vector<Run>& runs, int code) {
  Json contexts = Json::array();
  for (const auto& run : runs) {
    Json output = nullptr;
    try {
      const auto documents = parse_yaml_documents(run.result.out, run.context);
      if (!documents.empty()) output = documents.front();
    } catch (const Error&) {
      output = run.result.out;  // not a document: kept as text
    }
    contexts.push_back({{"context", run.context},
                        {"exitCode", run.result.exit_code},
                        {"output", output},
                        {"stderr", run.result.err}});
  }
  return {{"contexts", contexts}, {"exitCode", code}};
}

}  // namespace

std::optional<int> fan_out_over_contexts(int argc, char** argv_in) {
  const std::vector<std::string> argv(argv_in, argv_in + argc);
  if (wants_no_fan_out(argv)) return std::nullopt;
  std::vector<std::string> contexts;
  try {
    if (const auto value = actions::flag_value(argv, {"--context"})) {
      if (value->find(',') == std::string::npos) return std::nullopt;
      contexts = actions::split_contexts(*value);
    } else {
      contexts = config_contexts(argv);
      if (contexts.empty()) return std::nullopt;
    }
    if (contexts.size() > 1 && actions::flag_value(argv, {"--output-dir"})) {
      throw Error(ExitCode::usage,
                  "--output-dir with several contexts would write one directory from each: run "
                  "once per context, each with its own directory");
    }
  } catch (const Error& error) {
    fmt::print(stderr, "cxtm-o11y: error: {}\n", error.what());
    return asks_detailed_exitcode(argc, argv_in) ? 1 : static_cast<int>(error.code());
  }
  const auto format =
      print::parse_format(actions::flag_value(argv, {"-o", "--output"}).value_or("text"))
          .value_or(print::Format::text);
  const bool text = format == print::Format::text;
  const std::string self = self_path(argv[0]);

  std::vector<Run> runs(contexts.size());
  std::mutex lock;
  std::vector<std::thread> threads;
  for (size_t i = 0; i < contexts.size(); ++i) {
    threads.emplace_back([&, i] {
      const std::string prefix = fmt::format("[{}] ", contexts[i]);
      PrefixedLines out(stdout, prefix, lock);
      PrefixedLines err(stderr, prefix, lock);
      auto child_argv = actions::argv_for_context(argv, contexts[i]);
      child_argv[0] = self;
      kube::ProcessRequest request{.argv = std::move(child_argv)};
      if (text) request.on_stdout = [&](std::string_view chunk) { out.feed(chunk); };
      request.on_stderr = [&](std::string_view chunk) { err.feed(chunk); };
      runs[i].context = contexts[i];
      try {
        runs[i].result = kube::run_process(request);
      } catch (const Error& error) {
        runs[i].result.exit_code = static_cast<int>(error.code());
        runs[i].result.err = error.what();
      }
      out.finish();
      err.finish();
    });
  }
  for (auto& thread : threads) thread.join();

  std::vector<int> codes;
  for (const auto& run : runs) codes.push_back(run.result.exit_code);
  const int code = actions::worst_exit_code(codes, asks_detailed_exitcode(argc, argv_in));
  if (text) {
    print_summary(runs);
  } else {
    fmt::print("{}", print::format_document(combined_document(runs, code), format));
  }
  return code;
}

}  // namespace cxtm::cli
