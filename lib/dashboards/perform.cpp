#include "dashboards/perform.h"

#include <fmt/core.h>

#include <functional>
#include <optional>
#include <set>

#include "core/error.h"
#include "dashboards/read_back.h"

namespace cxtm::dashboards {
namespace {

// A change this run made, and how to take it back.
struct Done {
  const PlannedObject* planned;
  std::string id;
};

// After a lost answer, reading Splunk tells whether the write landed: what is thrown then is a
// plain Error when it did not, and splunk::WriteOutcomeUnknown only when reading back failed too.
splunk::WriteOutcomeUnknown still_unknown(const std::string& what,
                                          const splunk::WriteOutcomeUnknown& lost,
                                          const Error& read_back) {
  return splunk::WriteOutcomeUnknown(
      lost.code(), what,
      fmt::format("{}; whether it landed is unknown, reading it back failed: {}", lost.cause(),
                  read_back.what()));
}

// Runs write; when its answer is lost, landed (which reads Splunk) decides whether it took
// effect all the same. Returns the lost answer's cause when it did, "" when the answer came.
std::string write_with_read_back(const std::string& what, const std::function<void()>& write,
                                 const std::function<bool()>& landed) {
  try {
    write();
    return "";
  } catch (const splunk::WriteOutcomeUnknown& lost) {
    bool took_effect = false;
    try {
      took_effect = landed();
    } catch (const Error& read_back) {
      throw still_unknown(what, lost, read_back);
    }
    if (!took_effect) throw Error(lost.code(), lost.what());
    return lost.cause();
  }
}

// Creates the object; returns its id. After a lost answer, the object it made is found again
// and adopted rather than created a second time.
std::string create_object(splunk::ObjectsApi& api, const DesiredObject& desired, const Json& body,
                          const std::map<std::string, std::string>& ids,
                          print::Reporter& reporter) {
  std::string id;
  std::optional<ExistingObject> found;
  const auto create = [&] {
    // A new group gets no default dashboard: its dashboards are the services'.
    id = api.create(desired.type, body, desired.what(),
                    desired.type == splunk::ObjectType::dashboard_group ? "empty=true" : "")["id"]
             .get<std::string>();
  };
  const auto find = [&] {
    std::set<std::string> known_ids;
    for (const auto& entry : ids) known_ids.insert(entry.second);
    found = find_created(api, desired, body, known_ids);
    return found.has_value();
  };
  const std::string lost = write_with_read_back(desired.what(), create, find);
  if (lost.empty()) return id;
  reporter.note(fmt::format("{}: its create's answer was lost ({}); found it in Splunk",
                            desired.what(), lost));
  return found->id;
}

// Replaces the object; after a lost answer, reading it back tells whether it landed.
void update_object(splunk::ObjectsApi& api, splunk::ObjectType type, const std::string& id,
                   const Json& body, const std::string& what) {
  write_with_read_back(
      what, [&] { api.update(type, id, body, what); },
      [&] { return update_landed(api, type, id, body, what); });
}

// Deletes the object; after a lost answer, reading it back tells whether it is gone.
void delete_object(splunk::ObjectsApi& api, splunk::ObjectType type, const std::string& id,
                   const std::string& what) {
  write_with_read_back(
      what, [&] { api.remove(type, id, what); },
      [&] { return delete_landed(api, type, id, what); });
}

// Takes back the changes, newest first; returns what could not be taken back, one entry each.
std::vector<std::string> undo(splunk::ObjectsApi& api, const std::vector<Done>& done,
                              print::Reporter& reporter) {
  std::vector<std::string> left;
  for (auto it = done.rbegin(); it != done.rend(); ++it) {
    const PlannedObject& planned = *it->planned;
    const std::string what = planned.desired.what();
    try {
      if (planned.change == Change::create) {
        delete_object(api, planned.desired.type, it->id, what);
        reporter.note(fmt::format("{} ({}) deleted again", what, it->id));
      } else {
        update_object(api, planned.desired.type, it->id, without_read_only_fields(*planned.before),
                      what);
        reporter.note(fmt::format("{} ({}) put back as it was", what, it->id));
      }
    } catch (const Error& error) {
      left.push_back(fmt::format(
          "{} ({}) {}: {}", what, it->id,
          planned.change == Change::create ? "stays created" : "stays changed", error.what()));
    }
  }
  return left;
}

std::string undo_summary(size_t done, const std::vector<std::string>& left) {
  if (done == 0) return "nothing was changed";
  if (left.empty()) return fmt::format("undone: {} change{}", done, done == 1 ? "" : "s");
  std::string summary = fmt::format("UNDO FAILED for {} of {} changes:", left.size(), done);
  for (const auto& entry : left) summary += " " + entry + ";";
  summary.pop_back();
  return summary;
}

}  // namespace

PerformResult perform_plan(splunk::ObjectsApi& api, const std::vector<PlannedObject>& plan,
                           print::Reporter& reporter, const std::function<bool()>& interrupted) {
  PerformResult result;
  for (const auto& planned : plan) {
    if (!planned.id.empty()) result.ids[planned.desired.key] = planned.id;
  }
  std::vector<Done> done;
  const auto fail = [&](const Error& error) {
    const auto left = undo(api, done, reporter);
    throw Error(error.code(), fmt::format("{}; {}", error.what(), undo_summary(done.size(), left)));
  };
  for (const auto& planned : plan) {
    if (planned.change == Change::unchanged) continue;
    const std::string what = planned.desired.what();
    try {
      if (interrupted && interrupted()) {
        throw Error(ExitCode::interrupted, fmt::format("interrupted before {}", what));
      }
      const Json body = body_to_send(planned, result.ids);
      if (planned.change == Change::create) {
        const std::string id = create_object(api, planned.desired, body, result.ids, reporter);
        result.ids[planned.desired.key] = id;
        done.push_back({&planned, id});
        reporter.note(fmt::format("{} created ({})", what, id));
      } else {
        try {
          update_object(api, planned.desired.type, planned.id, body, what);
        } catch (const splunk::WriteOutcomeUnknown&) {
          // It may have landed: putting it back is harmless if it did not.
          done.push_back({&planned, planned.id});
          throw;
        }
        done.push_back({&planned, planned.id});
        reporter.note(fmt::format("{} updated ({})", what, planned.id));
      }
    } catch (const Error& error) {
      fail(error);
    }
  }
  return result;
}

}  // namespace cxtm::dashboards
