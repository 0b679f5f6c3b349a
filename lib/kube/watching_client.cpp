#include "kube/watching_client.h"

#include <fmt/core.h>

#include <algorithm>

#include "kube/api_discovery.h"
#include "kube/watch_event.h"

namespace cxtm::kube {
namespace {

struct WatchedKind {
  std::string_view kind;
  std::string_view api_version;
  std::string_view plural;
  std::string_view resource;  // as list() names it
};

constexpr WatchedKind kWatchedKinds[] = {
    {"Deployment", "apps/v1", "deployments", "deployments.apps"},
    {"DaemonSet", "apps/v1", "daemonsets", "daemonsets.apps"},
    {"StatefulSet", "apps/v1", "statefulsets", "statefulsets.apps"},
    {"ReplicaSet", "apps/v1", "replicasets", "replicasets.apps"},
    {"Pod", "v1", "pods", "pods"},
};

const WatchedKind* watched_kind(std::string_view kind) {
  for (const auto& entry : kWatchedKinds) {
    if (entry.kind == kind) return &entry;
  }
  return nullptr;
}

const WatchedKind* watched_resource(std::string_view resource) {
  for (const auto& entry : kWatchedKinds) {
    if (entry.resource == resource) return &entry;
  }
  return nullptr;
}

// The collection's path in namespace_ (kube/api_discovery.h).
std::string watched_path(const WatchedKind& kind, std::string_view namespace_) {
  return collection_path({.group_version = std::string(kind.api_version),
                          .name = std::string(kind.plural),
                          .kind = std::string(kind.kind)},
                         namespace_);
}

std::string object_key(std::string_view kind, std::string_view namespace_, std::string_view name) {
  return fmt::format("{} {}/{}", kind, namespace_, name);
}

}  // namespace

struct WatchingClient::Collection {
  const WatchedKind* kind = nullptr;
  std::string namespace_;
  std::string path;
  std::map<std::string, Json> objects;  // by name
  std::string resource_version;         // to resume from; "" lists again
  bool followed = false;                // a watch keeps it current; else it is one LIST's answer
  bool listed = false;                  // the first LIST has been answered (or failed)
  bool healthy = false;                 // listed, and its watch has not failed since the last event
  bool refused = false;                 // the API server refused to list or watch it: never again
  std::thread thread;

  // The object as a read returns it: kind and apiVersion filled in, as kubectl fills them.
  Json complete(Json object) const {
    object["kind"] = kind->kind;
    object["apiVersion"] = kind->api_version;
    return object;
  }

  // Takes a List's items and resourceVersion in.
  void take_list(const Json& list) {
    objects.clear();
    for (const Json& item : list["items"])
      objects[object_member(item, "metadata").value("name", "")] = item;
    resource_version = object_member(list, "metadata").value("resourceVersion", "");
    listed = true;
    healthy = true;
  }
};

WatchingClient::WatchingClient(std::unique_ptr<KubeClient> inner,
                               std::unique_ptr<WatchSource> source)
    : inner_(std::move(inner)), source_(std::move(source)) {}

WatchingClient::~WatchingClient() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  for (auto& [path, collection] : collections_) {
    if (collection->thread.joinable()) collection->thread.join();
  }
}

WatchingClient::Collection* WatchingClient::collection(std::string_view kind,
                                                       std::string_view namespace_) {
  const WatchedKind* watched = watched_kind(kind);
  if (watched == nullptr) return nullptr;
  const auto found = collections_.find(watched_path(*watched, namespace_));
  return found == collections_.end() ? nullptr : found->second.get();
}

WatchingClient::Collection* WatchingClient::healthy(std::string_view kind,
                                                    std::string_view namespace_,
                                                    std::unique_lock<std::mutex>& lock) {
  Collection* found = collection(kind, namespace_);
  if (found == nullptr) return nullptr;
  // A first LIST under way answers sooner than a GET would.
  changed_.wait_for(lock, kFirstList, [&] { return found->listed || stopping_; });
  return found->healthy ? found : nullptr;
}

