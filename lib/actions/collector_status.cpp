#include "actions/collector_status.h"

#include "render/manifests.h"

namespace cxtm::actions {
namespace {

int restarts_of(const Json& pod) {
  int restarts = 0;
  for (const Json& container : array_member(object_member(pod, "status"), "containerStatuses")) {
    restarts += container.value("restartCount", 0);
  }
  return restarts;
}

CollectorPod pod_facts(const Json& pod) {
  const Json& status = object_member(pod, "status");
  return CollectorPod{.name = string_member(member(pod, "metadata"), "name"),
                      .node = string_member(member(pod, "spec"), "nodeName"),
                      .ready = rollout::pod_ready(pod),
                      .phase = status.value("phase", "Unknown"),
                      .restarts = restarts_of(pod),
                      .problem = rollout::diagnose_pod(pod)};
}

}  // namespace

bool CollectorStatus::healthy() const {
  return deployed && rollout.complete && secret_present;
}

Json CollectorStatus::to_json() const {
  Json pod_list = Json::array();
  for (const auto& pod : pods) {
    pod_list.push_back({{"name", pod.name},
                        {"node", pod.node},
                        {"ready", pod.ready},
                        {"phase", pod.phase},
                        {"restarts", pod.restarts},
                        {"problem", pod.problem ? Json(pod.problem->summary()) : Json(nullptr)}});
  }
  return Json{{"name", name},
              {"namespace", namespace_},
              {"deployed", deployed},
              {"healthy", healthy()},
              {"image", image},
              {"imageCurrent", image_current},
              {"configCurrent", config_current},
              {"secretPresent", secret_present},
              {"desired", rollout.desired},
              {"ready", rollout.ready},
              {"updated", rollout.updated},
              {"available", rollout.available},
              {"rolloutComplete", rollout.complete},
              {"pods", pod_list}};
}

CollectorStatus collector_status(Context& context) {
  const auto& config = context.config;
  const auto& ns = config.collector.namespace_;
  CollectorStatus status{.name = config.collector.name, .namespace_ = ns};

  const auto daemonset = context.kube.get({"apps/v1", "DaemonSet", ns, config.collector.name});
  status.secret_present =
      context.kube.get({"v1", "Secret", ns, config.splunk.access_token.secret}).has_value();
  if (!daemonset) return status;
  status.deployed = true;
  status.rollout = rollout::rollout_state(*daemonset);
  const Json& containers = member_at(*daemonset, {"spec", "template", "spec", "containers"});
  if (containers.is_array() && !containers.empty()) status.image = containers[0].value("image", "");
  status.image_current = status.image == config.collector_image();

  if (const auto configmap = context.kube.get({"v1", "ConfigMap", ns, config.collector.name})) {
    status.config_current = string_member(member(*configmap, "data"), "relay.yaml") ==
                            render::render_collector_config(config);
  }
  for (const Json& pod :
       rollout::live_pods(context.kube.list("pods", ns, rollout::pod_selector(*daemonset)))) {
    status.pods.push_back(pod_facts(pod));
  }
  return status;
}

}  // namespace cxtm::actions
