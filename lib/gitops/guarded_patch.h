#pragma once
// The RFC 6902 JSON patch a kustomization applies to turn a Deployment as it is in Git into the
// one `instrument` writes. Exact (deep equality with the transform's output), and guarded: a
// patch addresses list items by index, so it first tests that each item it reaches is still the
// one it was made for (its name) and that each value it replaces or removes is still the one it
// saw. When Git's manifest moved under it, `kustomize build` fails on a test instead of writing
// a variable into the wrong container.

#include "core/json.h"

namespace cxtm::gitops {

// The tests, then the operations that turn base into target.
Json guarded_patch(const Json& base, const Json& target);

}  // namespace cxtm::gitops