std::optional<Json> WatchingClient::get(const ObjectRef& ref) {
  {
    std::unique_lock lock(mutex_);
    Collection* cached = healthy(ref.kind, ref.namespace_, lock);
    const auto written = written_.find(object_key(ref.kind, ref.namespace_, ref.name));
    const long long wrote = written == written_.end() ? 0 : written->second;
    // An object this client wrote comes from a watched cache once that holds the write (within
    // a watch event's way; past kCatchUp the read goes to the API server), never from a LIST
    // answered before the write.
    const auto own_write = [&] { return write_state(*cached, ref.name, wrote); };
    if (cached != nullptr && await_own_writes(*cached, lock, own_write) == OwnWrites::held) {
      const auto found = cached->objects.find(ref.name);
      if (found == cached->objects.end()) return std::nullopt;
      return cached->complete(found->second);
    }
  }
  return inner_->get(ref);
}

std::vector<std::optional<Json>> WatchingClient::get_each(const std::vector<ObjectRef>& refs) {
  bool cached = false;
  {
    std::lock_guard lock(mutex_);
    for (const auto& ref : refs) cached = cached || collection(ref.kind, ref.namespace_) != nullptr;
  }
  return cached ? KubeClient::get_each(refs) : inner_->get_each(refs);
}

WatchingClient::OwnWrites WatchingClient::write_state(const Collection& cached,
                                                      const std::string& name,
                                                      long long wrote) const {
  if (wrote == 0) return OwnWrites::held;  // not written by this client
  if (wrote < 0 || !cached.followed) return OwnWrites::read_directly;
  const auto found = cached.objects.find(name);
  return found != cached.objects.end() &&
                 integer_member(member(found->second, "metadata"), "generation") >= wrote
             ? OwnWrites::held
             : OwnWrites::pending;
}

WatchingClient::OwnWrites WatchingClient::await_own_writes(
    const Collection& cached, std::unique_lock<std::mutex>& lock,
    const std::function<OwnWrites()>& state) {
  OwnWrites last = OwnWrites::pending;
  changed_.wait_for(lock, kCatchUp, [&] {
    last = cached.healthy ? state() : OwnWrites::read_directly;
    return last != OwnWrites::pending;
  });
  return last;
}

std::vector<Json> WatchingClient::list(std::string_view resource, std::string_view namespace_,
                                       std::string_view label_selector) {
  if (const WatchedKind* kind = watched_resource(resource); kind != nullptr) {
    std::unique_lock lock(mutex_);
    Collection* cached = healthy(kind->kind, namespace_, lock);
    // As for get(), not before the cache holds every write of this client to the collection: a
    // rollback's list right after its own write must not see the object as it was.
    const std::string prefix = object_key(kind->kind, namespace_, "");
    const auto each_write = [&] {
      OwnWrites all = OwnWrites::held;
      for (auto it = written_.lower_bound(prefix);
           it != written_.end() && it->first.starts_with(prefix); ++it) {
        const OwnWrites one = write_state(*cached, it->first.substr(prefix.size()), it->second);
        if (one == OwnWrites::read_directly) return one;
        if (one == OwnWrites::pending) all = one;
      }
      return all;
    };
    if (cached != nullptr && await_own_writes(*cached, lock, each_write) == OwnWrites::held) {
      std::vector<Json> selected;
      bool answered = true;
      for (const auto& [name, object] : cached->objects) {
        const auto matches =
            matches_equality_selector(label_selector, member_at(object, {"metadata", "labels"}));
        if (!matches) {
          answered = false;  // a selector only the API server evaluates
          break;
        }
        if (*matches) selected.push_back(cached->complete(object));
      }
      if (answered) return selected;
    }
  }
  return inner_->list(resource, namespace_, label_selector);
}

std::vector<Json> WatchingClient::get_named(std::string_view resource, std::string_view namespace_,
                                            const std::vector<std::string>& names) {
  return inner_->get_named(resource, namespace_, names);
}

void WatchingClient::remember_write(const Json& written) {
  const Json& metadata = object_member(written, "metadata");
  const long long generation = integer_member(metadata, "generation");
  if (generation <= 0) return;
  std::lock_guard lock(mutex_);
  long long& wrote = written_[object_key(written.value("kind", ""), metadata.value("namespace", ""),
                                         metadata.value("name", ""))];
  if (wrote >= 0) wrote = std::max(wrote, generation);
}

