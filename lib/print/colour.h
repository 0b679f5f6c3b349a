#pragma once
// Colour for the verdicts and states of text output: on a terminal only, and never with
// --no-color or NO_COLOR set (no-color.org).

#include <cstdio>
#include <string>
#include <string_view>

namespace cxtm::print {

enum class Colour { on, off };

// What a coloured word says: it worked, it failed, look at it, or it does not matter now.
enum class Tone { good, bad, warning, quiet };

enum class PlainAsked { yes, no };

// on when stream is a terminal, TERM is not "dumb", NO_COLOR is unset or empty, and the user
// did not ask for plain output (--no-color).
Colour detect_colour(std::FILE* stream, PlainAsked plain);

// text in the tone's ANSI colour when colour is on; as it is otherwise. Pad before painting:
// the escape codes take no column but count as characters.
std::string paint(std::string_view text, Tone tone, Colour colour);

// text padded with spaces to width columns, then painted.
std::string paint_padded(std::string_view text, size_t width, Tone tone, Colour colour);

}  // namespace cxtm::print
