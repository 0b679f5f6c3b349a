#include "instrument/env_merge.h"

#include <fmt/core.h>

#include <algorithm>

#include "core/error.h"
#include "core/text.h"
#include "instrument/object_edit.h"

namespace cxtm::instrument {
namespace {

struct Attribute {
  std::string key;
  std::string value;
};

// A literal for an env `value`: Kubernetes reads "$(NAME)" there as a reference and "$$" as
// "$", so every "$" is doubled to keep the text as it is.
std::string k8s_literal(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '$') out += '$';
    out += c;
  }
  return out;
}

// OTEL_RESOURCE_ATTRIBUTES values are percent-decoded by the SDK; encoding everything but
// unreserved characters keeps ',', '=' and '$' from splitting the list or being expanded.
std::string percent_encode(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    const bool alphanumeric =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (alphanumeric || c == '-' || c == '.' || c == '_' || c == '~' || c == '/' || c == ':') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

Json literal(std::string_view name, std::string value) {
  return Json{{"name", name}, {"value", std::move(value)}};
}

Json field_ref(std::string_view name, std::string_view path) {
  // apiVersion is what the API server defaults it to; writing it keeps a read-back equal.
  return Json{{"name", name},
              {"valueFrom", {{"fieldRef", {{"apiVersion", "v1"}, {"fieldPath", path}}}}}};
}

bool same_entry(const Json& existing, const Json& wanted) {
  const Json& wanted_from = member(wanted, "valueFrom");
  const Json& existing_from = member(existing, "valueFrom");
  if (wanted_from.is_null()) {
    return existing_from.is_null() && string_member(existing, "value") == wanted["value"];
  }
  const Json& ref = member(existing_from, "fieldRef");
  return existing_from.size() == 1 && ref.is_object() &&
         string_member(ref, "fieldPath") == wanted_from["fieldRef"]["fieldPath"] &&
         (string_member(ref, "apiVersion").empty() || string_member(ref, "apiVersion") == "v1");
}

// How a message shows an entry's value (valueFrom references, never a Secret's content).
std::string describe(const Json& entry) {
  const Json& from = member(entry, "valueFrom");
  if (from.is_null()) return fmt::format("'{}'", string_member(entry, "value"));
  const auto key_ref = [&](std::string_view kind, const Json& ref) {
    return fmt::format("from {} {} key {}", kind, string_member(ref, "name"),
                       string_member(ref, "key"));
  };
  if (const Json& ref = member(from, "secretKeyRef"); ref.is_object())
    return key_ref("Secret", ref);
  if (const Json& ref = member(from, "configMapKeyRef"); ref.is_object()) {
    return key_ref("ConfigMap", ref);
  }
  if (const Json& ref = member(from, "fieldRef"); ref.is_object()) {
    return fmt::format("from field {}", string_member(ref, "fieldPath"));
  }
  if (const Json& ref = member(from, "resourceFieldRef"); ref.is_object()) {
    return fmt::format("from resource {}", string_member(ref, "resource"));
  }
  return "from valueFrom";
}

std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    const size_t end = text.find(separator, start);
    parts.emplace_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

std::string strip_trailing_slashes(std::string_view entry) {
  while (entry.size() > 1 && entry.back() == '/') entry.remove_suffix(1);
  return std::string(entry);
}

bool is_our_entry(std::string_view entry) {
  const std::string normal = strip_trailing_slashes(entry);
  return normal == kMountPath || normal == kSitecustomizeDir || normal == kLegacySitecustomizeDir;
}

std::vector<Attribute> our_attributes(const InstrumentationSpec& spec, const AppIdentity& app) {
  std::vector<Attribute> attributes;
  if (!spec.environment.empty()) {
    attributes.push_back({"deployment.environment", percent_encode(spec.environment)});
  }
  if (!spec.service_namespace.empty()) {
    attributes.push_back({"service.namespace", percent_encode(spec.service_namespace)});
  }
  if (const std::string tag = image_tag(app.image); !tag.empty()) {
    attributes.push_back({"service.version", percent_encode(tag)});
  }
  if (!app.deployment.empty()) {
    attributes.push_back({"k8s.deployment.name", percent_encode(app.deployment)});
  }
  if (!app.container.empty()) {
    attributes.push_back({"k8s.container.name", percent_encode(app.container)});
    attributes.push_back(
        {"service.instance.id",
         fmt::format("$({}).$({}).{}", kEnvNamespace, kEnvPodName, percent_encode(app.container))});
  }
  attributes.push_back({"k8s.pod.name", fmt::format("$({})", kEnvPodName)});
  attributes.push_back({"k8s.node.name", fmt::format("$({})", kEnvNodeName)});
  attributes.push_back({"k8s.namespace.name", fmt::format("$({})", kEnvNamespace)});
  return attributes;
}

std::string join(const std::vector<Attribute>& attributes) {
  std::string out;
  for (const auto& attribute : attributes) {
    out += fmt::format("{}{}={}", out.empty() ? "" : ",", attribute.key, attribute.value);
  }
  return out;
}

// The app's OTEL_RESOURCE_ATTRIBUTES text kept as it is, with our attributes it lacks appended:
// the SDK lets a later duplicate key win, so the app's keys must not be repeated after it.
std::string merge_attributes(std::string_view app_value, const std::vector<Attribute>& ours,
                             std::vector<std::string>& overridden,
                             std::vector<std::string>& added) {
  std::vector<Attribute> app;
  for (const std::string_view item : split(app_value, ',')) {
    const size_t equals = item.find('=');
    if (equals == std::string_view::npos) continue;
    // As the SDK reads it: Python's str.strip() around key and value, every whitespace.
    app.push_back(
        {std::string(trim(item.substr(0, equals))), std::string(trim(item.substr(equals + 1)))});
  }
  std::vector<Attribute> missing;
  for (const auto& attribute : ours) {
    const auto found = std::find_if(app.rbegin(), app.rend(),
                                    [&](const Attribute& a) { return a.key == attribute.key; });
    if (found == app.rend()) {
      missing.push_back(attribute);
      added.push_back(attribute.key);
    } else if (found->value != attribute.value) {
      overridden.push_back(fmt::format("{}={}", found->key, found->value));
    }
  }
  if (missing.empty()) return std::string(app_value);
  std::string merged(app_value);
  if (!trim(merged).empty() && merged.back() != ',') merged += ',';
  return merged + join(missing);
}

std::string join_names(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

class Merger {
 public:
  Merger(const Json& env, Force force, std::string_view where)
      : env_(env.is_array() ? env : Json::array()), force_(force), where_(where) {}

  // The effective entry named name, or npos.
  size_t find(std::string_view name) const { return find_named(env_, name); }
  Json& at(size_t index) { return env_[index]; }

  // Keeps an equal entry, replaces a different one under force, else notes a conflict.
  void settle(size_t index, const Json& wanted) {
    const Json& existing = env_[index];
    if (same_entry(existing, wanted)) return;
    const std::string name = wanted["name"];
    if (force_ == Force::yes) {
      warnings_.push_back(fmt::format("{}: replaced {} {} with {} (--force)", where_, name,
                                      describe(existing), describe(wanted)));
      env_[index] = wanted;
    } else {
      conflicts_.push_back(fmt::format("{} is {} but cxtm-o11y sets {}", name, describe(existing),
                                       describe(wanted)));
    }
  }

  // Sets name to wanted: settled in place when the app has it, else appended at the end.
  void set(const Json& wanted) {
    const size_t index = find(wanted["name"].get<std::string>());
    if (index == npos) {
      appended_.push_back(wanted);
    } else {
      settle(index, wanted);
    }
  }

  void insert_before(size_t index, const std::vector<Json>& entries) {
    for (size_t i = 0; i < entries.size(); ++i) {
      env_.insert(env_.begin() + static_cast<std::ptrdiff_t>(index + i), entries[i]);
    }
  }
  void append(const Json& entry) { appended_.push_back(entry); }
  void warn(std::string text) { warnings_.push_back(std::move(text)); }
  const std::string& where() const { return where_; }

  MergedEnv finish(Json original) {
    if (!conflicts_.empty()) {
      std::string text;
      for (const auto& conflict : conflicts_) text += (text.empty() ? "" : "; ") + conflict;
      throw Error(ExitCode::conflict,
                  fmt::format("{}: {} (--force replaces the app's values)", where_, text));
    }
    for (auto& entry : appended_) env_.push_back(std::move(entry));
    return MergedEnv{std::move(env_), std::move(original), std::move(warnings_)};
  }

 private:
  Json env_;
  Force force_;
  std::string where_;
  std::vector<Json> appended_;
  std::vector<std::string> conflicts_;
  std::vector<std::string> warnings_;
};

// OTEL_RESOURCE_ATTRIBUTES merged in place with the app's; returns the final text.
std::string merge_resource_attributes(Merger& merger, size_t index,
                                      const std::vector<Attribute>& ours) {
  const Json wanted = literal(kEnvResourceAttributes, join(ours));
  Json& existing = merger.at(index);
  if (!member(existing, "valueFrom").is_null()) {
    merger.settle(index, wanted);  // cannot be merged: the app's value is not known here
    return wanted["value"];
  }
  const std::string app_value = string_member(existing, "value");
  std::vector<std::string> overridden;
  std::vector<std::string> added;
  const std::string merged = merge_attributes(app_value, ours, overridden, added);
  if (merged != app_value || !overridden.empty()) {
    std::string text =
        fmt::format("{}: merged {} with the app's", merger.where(), kEnvResourceAttributes);
    if (!overridden.empty()) text += fmt::format("; the app's {} kept", join_names(overridden));
    if (!added.empty()) text += fmt::format("; added {}", join_names(added));
    merger.warn(std::move(text));
  }
  existing["value"] = merged;
  return merged;
}

// The downward-API variables the final OTEL_RESOURCE_ATTRIBUTES refers to, defined before it:
// Kubernetes expands $(NAME) only for variables earlier in the list.
void add_downward_variables(Merger& merger, const std::string& attributes,
                            bool attributes_existed) {
  struct Downward {
    std::string_view name;
    std::string_view field;
  };
  constexpr std::array<Downward, 3> kDownward = {{{kEnvPodName, "metadata.name"},
                                                  {kEnvNodeName, "spec.nodeName"},
                                                  {kEnvNamespace, "metadata.namespace"}}};
  std::vector<Json> missing;
  std::vector<std::string_view> needed;
  for (const auto& downward : kDownward) {
    if (attributes.find(fmt::format("$({})", downward.name)) == std::string::npos) continue;
    needed.push_back(downward.name);
    const Json wanted = field_ref(downward.name, downward.field);
    const size_t index = merger.find(downward.name);
    if (index == npos) {
      missing.push_back(wanted);
    } else {
      merger.settle(index, wanted);
    }
  }
  if (!attributes_existed) {
    for (const auto& entry : missing) merger.append(entry);
    return;
  }
  merger.insert_before(merger.find(kEnvResourceAttributes), missing);
  const size_t attributes_index = merger.find(kEnvResourceAttributes);
  for (std::string_view name : needed) {
    if (merger.find(name) > attributes_index) {
      throw Error(
          ExitCode::usage,
          fmt::format("{}: {} is defined after {}, which refers to it as $({}); Kubernetes "
                      "expands only variables defined earlier: move it before {}",
                      merger.where(), name, kEnvResourceAttributes, name, kEnvResourceAttributes));
    }
  }
}

}  // namespace

std::string wrap_pythonpath(std::string_view existing) {
  std::string rest;
  if (!existing.empty()) {
    bool first = true;
    for (const auto& entry : split(existing, ':')) {
      if (is_our_entry(entry)) continue;
      rest += (first ? "" : ":") + entry;
      first = false;
    }
  }
  if (rest.empty()) return fmt::format("{}:{}", kSitecustomizeDir, kMountPath);
  return fmt::format("{}:{}:{}", kSitecustomizeDir, rest, kMountPath);
}

bool pythonpath_has_ours(std::string_view value) {
  const auto entries = split(value, ':');
  return std::any_of(entries.begin(), entries.end(), is_our_entry);
}

std::string image_tag(std::string_view image) {
  const size_t slash = image.rfind('/');
  std::string_view last = slash == std::string_view::npos ? image : image.substr(slash + 1);
  last = last.substr(0, last.find('@'));
  const size_t colon = last.rfind(':');
  if (colon == std::string_view::npos || last.substr(colon + 1) == "latest") return "";
  return std::string(last.substr(colon + 1));
}

MergedEnv merge_env(const Json& env, const InstrumentationSpec& spec, const AppIdentity& app,
                    const std::vector<std::pair<std::string, std::string>>& runtime_env,
                    Force force, std::string_view where) {
  Merger merger(env, force, where);
  Json original = Json::array();
  for (std::string_view name : kOwnedEnvNames) {
    if (const size_t index = merger.find(name); index != npos) original.push_back(merger.at(index));
  }

  const size_t python_path = merger.find(kEnvPythonPath);
  if (python_path != npos && !member(merger.at(python_path), "valueFrom").is_null()) {
    throw Error(ExitCode::usage,
                fmt::format("{}: PYTHONPATH is set {}, so it cannot be extended with the "
                            "instrumentation's directories; set it as a plain value instead",
                            where, describe(merger.at(python_path))));
  }

  const auto ours = our_attributes(spec, app);
  const size_t attributes_index = merger.find(kEnvResourceAttributes);
  const bool attributes_existed = attributes_index != npos;
  const std::string attributes =
      attributes_existed ? merge_resource_attributes(merger, attributes_index, ours) : join(ours);
  add_downward_variables(merger, attributes, attributes_existed);

  merger.set(literal("OTEL_SERVICE_NAME", k8s_literal(spec.service_name)));
  merger.set(literal("OTEL_EXPORTER_OTLP_ENDPOINT", k8s_literal(spec.otlp_endpoint)));
  // Only the HTTP/protobuf exporter is installed: gRPC wheels are built for one Python version.
  merger.set(literal("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"));
  merger.set(literal("OTEL_TRACES_EXPORTER", "otlp"));
  merger.set(literal("OTEL_METRICS_EXPORTER", "otlp"));
  // Observability Cloud does not ingest OTLP logs and the agent has no logs pipeline: an otlp
  // logs exporter would only fail and log errors.
  merger.set(literal("OTEL_LOGS_EXPORTER", "none"));
  if (!attributes_existed) merger.append(literal(kEnvResourceAttributes, attributes));
  for (const auto& [name, value] : runtime_env) merger.set(literal(name, k8s_literal(value)));

  if (python_path == npos) {
    merger.append(literal(kEnvPythonPath, wrap_pythonpath("")));
  } else {
    Json& entry = merger.at(merger.find(kEnvPythonPath));
    entry["value"] = wrap_pythonpath(string_member(entry, "value"));
  }
  return merger.finish(std::move(original));
}

Json owned_entries(const Json& env) {
  Json entries = Json::array();
  for (std::string_view name : kOwnedEnvNames) {
    if (const size_t index = find_named(env, name); index != npos) entries.push_back(env[index]);
  }
  return entries;
}

std::string unwrap_pythonpath(std::string_view value) {
  std::string rest;
  for (const auto& entry : split(value, ':')) {
    if (is_our_entry(entry)) continue;
    rest += (rest.empty() ? "" : ":") + entry;
  }
  return rest;
}

UnmergedEnv unmerge_env(const Json& env, const Json& original, const Json& set) {
  UnmergedEnv out{env.is_array() ? env : Json::array(), {}};
  const auto erase = [&](size_t index) {
    out.env.erase(out.env.begin() + static_cast<std::ptrdiff_t>(index));
  };
  for (std::string_view name : kOwnedEnvNames) {
    const size_t index = find_named(out.env, name);
    const size_t written = set.is_null() ? index : find_named(set, name);
    if (written == npos) continue;  // not the tool's: the app's own, or nobody's
    const size_t before = find_named(original, name);
    if (index == npos) {
      if (before != npos) {
        out.left_alone.push_back(
            fmt::format("{} was removed since instrumenting; the app's own {} is not put back",
                        name, describe(original[before])));
      }
      continue;
    }
    Json& entry = out.env[index];
    if (set.is_null() || same_json(entry, set[written])) {
      if (before != npos) {
        entry = original[before];
      } else {
        erase(index);
      }
    } else if (name == kEnvPythonPath && member(entry, "valueFrom").is_null()) {
      const std::string rest = unwrap_pythonpath(string_member(entry, "value"));
      out.left_alone.push_back(fmt::format(
          "{} was changed since instrumenting (now {}); only the tool's entries were taken out",
          name, describe(entry)));
      if (rest.empty()) {
        erase(index);
      } else {
        entry["value"] = rest;
      }
    } else {
      out.left_alone.push_back(fmt::format(
          "{} was changed since instrumenting (now {}); left as it is", name, describe(entry)));
    }
  }
  return out;
}

}  // namespace cxtm::instrument