void WatchingClient::read_directly(const Json& object) {
  const Json& metadata = object_member(object, "metadata");
  std::lock_guard lock(mutex_);
  written_[object_key(object.value("kind", ""), metadata.value("namespace", ""),
                      metadata.value("name", ""))] = -1;
}

Json WatchingClient::apply(const Json& object, DryRun dry_run, std::string_view field_manager) {
  try {
    Json answer = inner_->apply(object, dry_run, field_manager);
    if (dry_run == DryRun::none) remember_write(answer);
    return answer;
  } catch (const Error&) {
    read_directly(object);
    throw;
  }
}

std::vector<WriteOutcome> WatchingClient::apply_each(const std::vector<Json>& objects,
                                                     DryRun dry_run,
                                                     std::string_view field_manager) {
  std::vector<WriteOutcome> outcomes;
  try {
    outcomes = inner_->apply_each(objects, dry_run, field_manager);
  } catch (const Error&) {
    for (const auto& object : objects) read_directly(object);
    throw;
  }
  for (size_t i = 0; i < outcomes.size(); ++i) {
    if (outcomes[i].failure) {
      read_directly(objects[i]);
    } else if (dry_run == DryRun::none && outcomes[i].stored) {
      remember_write(*outcomes[i].stored);
    }
  }
  return outcomes;
}

Json WatchingClient::replace(const Json& object) {
  try {
    Json answer = inner_->replace(object);
    remember_write(answer);
    return answer;
  } catch (const Error&) {
    // A conflict, or an answer lost: the caller reads the object again to learn what is there,
    // and the API server knows better than a cache that may not have seen it yet.
    read_directly(object);
    throw;
  }
}

bool WatchingClient::remove(const ObjectRef& ref) {
  {
    std::lock_guard lock(mutex_);
    written_[object_key(ref.kind, ref.namespace_, ref.name)] = -1;
  }
  return inner_->remove(ref);
}

std::string WatchingClient::logs(std::string_view namespace_, std::string_view pod,
                                 std::string_view container, int tail_lines, bool previous) {
  return inner_->logs(namespace_, pod, container, tail_lines, previous);
}

std::string WatchingClient::log_head(std::string_view namespace_, std::string_view pod,
                                     std::string_view container, int max_bytes) {
  return inner_->log_head(namespace_, pod, container, max_bytes);
}

std::vector<bool> WatchingClient::can_i(const std::vector<AccessQuery>& queries) {
  return inner_->can_i(queries);
}

void WatchingClient::limit_request_time(Duration limit) {
  inner_->limit_request_time(limit);
  source_->limit_request_time(limit);
}

void WatchingClient::read_in_bulk(std::string_view kind, const std::string& namespace_,
                                  bool follow) {
  const WatchedKind* watched = watched_kind(kind);
  if (watched == nullptr || namespace_.empty()) return;
  if (follow) {
    watch_for({std::string(watched->api_version), std::string(kind), namespace_, ""});
    return;
  }
  Collection* listing = nullptr;
  {
    std::lock_guard lock(mutex_);
    if (collection(kind, namespace_) != nullptr) return;
    auto created = std::make_unique<Collection>();
    created->kind = watched;
    created->namespace_ = namespace_;
    created->path = watched_path(*watched, namespace_);
    listing = created.get();
    collections_.emplace(listing->path, std::move(created));
  }
  std::optional<Json> list;
  try {
    list = source_->list(listing->path);
  } catch (const Error&) {
    // Reads go to the API server one by one, which says what is wrong where it matters.
  }
  std::lock_guard lock(mutex_);
  if (!listing->listed) {
    if (list) {
      listing->take_list(*list);
    } else {
      listing->listed = true;
    }
  }
  note_change("");
}

void WatchingClient::await_change(const ObjectRef& watched, Duration at_most) {
  watch_for(watched);
  std::unique_lock lock(mutex_);
  const long long seen = changes_;
  changed_.wait_for(lock, at_most, [&] { return stopping_ || changed_since(seen, watched.name); });
}

void WatchingClient::note_change(const std::string& name) {
  ++changes_;
  recent_.emplace_back(changes_, name);
  constexpr size_t kRemembered = 4096;
  if (recent_.size() > kRemembered) recent_.pop_front();
  changed_.notify_all();
}

