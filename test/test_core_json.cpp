#include <doctest/doctest.h>

#include "core/json.h"

namespace test_core_json {

using cxtm::Json;
using cxtm::keys_sorted;
using cxtm::member;
using cxtm::member_at;

namespace {

const Json kPod = Json::parse(R"({
  "metadata": {"name": "p", "generation": 3, "labels": "not a map"},
  "status": {"containerStatuses": [{"restartCount": 2}], "conditions": null},
  "spec": {"args": ["a", 1, "b", null]}
})");

}  // namespace

TEST_SUITE("core/json") {
  TEST_CASE("keys sorted as kubectl prints them, at every depth, arrays in their order") {
    const Json written = Json::parse(
        R"({"metadata":{"name":"x","labels":{"b":"1","a":"2"}},"kind":"K","apiVersion":"v1",)"
        R"("items":[{"z":1,"y":2},3]})");
    CHECK(keys_sorted(written).dump() ==
          R"({"apiVersion":"v1","items":[{"y":2,"z":1},3],"kind":"K",)"
          R"("metadata":{"labels":{"a":"2","b":"1"},"name":"x"}})");
    CHECK(keys_sorted(Json("text")) == "text");
  }

  TEST_CASE("a missing member, or one under a value that is no object, reads as null") {
    CHECK(member(kPod, "metadata")["name"] == "p");
    CHECK(member(kPod, "nothing").is_null());
    CHECK(member(Json("text"), "name").is_null());
    CHECK(member_at(kPod, {"metadata", "name"}) == "p");
    CHECK(member_at(kPod, {"metadata", "labels", "app"}).is_null());
    CHECK(member_at(kPod, {"status", "conditions", "type"}).is_null());
    CHECK(&member_at(kPod, {}) == &kPod);
  }

  TEST_CASE("typed reads give the value of that type, else the empty one or the fallback") {
    CHECK(cxtm::string_member(member(kPod, "metadata"), "name") == "p");
    CHECK(cxtm::string_member(member(kPod, "metadata"), "generation") == "");
    CHECK(cxtm::integer_member(member(kPod, "metadata"), "generation") == 3);
    CHECK(cxtm::integer_member(member(kPod, "metadata"), "name", -1) == -1);
    CHECK(cxtm::integer_member<int>(member(kPod, "spec"), "replicas", 1) == 1);
    CHECK(cxtm::object_member(kPod, "metadata").contains("name"));
    CHECK(cxtm::object_member(member(kPod, "metadata"), "labels") == Json::object());
    CHECK(cxtm::array_member(member(kPod, "status"), "containerStatuses").size() == 1);
    CHECK(cxtm::array_member(member(kPod, "status"), "conditions") == Json::array());
    CHECK(cxtm::strings_member(member(kPod, "spec"), "args") == std::vector<std::string>{"a", "b"});
    CHECK(cxtm::strings_member(kPod, "metadata").empty());
  }
}

}  // namespace test_core_json
