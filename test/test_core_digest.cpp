#include <doctest/doctest.h>

#include "core/digest.h"

namespace test_core_digest {

TEST_SUITE("core/digest") {
  TEST_CASE("sha256 matches the published test vectors") {
    CHECK(cxtm::sha256_hex("") ==
          "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(cxtm::sha256_hex("abc") ==
          "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  TEST_CASE("base64 pads like RFC 4648") {
    CHECK(cxtm::base64_encode("") == "");
    CHECK(cxtm::base64_encode("f") == "Zg==");
    CHECK(cxtm::base64_encode("fo") == "Zm8=");
    CHECK(cxtm::base64_encode("foobar") == "Zm9vYmFy");
  }
}

}  // namespace test_core_digest
