// Hostile and broken files: every one gives an error naming what is wrong, none crashes.
#include <gtest/gtest.h>

#include <cstring>

#include "common/test_data.h"
#include "gguf/reader.h"

namespace lathe {
namespace {

// Builds GGUF bytes by hand, so each test can break exactly one thing.
struct Bytes {
  std::vector<uint8_t> b;
  template <class T>
  Bytes& pod(T v) {
    uint8_t raw[sizeof v];
    std::memcpy(raw, &v, sizeof v);
    b.insert(b.end(), raw, raw + sizeof v);
    return *this;
  }
  Bytes& str(const std::string& s) {
    pod<uint64_t>(s.size());
    b.insert(b.end(), s.begin(), s.end());
    return *this;
  }
  Bytes& header(uint64_t n_tensors, uint64_t n_kv, uint32_t version = 3) {
    b.insert(b.end(), {'G', 'G', 'U', 'F'});
    return pod<uint32_t>(version).pod<uint64_t>(n_tensors).pod<uint64_t>(n_kv);
  }
  Bytes& kv_u32(const std::string& key, uint32_t v) { return str(key).pod<uint32_t>(4).pod<uint32_t>(v); }
  Bytes& tensor(const std::string& name, std::vector<uint64_t> ne, uint32_t type, uint64_t offset) {
    str(name).pod<uint32_t>(static_cast<uint32_t>(ne.size()));
    for (uint64_t d : ne) pod<uint64_t>(d);
    return pod<uint32_t>(type).pod<uint64_t>(offset);
  }
  Bytes& pad(size_t alignment = 32) {
    while (b.size() % alignment) b.push_back(0);
    return *this;
  }
  Bytes& zeros(size_t n) {
    b.insert(b.end(), n, 0);
    return *this;
  }
};

std::string parse_error(const Bytes& bytes) {
  auto file = GgufFile::parse(bytes.b, "bad.gguf");
  if (file.ok()) return "(no error)";
  return file.error().message;
}

#define EXPECT_ERROR_HAS(bytes, text)                                        \
  do {                                                                      \
    std::string message = parse_error(bytes);                               \
    EXPECT_NE(message.find(text), std::string::npos) << message;            \
    EXPECT_EQ(message.rfind("bad.gguf: ", 0), 0u) << message;               \
  } while (0)

TEST(GgufMalformed, ValidHandMadeFileParses) {
  Bytes f;
  f.header(1, 1).kv_u32("a.b", 7).tensor("w", {32, 2}, 8 /* Q8_0 */, 0).pad().zeros(68);
  auto file = GgufFile::parse(f.b, "good.gguf");
  ASSERT_TRUE(file.ok()) << file.error().message;
  EXPECT_EQ(file->tensors()[0].size_bytes, 68u);
}

TEST(GgufMalformed, EveryTruncationOfARealFileIsAnError) {
  // Every prefix of stories260K's header and the first part of its data.
  std::string whole = test::read_file(test::data_path("models/stories260K.gguf"));
  ASSERT_GT(whole.size(), 100000u);
  std::vector<uint8_t> bytes(whole.begin(), whole.end());
  auto full = GgufFile::parse(bytes, "full");
  ASSERT_TRUE(full.ok());
  const size_t header = full->data_offset();
  for (size_t n = 0; n < header + 64; n += (n < header ? 1 : 7)) {
    auto file = GgufFile::parse(std::span(bytes.data(), n), "cut.gguf");
    ASSERT_FALSE(file.ok()) << "prefix of " << n << " bytes was accepted";
    ASSERT_EQ(file.error().message.rfind("cut.gguf: ", 0), 0u);
  }
}

TEST(GgufMalformed, BadMagicAndVersions) {
  Bytes magic;
  magic.b = {'G', 'G', 'M', 'L', 3, 0, 0, 0};
  EXPECT_ERROR_HAS(magic, "not a GGUF file");
  EXPECT_ERROR_HAS(Bytes{}, "not a GGUF file");
  EXPECT_ERROR_HAS(Bytes().header(0, 0, 1), "version 1 is obsolete");
  EXPECT_ERROR_HAS(Bytes().header(0, 0, 7), "unsupported GGUF version 7");
  EXPECT_ERROR_HAS(Bytes().header(0, 0, 0x03000000), "big-endian");
  EXPECT_TRUE(GgufFile::parse(Bytes().header(0, 0, 2).b, "v2.gguf").ok());
}

TEST(GgufMalformed, HugeCountsAreRefusedBeforeAllocating) {
  EXPECT_ERROR_HAS(Bytes().header(0, 1ull << 62), "metadata entries");
  EXPECT_ERROR_HAS(Bytes().header(1ull << 62, 0), "tensors");
  // An array claiming 2^60 u32 elements.
  Bytes arr;
  arr.header(0, 1).str("k").pod<uint32_t>(9).pod<uint32_t>(4).pod<uint64_t>(1ull << 60);
  EXPECT_ERROR_HAS(arr, "claims 1152921504606846976 elements");
  // An array of 2^40 strings.
  Bytes strs;
  strs.header(0, 1).str("k").pod<uint32_t>(9).pod<uint32_t>(8).pod<uint64_t>(1ull << 40);
  EXPECT_ERROR_HAS(strs, "metadata key 'k'");
  // A string longer than the file.
  Bytes s;
  s.header(0, 1).str("k").pod<uint32_t>(8).pod<uint64_t>(~0ull);
  EXPECT_ERROR_HAS(s, "metadata key 'k' is a string of 18446744073709551615 bytes");
}

TEST(GgufMalformed, BadValues) {
  Bytes type;
  type.header(0, 1).str("weird").pod<uint32_t>(13).pod<uint32_t>(0);
  EXPECT_ERROR_HAS(type, "metadata key 'weird' has unknown value type id 13");
  Bytes dup;
  dup.header(0, 2).kv_u32("k", 1).kv_u32("k", 2);
  EXPECT_ERROR_HAS(dup, "metadata key 'k' appears twice");
  Bytes boolean;
  boolean.header(0, 1).str("flag").pod<uint32_t>(7).pod<uint8_t>(2);
  EXPECT_ERROR_HAS(boolean, "metadata key 'flag' is a bool stored as 2");
  Bytes deep;
  deep.header(0, 1).str("deep");
  deep.pod<uint32_t>(9);
  for (int i = 0; i < 20; ++i) deep.pod<uint32_t>(9).pod<uint64_t>(1);
  deep.pod<uint32_t>(4).pod<uint64_t>(0);
  EXPECT_ERROR_HAS(deep, "nests arrays deeper than");
  EXPECT_ERROR_HAS(Bytes().header(0, 1).kv_u32("general.alignment", 48), "not a power of two");
  EXPECT_ERROR_HAS(Bytes().header(0, 1).kv_u32("general.alignment", 0), "not a power of two");
  Bytes align_type;
  align_type.header(0, 1).str("general.alignment").pod<uint32_t>(8).str("32");
  EXPECT_ERROR_HAS(align_type, "'general.alignment' must be a u32");
}

TEST(GgufMalformed, BadTensors) {
  EXPECT_ERROR_HAS(Bytes().header(1, 0).tensor("w", {32}, 4, 0).pad().zeros(64),
                   "tensor 'w' has unknown weight type id 4");
  EXPECT_ERROR_HAS(Bytes().header(1, 0).tensor("w", {32}, 1000, 0).pad().zeros(64),
                   "tensor 'w' has unknown weight type id 1000");
  EXPECT_ERROR_HAS(Bytes().header(1, 0).tensor("w", {1, 1, 1, 1, 1}, 0, 0).pad().zeros(64),
                   "tensor 'w' has 5 dimensions");
  EXPECT_ERROR_HAS(Bytes().header(1, 0).tensor("w", {}, 0, 0).pad().zeros(64), "tensor 'w' has 0 dimensions");
  EXPECT_ERROR_HAS(Bytes().header(1, 0).tensor("w", {1ull << 40, 1ull << 40}, 0, 0).pad(),
                   "tensor 'w' has an impossible shape");
  EXPECT_ERROR_HAS(Bytes().header(1, 0).tensor("w", {~0ull}, 0, 0).pad(), "tensor 'w' has an impossible shape");
  EXPECT_ERROR_HAS(Bytes().header(1, 0).tensor("w", {33}, 8, 0).pad().zeros(64),
                   "tensor 'w' has rows of 33 values, not a multiple of q8_0's block of 32");
  EXPECT_ERROR_HAS(Bytes().header(1, 0).tensor("w", {8}, 0, 4).pad().zeros(64),
                   "tensor 'w' starts at offset 4, not a multiple of the alignment 32");
  EXPECT_ERROR_HAS(Bytes().header(1, 0).tensor("w", {1024}, 0, 0).pad().zeros(64),
                   "tensor 'w' (4096 bytes at data offset 0) runs past the end");
  EXPECT_ERROR_HAS(Bytes().header(1, 0).tensor("w", {8}, 0, ~0ull - 31).pad().zeros(64), "runs past the end");
  EXPECT_ERROR_HAS(Bytes().header(2, 0).tensor("w", {8}, 0, 0).tensor("w", {8}, 0, 32).pad().zeros(64),
                   "tensor 'w' appears twice");
  EXPECT_ERROR_HAS(Bytes().header(1, 0).tensor(std::string(64, 'n'), {8}, 0, 0).pad().zeros(64),
                   "has a name of 64 bytes");
}

TEST(GgufMalformed, RandomCorruptionNeverCrashes) {
  // Flip bytes of a real header at many places; every result is either a valid file or an error.
  std::string whole = test::read_file(test::data_path("models/stories260K.gguf"));
  std::vector<uint8_t> original(whole.begin(), whole.end());
  auto full = GgufFile::parse(original, "full");
  ASSERT_TRUE(full.ok());
  uint32_t seed = 12345;
  int errors = 0;
  for (int i = 0; i < 3000; ++i) {
    std::vector<uint8_t> bytes = original;
    for (int k = 0; k < 4; ++k) {
      seed = seed * 1664525u + 1013904223u;
      size_t at = seed % full->data_offset();
      bytes[at] ^= static_cast<uint8_t>(1u << (seed >> 29));
    }
    auto file = GgufFile::parse(bytes, "flipped.gguf");
    if (!file.ok()) {
      ++errors;
      ASSERT_EQ(file.error().message.rfind("flipped.gguf: ", 0), 0u);
    } else {
      for (const GgufTensorInfo& t : file->tensors()) {
        ASSERT_LE(file->data_offset() + t.offset + t.size_bytes, file->file_size());
      }
    }
  }
  EXPECT_GT(errors, 100);
}

}  // namespace
}  // namespace lathe
