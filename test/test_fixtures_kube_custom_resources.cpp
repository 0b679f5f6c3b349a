// The API server double's custom resources (fixtures/kube_custom_resources.h) held to what
// kube-apiserver documents for structural schemas: pruning or Strict refusal of unknown
// fields, nulls dropped, defaults, and the type, enum, pattern and required checks with the
// real server's wording.

#include <doctest/doctest.h>

#include "core/json.h"
#include "fixtures/kube_custom_resources.h"
#include "fixtures/kube_status.h"

namespace test_fixtures_kube_custom_resources {

using cxtm::Json;
using cxtm::testing::kubefake::ApiError;
using cxtm::testing::kubefake::check_custom_object;
using cxtm::testing::kubefake::ResourceType;

namespace {

ResourceType widget_type() {
  ResourceType type{.group = "example.com",
                    .version = "v1",
                    .plural = "widgets",
                    .singular = "widget",
                    .kind = "Widget"};
  type.custom = true;
  type.schema = Json::parse(R"({
    "type": "object",
    "properties": {
      "spec": {
        "type": "object",
        "required": ["size"],
        "properties": {
          "size": {"type": "integer", "minimum": 1},
          "mode": {"type": "string", "enum": ["fast", "slow"], "default": "slow"},
          "limit": {"x-kubernetes-int-or-string": true,
                    "pattern": "^[0-9]+(Mi|Gi)?$"},
          "labels": {"type": "object", "additionalProperties": {"type": "string"}},
          "free": {"type": "object", "x-kubernetes-preserve-unknown-fields": true},
          "note": {"type": "string"}
        }
      },
      "status": {"type": "object"}
    }
  })");
  return type;
}

Json widget(Json spec) {
  return {{"apiVersion", "example.com/v1"},
          {"kind", "Widget"},
          {"metadata", {{"name", "w"}, {"namespace", "default"}}},
          {"spec", std::move(spec)}};
}

ApiError error_of(const Json& object, bool strict) {
  try {
    check_custom_object(widget_type(), object, strict);
  } catch (const ApiError& error) {
    return error;
  }
  FAIL("no error");
  return ApiError(0, "", "");
}

}  // namespace

TEST_SUITE("fixtures/kube_custom_resources") {
  TEST_CASE("unknown fields pruned, kept under preserve-unknown-fields, nulls dropped, defaults") {
    const Json checked = check_custom_object(widget_type(),
                                             widget({{"size", 2},
                                                     {"colour", "red"},
                                                     {"note", nullptr},
                                                     {"labels", {{"a", "b"}}},
                                                     {"free", {{"anything", {{"goes", 1}}}}}}),
                                             false);
    CHECK_FALSE(checked["spec"].contains("colour"));
    CHECK_FALSE(checked["spec"].contains("note"));
    CHECK(checked["spec"]["mode"] == "slow");
    CHECK(checked["spec"]["labels"] == Json{{"a", "b"}});
    CHECK(checked["spec"]["free"]["anything"]["goes"] == 1);
    CHECK(checked["metadata"]["name"] == "w");
  }

  TEST_CASE("Strict: an unknown field is a 400 naming its path") {
    const auto error = error_of(widget({{"size", 2}, {"colour", "red"}}), true);
    CHECK(error.code() == 400);
    CHECK(std::string(error.what()) == "strict decoding error: unknown field \"spec.colour\"");
  }

  TEST_CASE("types, enums, patterns, minimums and required fields: 422 with each cause") {
    const auto error =
        error_of(widget({{"size", 0}, {"mode", "medium"}, {"limit", "lots"}}), false);
    CHECK(error.code() == 422);
    const std::string message = error.what();
    CHECK(message.find("Widget.example.com \"w\" is invalid") == 0);
    CHECK(message.find("spec.size: Invalid value: 0: spec.size in body should be greater than or "
                       "equal to 1") != std::string::npos);
    CHECK(message.find("spec.mode: Unsupported value: \"medium\": supported values: \"fast\", "
                       "\"slow\"") != std::string::npos);
    CHECK(message.find("spec.limit in body should match '^[0-9]+(Mi|Gi)?$'") != std::string::npos);
    const auto missing = error_of(widget({{"mode", "fast"}}), false);
    CHECK(std::string(missing.what()).find("spec.size: Required value") != std::string::npos);
    const auto typed = error_of(widget({{"size", "two"}}), false);
    CHECK(std::string(typed.what()).find("spec.size in body must be of type integer") !=
          std::string::npos);
  }
}

}  // namespace test_fixtures_kube_custom_resources
