#include "core/yaml_syntax.h"

#include <yaml.h>

#include <new>

namespace cxtm {

std::optional<YamlSyntaxError> find_yaml_syntax_error(std::string_view text) {
  yaml_parser_t parser;
  if (yaml_parser_initialize(&parser) == 0) throw std::bad_alloc();
  yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(text.data()),
                               text.size());
  std::optional<YamlSyntaxError> error;
  for (bool done = false; !done;) {
    yaml_event_t event;
    if (yaml_parser_parse(&parser, &event) == 0) {
      const yaml_mark_t& mark = parser.problem ? parser.problem_mark : parser.context_mark;
      error = YamlSyntaxError{.line = static_cast<int>(mark.line) + 1,
                              .column = static_cast<int>(mark.column) + 1,
                              .problem = parser.problem ? parser.problem : "not valid YAML"};
      if (parser.context) error->problem += std::string(" ") + parser.context;
      break;
    }
    done = event.type == YAML_STREAM_END_EVENT;
    yaml_event_delete(&event);
  }
  yaml_parser_delete(&parser);
  return error;
}

}  // namespace cxtm
