#include "rollout/node_fit.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <string_view>

namespace cxtm::rollout {
namespace {

struct Taint {
  std::string key;
  std::string value;
  std::string effect;
};

constexpr std::string_view kNotReadyTaint = "node.kubernetes.io/not-ready";

// What the DaemonSet controller adds to every daemon pod's tolerations.
struct DaemonToleration {
  std::string_view key;
  std::string_view effect;
};
constexpr std::array<DaemonToleration, 6> kDaemonTolerations = {{
    {kNotReadyTaint, "NoExecute"},
    {"node.kubernetes.io/unreachable", "NoExecute"},
    {"node.kubernetes.io/disk-pressure", "NoSchedule"},
    {"node.kubernetes.io/memory-pressure", "NoSchedule"},
    {"node.kubernetes.io/pid-pressure", "NoSchedule"},
    {"node.kubernetes.io/unschedulable", "NoSchedule"},
}};

bool tolerates(const Json& toleration, const Taint& taint) {
  const std::string effect = string_member(toleration, "effect");
  if (!effect.empty() && effect != taint.effect) return false;
  const std::string key = string_member(toleration, "key");
  const std::string op = string_member(toleration, "operator");
  if (op == "Exists") return key.empty() || key == taint.key;
  return key == taint.key &&
         string_member(toleration, "value") == taint.value;  // Equal, the default
}

bool tolerated(const Json& pod_spec, const Taint& taint) {
  for (const auto& daemon : kDaemonTolerations) {
    if (daemon.key == taint.key && daemon.effect == taint.effect) return true;
  }
  const Json& tolerations = member(pod_spec, "tolerations");
  if (!tolerations.is_array()) return false;
  return std::any_of(tolerations.begin(), tolerations.end(),
                     [&](const Json& toleration) { return tolerates(toleration, taint); });
}

std::vector<Taint> taints_of(const Json& node) {
  std::vector<Taint> taints;
  const Json& spec = member(node, "spec");
  const Json& listed = member(spec, "taints");
  if (listed.is_array()) {
    for (const Json& taint : listed) {
      taints.push_back({string_member(taint, "key"), string_member(taint, "value"),
                        string_member(taint, "effect")});
    }
  }
  // A cordoned node is tainted so by the node controller; older clusters only set the flag.
  if (member(spec, "unschedulable") == true) {
    taints.push_back({"node.kubernetes.io/unschedulable", "", "NoSchedule"});
  }
  return taints;
}

bool node_ready(const Json& node) {
  const Json& conditions = member(member(node, "status"), "conditions");
  if (!conditions.is_array()) return false;
  return std::any_of(conditions.begin(), conditions.end(), [](const Json& condition) {
    return string_member(condition, "type") == "Ready" &&
           string_member(condition, "status") == "True";
  });
}

std::optional<long long> as_number(const std::string& value) {
  try {
    size_t used = 0;
    const long long number = std::stoll(value, &used);
    if (used == value.size()) return number;
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

bool expression_matches(const Json& expression, const Json& labels) {
  const std::string key = string_member(expression, "key");
  const std::string op = string_member(expression, "operator");
  const Json& value = member(labels, key);
  const bool has = value.is_string();
  const std::string label = has ? value.get<std::string>() : "";
  std::vector<std::string> values;
  const Json& listed = member(expression, "values");
  if (listed.is_array()) {
    for (const Json& item : listed) {
      if (item.is_string()) values.push_back(item.get<std::string>());
    }
  }
  const bool listed_value = std::find(values.begin(), values.end(), label) != values.end();
  if (op == "In") return has && listed_value;
  if (op == "NotIn") return !has || !listed_value;
  if (op == "Exists") return has;
  if (op == "DoesNotExist") return !has;
  if ((op == "Gt" || op == "Lt") && has && values.size() == 1) {
    const auto left = as_number(label);
    const auto right = as_number(values[0]);
    if (!left || !right) return false;
    return op == "Gt" ? *left > *right : *left < *right;
  }
  return false;
}

bool term_matches(const Json& term, const Json& node) {
  const Json& labels = member(member(node, "metadata"), "labels");
  const Json& expressions = member(term, "matchExpressions");
  if (expressions.is_array()) {
    for (const Json& expression : expressions) {
      if (!expression_matches(expression, labels)) return false;
    }
  }
  const Json& fields = member(term, "matchFields");
  if (fields.is_array()) {
    const Json name_labels = {{"metadata.name", string_member(member(node, "metadata"), "name")}};
    for (const Json& field : fields) {
      if (!expression_matches(field, name_labels)) return false;
    }
  }
  return true;
}

std::optional<std::string> selector_mismatch(const Json& pod_spec, const Json& node) {
  const Json& labels = member(member(node, "metadata"), "labels");
  const Json& selector = member(pod_spec, "nodeSelector");
  if (selector.is_object()) {
    for (const auto& [key, wanted] : selector.items()) {
      if (member(labels, key) != wanted) {
        return fmt::format("node selector {}={} not matched", key,
                           wanted.is_string() ? wanted.get<std::string>() : wanted.dump());
      }
    }
  }
  const Json& terms =
      member_at(pod_spec, {"affinity", "nodeAffinity",
                           "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms"});
  if (terms.is_array() && !terms.empty() &&
      std::none_of(terms.begin(), terms.end(),
                   [&](const Json& term) { return term_matches(term, node); })) {
    return "required node affinity not matched";
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> why_not_on(const Json& pod_spec, const Json& node) {
  if (!node_ready(node)) return "not ready";
  if (auto mismatch = selector_mismatch(pod_spec, node)) return mismatch;
  for (const Taint& taint : taints_of(node)) {
    if (taint.effect != "NoSchedule" && taint.effect != "NoExecute") continue;
    if (taint.key == kNotReadyTaint || tolerated(pod_spec, taint)) continue;
    return fmt::format("taint {}{}:{} not tolerated", taint.key,
                       taint.value.empty() ? "" : "=" + taint.value, taint.effect);
  }
  return std::nullopt;
}

std::vector<NodeExclusion> excluded_nodes(const Json& pod_spec, const std::vector<Json>& nodes) {
  std::vector<NodeExclusion> exclusions;
  for (const Json& node : nodes) {
    if (auto reason = why_not_on(pod_spec, node)) {
      exclusions.push_back({string_member(member(node, "metadata"), "name"), std::move(*reason)});
    }
  }
  return exclusions;
}

std::string describe_exclusions(const std::vector<NodeExclusion>& exclusions, size_t shown) {
  std::string described;
  for (size_t at = 0; at < exclusions.size() && at < shown; ++at) {
    if (!described.empty()) described += ", ";
    described += fmt::format("{} ({})", exclusions[at].node, exclusions[at].reason);
  }
  if (exclusions.size() > shown) {
    described += fmt::format(" and {} more", exclusions.size() - shown);
  }
  return described;
}

}  // namespace cxtm::rollout
