#include "core/yaml_syntax.h"

#include <fmt/core.h>
#include <yaml.h>

#include <new>
#include <string>
#include <string_view>

namespace cxtm {
namespace {

YamlTextProblem problem_at(const yaml_mark_t& mark, std::string problem, bool over_limit) {
  return {.line = static_cast<int>(mark.line) + 1,
          .column = static_cast<int>(mark.column) + 1,
          .problem = std::move(problem),
          .over_limit = over_limit};
}

// Why the event takes the stream past a limit, or nullopt.
std::optional<std::string> past_limit(const yaml_event_t& event, const YamlLimits& limits,
                                      int& depth, std::size_t& nodes) {
  switch (event.type) {
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT:
      if (++depth > limits.max_depth) {
        return fmt::format("nests deeper than {} levels", limits.max_depth);
      }
      [[fallthrough]];
    case YAML_SCALAR_EVENT:
    case YAML_ALIAS_EVENT:
      if (++nodes > limits.max_nodes) {
        return fmt::format("has more than {} nodes", limits.max_nodes);
      }
      return std::nullopt;
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
      --depth;
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

// Valid YAML that yaml-cpp 0.7 loops on, allocating without end (found by fuzz_lint): a whole
// document that is a plain scalar with a tag or an anchor, continued on a later line
// (`!x a` then `,` at column 1: 8 bytes, a gigabyte in 5 s). No input of the tool is a lone
// scalar, so it is refused whatever its continuation.
bool yaml_cpp_loops_on(const yaml_event_t& event, int depth) {
  if (event.type != YAML_SCALAR_EVENT || depth != 0) return false;
  const auto& scalar = event.data.scalar;
  return scalar.style == YAML_PLAIN_SCALAR_STYLE &&
         (scalar.anchor != nullptr || scalar.tag != nullptr) &&
         event.end_mark.line > event.start_mark.line;
}

// The anchor or alias name of the event, "" when it has none.
std::string_view anchor_of(const yaml_event_t& event) {
  const yaml_char_t* name = nullptr;
  switch (event.type) {
    case YAML_ALIAS_EVENT:
      name = event.data.alias.anchor;
      break;
    case YAML_SCALAR_EVENT:
      name = event.data.scalar.anchor;
      break;
    case YAML_SEQUENCE_START_EVENT:
      name = event.data.sequence_start.anchor;
      break;
    case YAML_MAPPING_START_EVENT:
      name = event.data.mapping_start.anchor;
      break;
    default:
      break;
  }
  return name == nullptr ? std::string_view() : reinterpret_cast<const char*>(name);
}

// An anchor or alias name that libyaml ends at one of '?', ':', '%', '@' or '`', which YAML 1.2
// allows in a name (`&a:`): yaml-cpp 0.7 reads a longer name there, and after `&a:` and a ',' it
// loops, allocating without end (found by fuzz_lint). Text the two readers would read apart is
// refused: the name must end with a space, a line end or a flow indicator.
std::optional<YamlTextProblem> anchor_name_problem(std::string_view text,
                                                   const yaml_event_t& event) {
  const std::string_view name = anchor_of(event);
  if (name.empty()) return std::nullopt;
  const char sigil = event.type == YAML_ALIAS_EVENT ? '*' : '&';
  // The node's properties (tag and anchor, in either order) start at its start mark.
  const std::size_t at = text.find(std::string(1, sigil).append(name), event.start_mark.index);
  if (at == std::string_view::npos) return std::nullopt;
  const std::size_t after = at + 1 + name.size();
  if (after >= text.size()) return std::nullopt;
  const char next = text[after];
  if (std::string_view(" \t\r\n,[]{}").find(next) != std::string_view::npos) return std::nullopt;
  yaml_mark_t mark = event.start_mark;
  mark.column += at - event.start_mark.index;  // the sigil, on the line the node starts on
  return problem_at(mark,
                    fmt::format("the {} name '{}' is followed by '{}', which some YAML readers "
                                "take as part of the name: put a space after it",
                                sigil == '&' ? "anchor" : "alias", name, next),
                    false);
}

}  // namespace

std::optional<YamlTextProblem> check_yaml_text(std::string_view text, const YamlLimits& limits) {
  yaml_parser_t parser;
  if (yaml_parser_initialize(&parser) == 0) throw std::bad_alloc();
  yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(text.data()),
                               text.size());
  std::optional<YamlTextProblem> found;
  int depth = 0;
  std::size_t nodes = 0;
  for (bool done = false; !done && !found;) {
    yaml_event_t event;
    if (yaml_parser_parse(&parser, &event) == 0) {
      std::string problem = parser.problem ? parser.problem : "not valid YAML";
      if (parser.context) problem += std::string(" ") + parser.context;
      found = problem_at(parser.problem ? parser.problem_mark : parser.context_mark,
                         std::move(problem), false);
      break;
    }
    if (auto anchor = anchor_name_problem(text, event)) {
      found = std::move(anchor);
    } else if (yaml_cpp_loops_on(event, depth)) {
      found = problem_at(event.start_mark,
                         "a plain scalar with a tag or an anchor over several lines as the whole "
                         "document, which the YAML reader cannot read: quote it",
                         false);
    } else if (auto limit = past_limit(event, limits, depth, nodes)) {
      found = problem_at(event.start_mark, std::move(*limit), true);
    }
    done = event.type == YAML_STREAM_END_EVENT;
    yaml_event_delete(&event);
  }
  yaml_parser_delete(&parser);
  return found;
}

}  // namespace cxtm
