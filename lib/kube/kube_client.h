#pragma once
// The cluster as the actions see it. ProxyClient sends each request through one `kubectl proxy`,
// KubectlClient runs a kubectl each; tests may substitute a fake. Every method throws KubeError
// (an Error with the matching ExitCode) when the API server or the way to it fails.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/duration.h"
#include "core/error.h"
#include "core/json.h"
#include "kube/object_ref.h"

namespace cxtm::kube {

// What a failed request tells about what the API server did.
enum class FailureKind {
  refused,    // it answered no (4xx but 429): nothing was done, and asking again changes nothing
  transient,  // it did nothing, and may on another try: 429, the connection refused
  unknown,    // it may have done it: 5xx, no answer in time, the connection lost mid-request
};

// A request the API server (or the way to it) failed; the exit code and line as for any Error.
class KubeError : public Error {
 public:
  KubeError(ExitCode code, const std::string& message, FailureKind kind)
      : Error(code, message), kind_(kind) {}
  FailureKind kind() const { return kind_; }
  // Whether asking again may succeed: a read may simply be repeated.
  bool retriable() const { return kind_ != FailureKind::refused; }

 private:
  FailureKind kind_;
};

enum class DryRun { none, server };

// One object's part of a write of several: as stored, or why not.
struct WriteOutcome {
  std::optional<Json> stored;        // the object as the API server stored it (or would, dry run)
  std::optional<KubeError> failure;  // else why not
  // kubectl named no object in its error (the whole run failed, or another object did): the
  // failure is the run's, not necessarily this object's own.
  bool unanswered = false;
};

// The failure to report for a write of several objects: the first one kubectl named, else the
// first of all; nullptr when all succeeded.
const KubeError* first_failure(const std::vector<WriteOutcome>& outcomes);

// The field manager of the tool's server-side applies and replaces.
inline constexpr std::string_view kFieldManager = "cxtm-o11y";

// One question for the API server's authorizer: may the current user do verb on resource?
struct AccessQuery {
  std::string verb;         // "get", "list", "create", ...
  std::string resource;     // "pods", "daemonsets.apps" (resource.group)
  std::string subresource;  // "log", "proxy"; empty for the resource itself
  std::string namespace_;   // empty: cluster-wide
  std::string name;         // one object ("splunk-access-token"); empty: any object
};

// write(object) of each object in turn, one going on past another's KubeError; each outcome.
std::vector<WriteOutcome> write_each(const std::vector<Json>& objects,
                                     const std::function<Json(const Json&)>& write);

// The SelfSubjectAccessReview that asks query.
Json access_review(const AccessQuery& query);

// object ready for KubeClient::replace: status and managedFields left out (the server keeps
// them), metadata.resourceVersion kept as the precondition.
Json for_update(Json object);

class KubeClient {
 public:
  virtual ~KubeClient() = default;

  // The object as stored, or nullopt when the API server says NotFound.
  virtual std::optional<Json> get(const ObjectRef& ref) = 0;
  // Objects of `resource` ("pods", "daemonsets.apps") in namespace_, filtered by a label
  // selector ("" for all).
  virtual std::vector<Json> list(std::string_view resource, std::string_view namespace_,
                                 std::string_view label_selector) = 0;
  // Those of the named objects of `resource` in namespace_ that exist, in one call: a read that
  // RBAC can grant by name (resourceNames), where a list needs the whole namespace.
  virtual std::vector<Json> get_named(std::string_view resource, std::string_view namespace_,
                                      const std::vector<std::string>& names) = 0;
  // Each object as stored, nullopt for one the API server does not have, in the order asked:
  // one kubectl run for all of them where the client can. A failure of any read throws.
  virtual std::vector<std::optional<Json>> get_each(const std::vector<ObjectRef>& refs);
  // Server-side apply as field_manager, taking over conflicting fields. Returns the object as
  // stored (or as it would be, for DryRun::server).
  virtual Json apply(const Json& object, DryRun dry_run, std::string_view field_manager) = 0;
  // apply() of each object in turn, one going on past another's failure, in one kubectl run
  // where the client can; each object's outcome, in order.
  virtual std::vector<WriteOutcome> apply_each(const std::vector<Json>& objects, DryRun dry_run,
                                               std::string_view field_manager);
  // Replaces the object; a set metadata.resourceVersion is a precondition (Error conflict).
  virtual Json replace(const Json& object) = 0;
  // Deletes the object and what it owns; false when it did not exist.
  virtual bool remove(const ObjectRef& ref) = 0;
  // The last tail_lines lines of a container's log; previous: its last terminated instance.
  virtual std::string logs(std::string_view namespace_, std::string_view pod,
                           std::string_view container, int tail_lines, bool previous) = 0;
  // The first max_bytes bytes of a container's current log, from its start (what a process
  // printed as it started, however much it printed since), each line after the time it was
  // written (RFC 3339, as `kubectl logs --timestamps` gives it). The kubelet serves the current
  // log file only: once it has rotated the file, the head is no longer the container's start.
  virtual std::string log_head(std::string_view namespace_, std::string_view pod,
                               std::string_view container, int max_bytes) = 0;
  // Whether the current user may do what each query asks, in order: SelfSubjectAccessReviews,
  // all created in one call.
  virtual std::vector<bool> can_i(const std::vector<AccessQuery>& queries) = 0;
  // Whether the API server serves `resource` ("instrumentations") in group_version
  // ("opentelemetry.io/v1alpha1"): what discovery says, which every authenticated user may
  // read. A custom resource is served once its definition is installed and established.
  virtual bool serves(std::string_view group_version, std::string_view resource) = 0;
  // No later request may take longer than limit (a command's --timeout shorter than the
  // client's own request timeout), so a hung API server cannot outlast the command's deadline.
  // Call before requests run in parallel.
  virtual void limit_request_time(Duration limit) = 0;
  // Returns when something may have changed about `watched` (its namespace's objects of its
  // kind, ReplicaSets and pods), or after at_most. A client that watches the cluster returns as
  // soon as it sees a change; this one simply sleeps, so its callers poll.
  virtual void await_change(const ObjectRef& watched, Duration at_most);
  // From now on, reads of the objects of `kind` ("Deployment", "Pod") in namespace_ may be
  // answered from one LIST of them instead of a GET each; follow: kept current by a WATCH (what
  // waits need). A client without a cache reads as before.
  virtual void read_in_bulk(std::string_view kind, const std::string& namespace_, bool follow);
  // The object's metadata.managedFields (who wrote which field), [] when it has none or does
  // not exist. Apart from get(): kubectl leaves them out of JSON since 1.21, and they would
  // double the size of every read.
  virtual Json managed_fields(const ObjectRef& ref);
};

}  // namespace cxtm::kube
