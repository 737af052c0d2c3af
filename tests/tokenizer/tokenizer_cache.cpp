#include "tokenizer_cache.h"

#include <gtest/gtest.h>

#include <map>
#include <mutex>

#include "common/test_data.h"
#include "gguf/reader.h"

namespace lathe::test {

const Tokenizer* shared_tokenizer(const std::string& relative) {
  static std::mutex mutex;
  static std::map<std::string, Tokenizer> cache;
  std::lock_guard lock(mutex);
  if (auto it = cache.find(relative); it != cache.end()) return &it->second;
  auto file = GgufFile::open(data_path(relative));
  if (!file.ok()) {
    ADD_FAILURE() << file.error().message;
    return nullptr;
  }
  auto tokenizer = Tokenizer::load(*file);
  if (!tokenizer.ok()) {
    ADD_FAILURE() << tokenizer.error().message;
    return nullptr;
  }
  return &cache.emplace(relative, std::move(tokenizer).value()).first->second;
}

}  // namespace lathe::test