bool WatchingClient::changed_since(long long seen, const std::string& workload) const {
  if (recent_.empty() || recent_.front().first > seen + 1) return changes_ != seen;
  for (auto it = recent_.rbegin(); it != recent_.rend() && it->first > seen; ++it) {
    const std::string& name = it->second;
    // The workload itself, or what its controllers name after it: its ReplicaSets
    // ("<name>-<hash>") and pods ("<name>-<hash>-<suffix>", a DaemonSet's "<name>-<suffix>").
    if (name.empty() || name == workload ||
        (name.size() > workload.size() && name.starts_with(workload) &&
         name[workload.size()] == '-')) {
      return true;
    }
  }
  return false;
}

void WatchingClient::watch_for(const ObjectRef& watched) {
  if (watched_kind(watched.kind) == nullptr || watched.namespace_.empty()) return;
  std::lock_guard lock(mutex_);
  start(watched.kind, watched.namespace_);
  if (watched.kind == "Deployment") start("ReplicaSet", watched.namespace_);
  start("Pod", watched.namespace_);
}

void WatchingClient::start(std::string_view kind, const std::string& namespace_) {
  const WatchedKind* watched = watched_kind(kind);
  const std::string path = watched_path(*watched, namespace_);
  if (stopping_) return;
  auto& slot = collections_[path];
  if (!slot) {
    slot = std::make_unique<Collection>();
    slot->kind = watched;
    slot->namespace_ = namespace_;
    slot->path = path;
  }
  Collection& started = *slot;
  // A LIST answered already (read_in_bulk): its watch starts from that list's resourceVersion.
  if (started.followed || started.refused) return;
  started.followed = true;
  started.thread = std::thread([this, &started] { run(started); });
}

void WatchingClient::run(Collection& collection) {
  auto pause = std::chrono::milliseconds(200);
  while (!stopping_) {
    try {
      std::string from;
      {
        std::lock_guard lock(mutex_);
        from = collection.resource_version;
      }
      if (from.empty()) {
        const Json list = source_->list(collection.path);
        std::lock_guard lock(mutex_);
        collection.take_list(list);
        from = collection.resource_version;
        note_change("");
      }
      source_->watch(
          fmt::format("{}?watch=1&allowWatchBookmarks=true&timeoutSeconds={}&resourceVersion={}",
                      collection.path, source_->watch_seconds(), from),
          [&](std::string_view line) { take_event(collection, line); }, stopping_);
      pause = std::chrono::milliseconds(200);
      continue;  // ended by the server: resume from where it was
    } catch (const Error& error) {
      const auto* kube_error = dynamic_cast<const KubeError*>(&error);
      std::lock_guard lock(mutex_);
      collection.listed = true;
      collection.healthy = false;
      collection.refused = kube_error != nullptr && !kube_error->retriable();
      note_change("");
      if (collection.refused) return;  // the waits poll instead
    }
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, pause, [this] { return stopping_.load(); });
    pause = std::min(pause * 2, std::chrono::milliseconds(5000));
  }
}

void WatchingClient::take_event(Collection& collection, std::string_view line) {
  auto event = parse_watch_event(line);
  if (!event) return;
  std::lock_guard lock(mutex_);
  using Type = WatchEvent::Type;
  std::string changed;  // the object's name; "" for a change that concerns every wait
  const bool was_healthy = collection.healthy;
  if (event->type == Type::error) {
    // 410 Expired (history compacted) or anything else the server could not stream: the cache
    // may have missed changes, so it is listed again.
    collection.resource_version.clear();
    collection.healthy = false;
  } else {
    const std::string version = event->resource_version();
    if (!version.empty()) collection.resource_version = version;
    if (event->type != Type::bookmark) {
      const std::string name = object_member(event->object, "metadata").value("name", "");
      changed = name;
      if (event->type == Type::deleted) {
        collection.objects.erase(name);
      } else {
        collection.objects[name] = std::move(event->object);
      }
    }
    collection.healthy = !collection.resource_version.empty();
  }
  // A bookmark changes no object; a cache that heals or fails concerns every wait.
  if (event->type == Type::bookmark && was_healthy) return;
  note_change(was_healthy && collection.healthy ? changed : "");
}

}  // namespace cxtm::kube
