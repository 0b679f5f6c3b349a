#include "instrument/python_runtime.h"

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <optional>
#include <sstream>

#include "core/text.h"
#include "instrument/object_edit.h"

namespace cxtm::instrument {
namespace {

// The container's command and args as words: a shell's -c line is split on blanks too, so
// `sh -c "gunicorn -w 4 app:app"` reads like the command itself.
std::vector<std::string> words_of(const Json& container) {
  std::vector<std::string> words;
  for (std::string_view list : {"command", "args"}) {
    for (const Json& item : member(container, list)) {
      if (!item.is_string()) continue;
      std::istringstream stream(item.get<std::string>());
      std::string word;
      while (stream >> word) {
        word.erase(
            std::remove_if(word.begin(), word.end(), [](char c) { return c == '"' || c == '\''; }),
            word.end());
        if (!word.empty()) words.push_back(word);
      }
    }
  }
  return words;
}

std::string basename_of(std::string_view word) {
  const size_t slash = word.rfind('/');
  return std::string(slash == std::string_view::npos ? word : word.substr(slash + 1));
}

// Whether the words run `name` (as a program, or `python -m name`).
bool runs(const std::vector<std::string>& words, std::string_view name) {
  for (size_t i = 0; i < words.size(); ++i) {
    if (basename_of(words[i]) == name) return true;
    if (words[i] == "-m" && i + 1 < words.size() && words[i + 1] == name) return true;
  }
  return false;
}

bool has_word(const std::vector<std::string>& words, std::string_view word) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

// The value of an option given as "-w 4", "-w4", "--workers 4" or "--workers=4".
std::optional<std::string> option_value(const std::vector<std::string>& words,
                                        std::string_view short_name, std::string_view long_name) {
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& word = words[i];
    const bool exact = word == short_name || word == long_name;
    if (exact && i + 1 < words.size()) return words[i + 1];
    if (!long_name.empty() && word.starts_with(std::string(long_name) + "=")) {
      return word.substr(long_name.size() + 1);
    }
    if (!short_name.empty() && word.size() > short_name.size() && word.starts_with(short_name) &&
        !word.starts_with("--")) {
      return word.substr(short_name.size());
    }
  }
  return std::nullopt;
}

// A literal env value of the container, or nullopt (absent or from valueFrom).
std::optional<std::string> env_value(const Json& container, std::string_view name) {
  const Json& env = member(container, "env");
  const size_t index = find_named(env, name);
  if (index == npos || !member(env[index], "valueFrom").is_null()) return std::nullopt;
  return string_member(env[index], "value");
}

bool truthy(const std::optional<std::string>& value) {
  if (!value) return false;
  const std::string lower = to_lower(*value);
  return lower == "1" || lower == "true" || lower == "yes" || lower == "on";
}

int number_or_zero(const std::optional<std::string>& text) {
  if (!text || text->empty() || text->size() > 6 ||
      !std::all_of(text->begin(), text->end(), [](unsigned char c) { return std::isdigit(c); })) {
    return 0;
  }
  return std::stoi(*text);
}

// gunicorn's settings from GUNICORN_CMD_ARGS count like its arguments.
std::vector<std::string> with_gunicorn_env(std::vector<std::string> words, const Json& container) {
  if (const auto extra = env_value(container, "GUNICORN_CMD_ARGS")) {
    std::istringstream stream(*extra);
    std::string word;
    while (stream >> word) words.push_back(word);
  }
  return words;
}

// "python -I app.py", "python3 -E -m app", "python -IS": flags that skip PYTHONPATH or the
// site hook, so the sitecustomize never runs.
std::optional<std::string> isolating_flag(const std::vector<std::string>& words) {
  for (size_t i = 0; i + 1 < words.size(); ++i) {
    if (!basename_of(words[i]).starts_with("python")) continue;
    for (size_t j = i + 1; j < words.size() && words[j].starts_with("-") && words[j] != "-m" &&
                           words[j] != "-c" && !words[j].starts_with("--");
         ++j) {
      for (char flag : std::string_view(words[j]).substr(1)) {
        if (flag == 'I' || flag == 'E' || flag == 'S') return fmt::format("-{}", flag);
      }
    }
  }
  return std::nullopt;
}

// The reloader in use, described, or nullopt: each serves from a child process (which the
// tool's sitecustomize starts tracing in, where OpenTelemetry's own hook does not).
std::optional<std::string> reloader(const std::vector<std::string>& words, const Json& container) {
  if (has_word(words, "--reload")) return "--reload";
  if (runs(words, "flask") && has_word(words, "run") && has_word(words, "--debug") &&
      !has_word(words, "--no-reload")) {
    return "flask run --debug";
  }
  if (has_word(words, "runserver") && !has_word(words, "--noreload")) {
    return "Django's runserver (it reloads unless --noreload)";
  }
  if (truthy(env_value(container, "FLASK_DEBUG")) && !has_word(words, "--no-reload") &&
      !runs(words, "gunicorn") && !runs(words, "uwsgi")) {
    return "FLASK_DEBUG=" + *env_value(container, "FLASK_DEBUG");
  }
  return std::nullopt;
}

std::string escape_regex(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (std::string_view(R"(\.^$|?*+()[]{})").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

// Programs that are Python entry points (a script whose #! line names the interpreter beside
// it in the same bin folder).
constexpr std::array<std::string_view, 10> kPythonPrograms = {
    "gunicorn", "uvicorn",        "celery",
    "flask",    "django-admin",   "hypercorn",
    "daphne",   "waitress-serve", "opentelemetry-instrument",
    "pip"};

bool is_python_name(std::string_view name) {
  if (name == "python" || name == "python3") return true;
  if (!name.starts_with("python3.")) return false;
  const std::string_view minor = name.substr(8);
  return !minor.empty() &&
         std::all_of(minor.begin(), minor.end(), [](unsigned char c) { return std::isdigit(c); });
}

}  // namespace

std::string app_interpreter(const Json& app_container) {
  const Json& command = member(app_container, "command");
  if (!command.is_array() || command.empty() || !command[0].is_string()) return "python3";
  const std::string program = command[0].get<std::string>();
  const size_t slash = program.rfind('/');
  // Only an absolute path says where the Python is; a plain name is looked up on PATH anyway.
  if (!program.starts_with('/') || slash == std::string::npos ||
      program.find_first_of(" \t\n\"'$;|&") != std::string::npos) {
    return "python3";
  }
  const std::string name = program.substr(slash + 1);
  if (is_python_name(name)) return program;
  const std::string folder = program.substr(0, slash);
  if (folder.ends_with("/bin") &&
      std::find(kPythonPrograms.begin(), kPythonPrograms.end(), name) != kPythonPrograms.end()) {
    return folder + "/python3";
  }
  return "python3";
}

std::string probe_exclusions(const Json& app_container) {
  std::vector<std::string> patterns;
  for (std::string_view probe : {"livenessProbe", "readinessProbe", "startupProbe"}) {
    const Json& get = member(member(app_container, probe), "httpGet");
    std::string path = string_member(get, "path");
    if (!get.is_object()) continue;
    if (path.empty()) path = "/";
    // A comma would split the variable's list; such a path stays traced.
    if (path.find(',') != std::string::npos) continue;
    const size_t query = path.find('?');
    // The instrumentations match the full URL (with host and query) with re.search.
    const std::string pattern = fmt::format("{}(\\?|$)", escape_regex(path.substr(0, query)));
    if (std::find(patterns.begin(), patterns.end(), pattern) == patterns.end()) {
      patterns.push_back(pattern);
    }
  }
  std::string joined;
  for (const auto& pattern : patterns) joined += (joined.empty() ? "" : ",") + pattern;
  return joined;
}

PythonRuntime python_runtime(const Json& app_container, std::string_view where) {
  PythonRuntime out;
  const std::vector<std::string> words = words_of(app_container);
  const auto needs = [&](std::string_view name, std::string value, std::string note) {
    if (find_named(member(app_container, "env"), name) != npos) {
      out.handled.push_back(
          fmt::format("{}: {} is the app's own and is kept ({})", where, name, note));
      return;
    }
    out.env.emplace_back(std::string(name), std::move(value));
    out.handled.push_back(fmt::format("{}: {}", where, note));
  };

  if (const auto found = reloader(words, app_container)) {
    out.handled.push_back(fmt::format(
        "{}: the app runs under a reloader ({}): its server child process starts tracing too (the "
        "tool's sitecustomize starts it in reloader children); a reloader restarts the app on "
        "file changes, which a cluster does not want",
        where, *found));
  }
  if (const auto flag = isolating_flag(words)) {
    out.untraced.push_back(fmt::format(
        "{}: python {} ignores PYTHONPATH or the site hook, so the instrumentation never "
        "starts; drop the flag",
        where, *flag));
  }
  if (runs(words, "gunicorn")) {
    const auto gunicorn = with_gunicorn_env(words, app_container);
    const std::string worker_class = option_value(gunicorn, "-k", "--worker-class").value_or("");
    if (worker_class.find("gevent") != std::string::npos) {
      needs(kEnvGeventPatch, "patch_all",
            fmt::format("gevent workers ({}): gevent patches the standard library before "
                        "OpenTelemetry starts ({}=patch_all)",
                        worker_class, kEnvGeventPatch));
    }
    const int workers = std::max(number_or_zero(option_value(gunicorn, "-w", "--workers")),
                                 number_or_zero(env_value(app_container, "WEB_CONCURRENCY")));
    if (workers > 1) {
      out.handled.push_back(
          fmt::format("{}: gunicorn with {} workers: each worker's metrics carry its own "
                      "process.pid, so the workers' series do not collide",
                      where, workers));
    }
  }
  if (runs(words, "uvicorn") && number_or_zero(option_value(words, "", "--workers")) > 1) {
    out.handled.push_back(fmt::format(
        "{}: uvicorn --workers starts its workers as new interpreters: the tool's sitecustomize "
        "starts tracing in each (multiprocessing's spawned workers)",
        where));
  }
  if (runs(words, "uwsgi")) {
    std::vector<std::string> missing;
    // --threads N turns threads on as well.
    if (!has_word(words, "--enable-threads") && !option_value(words, "", "--threads") &&
        !truthy(env_value(app_container, "UWSGI_ENABLE_THREADS"))) {
      missing.push_back("--enable-threads");
    }
    if (!has_word(words, "--lazy-apps") && !truthy(env_value(app_container, "UWSGI_LAZY_APPS"))) {
      missing.push_back("--lazy-apps");
    }
    if (!missing.empty()) {
      std::string flags;
      for (const auto& flag : missing) flags += (flags.empty() ? "" : " and ") + flag;
      const bool config_file = std::any_of(words.begin(), words.end(), [](const auto& w) {
        return w == "--ini" || w == "--yaml" || w == "--json" || w.ends_with(".ini");
      });
      std::string trap = fmt::format(
          "{}: uWSGI without {}{}: without threads the exporter never sends, and workers forked "
          "after the SDK started share its dead threads; add them",
          where, flags, config_file ? " on its command line (its config file may set them)" : "");
      // Threads off for certain (no config file to set them): no span leaves the pod.
      const bool no_threads = !config_file && missing.front() == "--enable-threads";
      (no_threads ? out.untraced : out.warnings).push_back(std::move(trap));
    }
  }
  if (const std::string exclusions = probe_exclusions(app_container); !exclusions.empty()) {
    needs(kEnvExcludedUrls, exclusions,
          fmt::format("the probes' requests are not traced ({}={})", kEnvExcludedUrls, exclusions));
  }
  return out;
}

}  // namespace cxtm::instrument
