#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "print/colour.h"

namespace test_print_colour {

using namespace cxtm::print;

TEST_SUITE("print/colour") {
  TEST_CASE("colour off leaves the text as it is, on wraps it in the tone's code") {
    CHECK(paint("fail", Tone::bad, Colour::off) == "fail");
    CHECK(paint("pass", Tone::good, Colour::on) == "\033[32mpass\033[0m");
    CHECK(paint("", Tone::good, Colour::on).empty());
  }

  TEST_CASE("padding counts the visible text, not the escape codes") {
    CHECK(paint_padded("no", 6, Tone::bad, Colour::off) == "no    ");
    CHECK(paint_padded("no", 6, Tone::bad, Colour::on) == "\033[1;31mno\033[0m    ");
    CHECK(paint_padded("toolong", 3, Tone::warning, Colour::off) == "toolong");
  }

  TEST_CASE("colour on a terminal, unless --no-color, NO_COLOR or TERM=dumb says otherwise") {
    // A pseudo-terminal's other end: a terminal as isatty sees it.
    const int master = ::posix_openpt(O_RDWR | O_NOCTTY);
    REQUIRE(master >= 0);
    REQUIRE(::grantpt(master) == 0);
    REQUIRE(::unlockpt(master) == 0);
    std::FILE* terminal = std::fopen(::ptsname(master), "w");
    REQUIRE(terminal != nullptr);
    std::FILE* file = std::tmpfile();
    REQUIRE(file != nullptr);
    const char* term = std::getenv("TERM");
    const std::string saved_term = term != nullptr ? term : "";
    ::setenv("TERM", "xterm", 1);
    ::unsetenv("NO_COLOR");

    CHECK(detect_colour(terminal, PlainAsked::no) == Colour::on);
    CHECK(detect_colour(file, PlainAsked::no) == Colour::off);
    CHECK(detect_colour(terminal, PlainAsked::yes) == Colour::off);
    ::setenv("NO_COLOR", "", 1);  // empty: as if unset (no-color.org)
    CHECK(detect_colour(terminal, PlainAsked::no) == Colour::on);
    ::setenv("NO_COLOR", "1", 1);
    CHECK(detect_colour(terminal, PlainAsked::no) == Colour::off);
    ::unsetenv("NO_COLOR");
    ::setenv("TERM", "dumb", 1);
    CHECK(detect_colour(terminal, PlainAsked::no) == Colour::off);

    if (term != nullptr)
      ::setenv("TERM", saved_term.c_str(), 1);
    else
      ::unsetenv("TERM");
    std::fclose(file);
    std::fclose(terminal);
    ::close(master);
  }
}

}  // namespace test_print_colour
