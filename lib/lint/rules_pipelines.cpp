// How pipelines use the defined components: every id a pipeline names must exist, everything
// defined should be used, and each pipeline should start with memory_limiter and batch its data.

#include <fmt/core.h>

#include <algorithm>
#include <set>
#include <utility>

#include "lint/rules.h"

namespace cxtm::lint {
namespace {

using Used = std::set<std::pair<Kind, std::string>>;

// Reports ref unless one of kinds defines it; marks what it resolves to as used.
void resolve(const Reference& ref, std::initializer_list<Kind> kinds, std::string_view where,
             const CollectorConfig& config, Used& used, Reporter& reporter) {
  bool found = false;
  for (Kind kind : kinds) {
    if (config.find(kind, ref.id) != nullptr) {
      used.emplace(kind, ref.id);
      found = true;
    }
  }
  if (found) return;
  const Kind expected = *kinds.begin();
  reporter.report(ref.node, "undefined-component", Severity::error,
                  fmt::format("{} uses {} '{}', which is not defined under {}; the collector "
                              "refuses to start",
                              where, name_of(expected), ref.id, section_of(expected)));
}

bool is_connector(const Reference& ref, const CollectorConfig& config) {
  return config.find(Kind::connector, ref.id) != nullptr;
}

void check_processor_order(const Pipeline& pipeline, const CollectorConfig& config,
                           Reporter& reporter) {
  const std::string where = "service.pipelines." + pipeline.id;
  const auto& processors = pipeline.processors;
  const auto limiter = std::find_if(processors.begin(), processors.end(), [](const Reference& r) {
    return component_type(r.id) == "memory_limiter";
  });
  if (limiter != processors.end() && limiter != processors.begin()) {
    reporter.report(limiter->node, "memory-limiter-first", Severity::error,
                    fmt::format("{} runs {} after {}; memory_limiter must be the first processor "
                                "so it refuses data before other processors hold it in memory",
                                where, limiter->id, processors.front().id));
  }
  // A pipeline fed only by connectors gets its data from another pipeline, already limited.
  const bool fed_by_receivers =
      std::any_of(pipeline.receivers.begin(), pipeline.receivers.end(),
                  [&](const Reference& r) { return !is_connector(r, config); });
  if (limiter == processors.end() && fed_by_receivers) {
    reporter.report(pipeline.key, "memory-limiter-missing", Severity::warning,
                    fmt::format("{} has no memory_limiter processor; under load the collector "
                                "can run out of memory and be OOM-killed. Add memory_limiter as "
                                "its first processor",
                                where));
  }
  const bool batches = std::any_of(processors.begin(), processors.end(), [](const Reference& r) {
    return component_type(r.id) == "batch";
  });
  if (!batches) {
    reporter.report(pipeline.key, "missing-batch", Severity::warning,
                    fmt::format("{} has no batch processor; every item is sent on its own, which "
                                "costs requests and CPU. Add batch after memory_limiter",
                                where));
  }
}

}  // namespace

void check_pipelines(const CollectorConfig& config, const LintOptions&, Reporter& reporter) {
  Used used;
  for (const Pipeline& pipeline : config.pipelines) {
    const std::string where = "service.pipelines." + pipeline.id;
    for (const Reference& ref : pipeline.receivers) {
      resolve(ref, {Kind::receiver, Kind::connector}, where, config, used, reporter);
    }
    for (const Reference& ref : pipeline.processors) {
      resolve(ref, {Kind::processor}, where, config, used, reporter);
    }
    for (const Reference& ref : pipeline.exporters) {
      resolve(ref, {Kind::exporter, Kind::connector}, where, config, used, reporter);
    }
    check_processor_order(pipeline, config, reporter);
  }
  for (const Reference& ref : config.service_extensions) {
    resolve(ref, {Kind::extension}, "service.extensions", config, used, reporter);
  }

  std::set<std::pair<Kind, std::string>> reported;  // a duplicated id is reported once
  for (const Component& component : config.components) {
    if (used.contains({component.kind, component.id})) continue;
    if (!reported.emplace(component.kind, component.id).second) continue;
    reporter.report(component.key, "unused-component", Severity::warning,
                    component.kind == Kind::extension
                        ? fmt::format("{} is defined but not listed in service.extensions, so it "
                                      "never runs",
                                      component.path())
                        : fmt::format("{} is defined but no pipeline uses it, so it never runs",
                                      component.path()));
  }
}

}  // namespace cxtm::lint
