// Two properties of templates. (1) Any text as a template: render_template returns or throws
// cxtm::Error, nothing else. (2) Any text as a value: it cannot change the structure of the
// rendered output, read back as YAML the way kubectl reads it.
#include <fuzzer/FuzzedDataProvider.h>
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/error.h"
#include "core/yaml_emit.h"
#include "render/template.h"

namespace {

constexpr const char* kTemplate =
    "metadata:\n  name: '{{ v }}'\n  labels:\n    x: 'pre-{{ v }}-post'\n"
    "data:\n  '{{ v }}-key': '{{ v }}'\n  other: fixed\n";

void check_value_is_inert(const std::string& value) {
  const cxtm::Json rendered = cxtm::render::render_template(kTemplate, "t.yaml", {{"v", value}});
  const YAML::Node back = YAML::Load(cxtm::to_yaml(rendered));
  if (!back.IsMap() || back.size() != 2) std::abort();
  if (back["metadata"]["name"].as<std::string>() != value) std::abort();
  if (back["metadata"]["labels"]["x"].as<std::string>() != "pre-" + value + "-post") std::abort();
  if (back["data"].size() != 2) std::abort();
  if (back["data"][value + "-key"].as<std::string>() != value) std::abort();
  if (back["data"]["other"].as<std::string>() != "fixed") std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider input(data, size);
  const std::string value = input.ConsumeRandomLengthString(256);
  const std::string text = input.ConsumeRemainingBytesAsString();
  try {
    (void)cxtm::render::render_template(text, "fuzz.yaml", {{"v", value}, {"a", {{"b", 1}}}});
  } catch (const cxtm::Error&) {
  }
  // YAML cannot carry every byte: a value that is not valid UTF-8 or holds control characters
  // is refused by the emitter (Error), which is also safe.
  try {
    check_value_is_inert(value);
  } catch (const cxtm::Error&) {
  }
  return 0;
}
