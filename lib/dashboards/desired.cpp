#include "dashboards/desired.h"

#include <fmt/core.h>

#include "core/embedded.h"
#include "core/error.h"
#include "dashboards/signalflow.h"
#include "render/template.h"

namespace cxtm::dashboards {
namespace {

constexpr std::string_view kGroupTemplate = "dashboards/group.yaml";
constexpr std::string_view kServiceTemplate = "dashboards/service.yaml";
// Charts per row of a dashboard; Splunk's grid is 12 columns wide.
constexpr int kChartsPerRow = 3;
constexpr int kGridColumns = 12;
constexpr int kChartHeight = 1;

Json render(std::string_view file, const Json& values) {
  const auto found = embedded::files().find(file);
  if (found == embedded::files().end()) {
    throw Error(ExitCode::usage, fmt::format("templates/{} is missing from this build", file));
  }
  Json rendered = render::render_template(found->second, fmt::format("templates/{}", file), values);
  if (!rendered.is_object()) {
    throw Error(ExitCode::usage, fmt::format("templates/{}: expected a mapping", file));
  }
  return rendered;
}

// The template's field, which must be a mapping (or a list for charts).
const Json& field(const Json& rendered, const char* name, std::string_view file,
                  Json::value_t type) {
  if (!rendered.contains(name) || rendered[name].type() != type) {
    throw Error(ExitCode::usage, fmt::format("templates/{}: {}: missing or not a {}", file, name,
                                             type == Json::value_t::array ? "list" : "mapping"));
  }
  return rendered[name];
}

Json rule_values(const config::AlertRule& rule) {
  return {{"threshold", rule.threshold}, {"severity", rule.severity}};
}

// A detector rule's notifications, as Splunk's API spells them.
Json notifications(const std::vector<config::Recipient>& recipients) {
  Json list = Json::array();
  for (const auto& recipient : recipients) {
    Json notification = {{"type", recipient.type}};
    if (recipient.type == "Email") notification["email"] = recipient.address;
    if (recipient.type == "Team") notification["team"] = recipient.address;
    if (!recipient.integration.empty()) notification["credentialId"] = recipient.integration;
    if (!recipient.channel.empty()) notification["channel"] = recipient.channel;
    list.push_back(std::move(notification));
  }
  return list;
}

Json alert_values(const config::AlertSettings& alerts) {
  Json drop = rule_values(alerts.request_drop);
  // What is left of last week's rate when it dropped by the percentage: "0.50".
  drop["remaining"] =
      fmt::format("{:.2f}", static_cast<double>(100 - alerts.request_drop.threshold) / 100);
  return {{"error_rate", rule_values(alerts.error_rate)},
          {"p90_latency", rule_values(alerts.p90_latency)},
          {"p99_latency", rule_values(alerts.p99_latency)},
          {"request_drop", drop},
          {"no_data", rule_values(alerts.no_data)},
          {"notifications", notifications(alerts.recipients)}};
}

Json service_values(const config::Config& config, const config::ServiceSettings& service) {
  return Json{{"cluster", config.cluster},
              {"environment", config.environment},
              {"environment_signalflow", signalflow_string(config.environment)},
              {"service",
               {{"name", service.name},
                {"otel_name", service.otel_service_name},
                {"otel_name_signalflow", signalflow_string(service.otel_service_name)}}},
              {"alerts", alert_values(service.alerts)}};
}

std::string name_of(const Json& body, std::string_view file, std::string_view where) {
  if (!body.contains("name") || !body["name"].is_string() || body["name"].empty()) {
    throw Error(ExitCode::usage, fmt::format("templates/{}: {}: name is missing", file, where));
  }
  return body["name"].get<std::string>();
}

// An object of the service from the rendered template's field (a mapping with a name).
DesiredObject service_object(splunk::ObjectType type, const config::ServiceSettings& service,
                             const std::string& key, Json body, std::string_view where) {
  DesiredObject object{.type = type,
                       .key = service.name + "/" + key,
                       .service = service.name,
                       .body = std::move(body)};
  object.name = name_of(object.body, kServiceTemplate, where);
  return object;
}

void add_service_objects(const config::Config& config, const config::ServiceSettings& service,
                         std::vector<DesiredObject>& objects) {
  const Json rendered = render(kServiceTemplate, service_values(config, service));
  const Json& charts = field(rendered, "charts", kServiceTemplate, Json::value_t::array);
  DesiredObject dashboard = service_object(
      splunk::ObjectType::dashboard, service, "dashboard",
      field(rendered, "dashboard", kServiceTemplate, Json::value_t::object), "dashboard");
  dashboard.body["groupId"] = nullptr;
  dashboard.references.push_back({Json::json_pointer("/groupId"), "group"});
  dashboard.body["charts"] = Json::array();
  const int width = kGridColumns / kChartsPerRow;
  for (size_t i = 0; i < charts.size(); ++i) {
    const DesiredObject chart =
        service_object(splunk::ObjectType::chart, service, fmt::format("chart/{}", i), charts[i],
                       fmt::format("charts[{}]", i));
    objects.push_back(chart);
    const int index = static_cast<int>(i);
    dashboard.body["charts"].push_back({{"chartId", nullptr},
                                        {"row", index / kChartsPerRow * kChartHeight},
                                        {"column", index % kChartsPerRow * width},
                                        {"width", width},
                                        {"height", kChartHeight}});
    dashboard.references.push_back(
        {Json::json_pointer(fmt::format("/charts/{}/chartId", i)), chart.key});
  }
  objects.push_back(dashboard);

  DesiredObject detector = service_object(
      splunk::ObjectType::detector, service, "detector",
      field(rendered, "detector", kServiceTemplate, Json::value_t::object), "detector");
  detector.body["tags"] = Json::array({"cxtm-o11y", detector_tag(config)});
  objects.push_back(detector);
}

}  // namespace

std::string DesiredObject::what() const {
  const std::string object = fmt::format("{} \"{}\"", splunk::type_name(type), name);
  return service.empty() ? object : fmt::format("{}: {}", service, object);
}

std::string detector_tag(const config::Config& config) {
  return "cxtm-o11y-cluster-" + config.cluster;
}

std::vector<DesiredObject> desired_objects(
    const config::Config& config, const std::vector<const config::ServiceSettings*>& services) {
  std::vector<DesiredObject> objects;
  DesiredObject group{.type = splunk::ObjectType::dashboard_group,
                      .key = "group",
                      .body = render(kGroupTemplate, Json{{"cluster", config.cluster}})};
  group.name = name_of(group.body, kGroupTemplate, "group");
  objects.push_back(group);
  for (const auto* service : services) add_service_objects(config, *service, objects);
  return objects;
}

}  // namespace cxtm::dashboards
