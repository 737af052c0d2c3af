#pragma once
// Vocab files load once per test binary (the larger ones hold 150k tokens and 280k merges).

#include <string>

#include "tokenizer/tokenizer.h"

namespace lathe::test {

// The tokenizer of shared/<relative>; fails the test (and returns nullptr) when it does not load.
const Tokenizer* shared_tokenizer(const std::string& relative);

}  // namespace lathe::test
