// The writer: files it writes read back identically, and copying a real file reproduces it byte for byte.
#include <gtest/gtest.h>

#include "common/test_data.h"
#include "gguf/reader.h"
#include "gguf/writer.h"

namespace lathe {
namespace {

TEST(GgufWriter, CopyOfEveryModelIsByteIdentical) {
  for (const auto& entry : std::filesystem::directory_iterator(test::data_path("models"))) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() != ".gguf" || name.find("-v1") != std::string::npos) continue;
    auto original = GgufFile::open(entry.path());
    ASSERT_TRUE(original.ok()) << original.error().message;
    GgufWriter writer;
    ASSERT_TRUE(writer.copy_from(*original).ok());
    const auto copy_path = test::temp_dir() / name;
    auto written = writer.write(copy_path);
    ASSERT_TRUE(written.ok()) << written.error().message;
    EXPECT_TRUE(test::read_file(copy_path) == test::read_file(entry.path())) << name << " differs";
    std::filesystem::remove(copy_path);
  }
}

TEST(GgufWriter, EveryValueTypeReadsBack) {
  GgufWriter writer;
  writer.set("t.u8", GgufValue::u8(200));
  writer.set("t.u16", GgufValue{GgufType::u16, uint64_t{65000}});
  writer.set("t.u32", GgufValue::u32(4000000000u));
  writer.set("t.u64", GgufValue::u64(1ull << 60));
  writer.set("t.i8", GgufValue{GgufType::i8, int64_t{-100}});
  writer.set("t.i16", GgufValue{GgufType::i16, int64_t{-30000}});
  writer.set("t.i32", GgufValue::i32(-2000000000));
  writer.set("t.i64", GgufValue::i64(-(1ll << 60)));
  writer.set("t.f32", GgufValue::f32(1.5f));
  writer.set("t.f64", GgufValue::f64(-2.25));
  writer.set("t.bool", GgufValue::boolean(true));
  writer.set("t.string", GgufValue::string("héllo\n"));
  writer.set("t.strings", GgufValue::strings({"a", "", "ccc"}));
  writer.set("t.f32s", GgufValue::f32s({1.0f, -2.0f}));
  writer.set("t.i32s", GgufValue::i32s({7, -8, 9}));
  GgufArray nested;
  nested.type = GgufType::array;
  nested.count = 2;
  nested.arrays.push_back(std::get<GgufArray>(GgufValue::i32s({1, 2}).data));
  nested.arrays.push_back(std::get<GgufArray>(GgufValue::strings({"x"}).data));
  writer.set("t.nested", GgufValue::array(nested));
  writer.set("t.u32", GgufValue::u32(5));  // replaces in place
  ASSERT_TRUE(writer.set_alignment(64).ok());

  std::vector<uint8_t> q8(34 * 2, 0x11);
  ASSERT_TRUE(writer.add_tensor("a", {64, 1}, DType::Q8_0, q8).ok());
  std::vector<uint8_t> f32(4 * 3 * 5, 0x22);
  ASSERT_TRUE(writer.add_tensor("b", {3, 5}, DType::F32, f32).ok());

  const auto path = test::temp_dir() / "values.gguf";
  auto written = writer.write(path);
  ASSERT_TRUE(written.ok()) << written.error().message;
  auto file = GgufFile::open(path);
  ASSERT_TRUE(file.ok()) << file.error().message;
  EXPECT_EQ(file->alignment(), 64u);
  EXPECT_EQ(file->data_offset() % 64, 0u);
  ASSERT_EQ(file->metadata().size(), 17u);  // 16 keys + general.alignment
  EXPECT_EQ(file->metadata()[0].first, "t.u8");
  EXPECT_EQ(*file->get_uint("t.u32"), 5u);
  EXPECT_EQ(*file->get_uint("t.u64"), 1ull << 60);
  EXPECT_EQ(*file->get_int("t.i64"), -(1ll << 60));
  EXPECT_EQ(*file->get_int("t.i8"), -100);
  EXPECT_EQ(*file->get_float("t.f32"), 1.5);
  EXPECT_EQ(*file->get_float("t.f64"), -2.25);
  EXPECT_TRUE(*file->get_bool("t.bool"));
  EXPECT_EQ(*file->get_string("t.string"), "héllo\n");
  EXPECT_TRUE(*file->find("t.strings") == GgufValue::strings({"a", "", "ccc"}));
  EXPECT_TRUE(*file->find("t.nested") == GgufValue::array(nested));
  auto i32s = file->get_array("t.i32s");
  ASSERT_TRUE(i32s.ok());
  EXPECT_EQ((*i32s)->int_at(1), -8);

  ASSERT_EQ(file->tensors().size(), 2u);
  const GgufTensorInfo* a = file->find_tensor("a");
  const GgufTensorInfo* b = file->find_tensor("b");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->type, DType::Q8_0);
  EXPECT_EQ(b->ne[0], 3u);
  EXPECT_EQ(b->ne[1], 5u);
  EXPECT_EQ(b->offset % 64, 0u);
  auto a_data = file->tensor_data(*a);
  auto b_data = file->tensor_data(*b);
  EXPECT_TRUE(std::vector<uint8_t>(a_data.begin(), a_data.end()) == q8);
  EXPECT_TRUE(std::vector<uint8_t>(b_data.begin(), b_data.end()) == f32);
}

TEST(GgufWriter, RefusesBadTensors) {
  GgufWriter writer;
  EXPECT_FALSE(writer.add_tensor(std::string(64, 'x'), {32}, DType::F32, std::vector<uint8_t>(128)).ok());
  EXPECT_FALSE(writer.add_tensor("q", {33}, DType::Q8_0, std::vector<uint8_t>(34)).ok());
  EXPECT_FALSE(writer.add_tensor("five", {1, 1, 1, 1, 1}, DType::F32, std::vector<uint8_t>(4)).ok());
  EXPECT_TRUE(writer.add_tensor("ok", {2}, DType::F32, std::vector<uint8_t>(8)).ok());
  EXPECT_FALSE(writer.add_tensor("ok", {2}, DType::F32, std::vector<uint8_t>(8)).ok());
  EXPECT_FALSE(writer.set_alignment(48).ok());
}

TEST(GgufWriter, WrongDataSizeFailsAndLeavesNoFile) {
  GgufWriter writer;
  ASSERT_TRUE(writer.add_tensor("t", {4}, DType::F32, std::vector<uint8_t>(12)).ok());
  const auto path = test::temp_dir() / "bad.gguf";
  auto written = writer.write(path);
  ASSERT_FALSE(written.ok());
  EXPECT_NE(written.error().message.find("tensor 't' has 12 bytes of data, its shape needs 16"), std::string::npos)
      << written.error().message;
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_FALSE(std::filesystem::exists(path.string() + ".partial"));
}

TEST(GgufWriter, CancelStopsTheWrite) {
  GgufWriter writer;
  ASSERT_TRUE(writer.add_tensor("t", {4}, DType::F32, std::vector<uint8_t>(16)).ok());
  const auto path = test::temp_dir() / "cancelled.gguf";
  auto written = writer.write(path, [](uint64_t, uint64_t) { return false; });
  ASSERT_FALSE(written.ok());
  EXPECT_NE(written.error().message.find("cancelled"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(path));
}

}  // namespace
}  // namespace lathe
