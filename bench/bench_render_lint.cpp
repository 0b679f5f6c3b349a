// Prints how fast the pure parts run: config parsing, manifest rendering and linting of the
// bundled example. Figures only; nothing here passes or fails.
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>

#include "config/config.h"
#include "core/atomic_file.h"
#include "core/yaml_emit.h"
#include "lint/collector_lint.h"
#include "render/manifests.h"

namespace {

struct Figure {
  double per_second;
  double microseconds_each;
};

Figure measure(int iterations, const std::function<void()>& work) {
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < iterations; ++i) work();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return {iterations / seconds, seconds * 1e6 / iterations};
}

}  // namespace

int main(int argc, char** argv) {
  const std::string path = argc > 1 ? argv[1] : CXTM_SOURCE_DIR "/examples/cxtm-poc.yaml";
  const std::string text = cxtm::read_file(path);
  const auto config = cxtm::config::parse_config(text, path);
  const auto manifests = cxtm::render::render_manifests(config, std::nullopt);
  std::vector<cxtm::Json> objects;
  for (const auto& object : manifests.objects) objects.push_back(object.object);
  const std::string stream = cxtm::to_yaml_stream(objects);

  const int n = 300;
  const auto parse = measure(n, [&] { cxtm::config::parse_config(text, path); });
  const auto render = measure(n, [&] { cxtm::render::render_manifests(config, std::nullopt); });
  const auto lint_config = measure(n, [&] {
    cxtm::lint::lint_collector_config(manifests.collector_config, "relay.yaml", {.realm = "us1"});
  });
  const auto lint_stream = measure(
      n, [&] { cxtm::lint::lint_collector_config(stream, "manifests.yaml", {.realm = "us1"}); });

  std::printf("%-34s %12s %14s\n", "operation (bundled example)", "per second", "us each");
  std::printf("%-34s %12.0f %14.1f\n", "parse config", parse.per_second, parse.microseconds_each);
  std::printf("%-34s %12.0f %14.1f\n", "render all manifests", render.per_second,
              render.microseconds_each);
  std::printf("%-34s %12.0f %14.1f\n", "lint relay.yaml", lint_config.per_second,
              lint_config.microseconds_each);
  std::printf("%-34s %12.0f %14.1f\n", "lint rendered stream", lint_stream.per_second,
              lint_stream.microseconds_each);
  std::printf("ratio render / parse: %.2f; stream lint / config lint: %.2f\n",
              render.microseconds_each / parse.microseconds_each,
              lint_stream.microseconds_each / lint_config.microseconds_each);
  return 0;
}
