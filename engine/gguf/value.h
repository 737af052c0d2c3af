#pragma once
// GGUF metadata values: scalars, strings and (nested) arrays, typed as the file types them.

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/result.h"

namespace lathe {

enum class GgufType : uint32_t {
  u8 = 0,
  i8 = 1,
  u16 = 2,
  i16 = 3,
  u32 = 4,
  i32 = 5,
  f32 = 6,
  boolean = 7,
  string = 8,
  array = 9,
  u64 = 10,
  i64 = 11,
  f64 = 12,
};

std::string_view gguf_type_name(GgufType type);
// Bytes one element of a fixed-size type takes in a file (0 for string and array).
size_t gguf_type_size(GgufType type);
bool gguf_type_valid(uint32_t id);

// An array keeps numbers packed (little-endian, as in the file) so a huge array costs what the
// file does; strings and nested arrays are unpacked.
struct GgufArray {
  GgufType type = GgufType::u8;  // element type
  uint64_t count = 0;
  std::vector<uint8_t> packed;   // count * gguf_type_size(type) bytes for number and bool elements
  std::vector<std::string> strings;
  std::vector<GgufArray> arrays;

  bool is_integer() const;
  bool is_number() const;
  // Element i of a number or bool array, converted; i < count.
  int64_t int_at(uint64_t i) const;
  double float_at(uint64_t i) const;
};

struct GgufValue {
  GgufType type = GgufType::u8;
  std::variant<uint64_t, int64_t, double, bool, std::string, GgufArray> data;

  static GgufValue u8(uint8_t v) { return {GgufType::u8, uint64_t{v}}; }
  static GgufValue u32(uint32_t v) { return {GgufType::u32, uint64_t{v}}; }
  static GgufValue u64(uint64_t v) { return {GgufType::u64, v}; }
  static GgufValue i32(int32_t v) { return {GgufType::i32, int64_t{v}}; }
  static GgufValue i64(int64_t v) { return {GgufType::i64, v}; }
  static GgufValue f32(float v) { return {GgufType::f32, double{v}}; }
  static GgufValue f64(double v) { return {GgufType::f64, v}; }
  static GgufValue boolean(bool v) { return {GgufType::boolean, v}; }
  static GgufValue string(std::string v) { return {GgufType::string, std::move(v)}; }
  static GgufValue strings(std::vector<std::string> v);
  static GgufValue f32s(const std::vector<float>& v);
  static GgufValue i32s(const std::vector<int32_t>& v);
  static GgufValue array(GgufArray v) { return {GgufType::array, std::move(v)}; }

  bool is_integer() const;
  bool is_number() const;  // integer or float
  const GgufArray* as_array() const { return std::get_if<GgufArray>(&data); }
  const std::string* as_string() const { return std::get_if<std::string>(&data); }

  // A short human-readable rendering ("[32000 strings]" for big arrays).
  std::string describe(size_t max_items = 8) const;
};

bool operator==(const GgufArray& a, const GgufArray& b);
bool operator==(const GgufValue& a, const GgufValue& b);

}  // namespace lathe
