#include "cli/command_tree.h"

namespace cxtm::cli {
namespace {

manual::OptionDoc describe_option(const CLI::Option& option) {
  manual::OptionDoc doc{.description = option.get_description()};
  if (option.get_positional() && option.get_snames().empty() && option.get_lnames().empty()) {
    doc.positional = true;
    doc.names = {option.get_name(true, false)};
    doc.repeats = option.get_items_expected_max() > 1;
    doc.value_text =
        option.get_option_text().empty() ? option.get_name(true, false) : option.get_option_text();
  } else {
    for (const auto& name : option.get_snames()) doc.names.push_back("-" + name);
    for (const auto& name : option.get_lnames()) doc.names.push_back("--" + name);
    if (option.get_type_size() != 0) {
      doc.value_text =
          option.get_option_text().empty() ? option.get_type_name() : option.get_option_text();
    }
  }
  doc.kind = doc.value_text.empty() ? manual::ValueKind::none
                                    : manual::value_kind(doc.value_text, doc.choices);
  if (doc.positional && doc.kind == manual::ValueKind::none) doc.kind = manual::ValueKind::text;
  return doc;
}

void describe_into(const CLI::App& app, std::vector<std::string> path, manual::CommandDoc& doc) {
  doc.path = path;
  doc.description = app.get_description();
  doc.footer = app.get_footer();
  // The program's help flag stands for every command's (each has its own, the same).
  const CLI::Option* help = path.empty() ? nullptr : app.get_help_ptr();
  for (const CLI::Option* option : app.get_options()) {
    if (option == help || option->get_group().empty()) continue;
    doc.options.push_back(describe_option(*option));
  }
  for (const CLI::App* sub :
       app.get_subcommands([](const CLI::App* sub) { return !sub->get_group().empty(); })) {
    manual::CommandDoc child;
    std::vector<std::string> child_path = path;
    child_path.push_back(sub->get_name());
    describe_into(*sub, child_path, child);
    doc.commands.push_back(std::move(child));
  }
}

}  // namespace

manual::CommandDoc describe(const CLI::App& app) {
  manual::CommandDoc doc;
  describe_into(app, {}, doc);
  return doc;
}

}  // namespace cxtm::cli
