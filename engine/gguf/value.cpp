#include "gguf/value.h"

#include <cstring>

namespace lathe {
namespace {

template <class T>
T load(const uint8_t* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

template <class T>
void store_all(GgufArray& a, GgufType type, const std::vector<T>& values) {
  a.type = type;
  a.count = values.size();
  a.packed.resize(values.size() * sizeof(T));
  if (!values.empty()) std::memcpy(a.packed.data(), values.data(), a.packed.size());
}

}  // namespace

std::string_view gguf_type_name(GgufType type) {
  switch (type) {
    case GgufType::u8: return "u8";
    case GgufType::i8: return "i8";
    case GgufType::u16: return "u16";
    case GgufType::i16: return "i16";
    case GgufType::u32: return "u32";
    case GgufType::i32: return "i32";
    case GgufType::f32: return "f32";
    case GgufType::boolean: return "bool";
    case GgufType::string: return "string";
    case GgufType::array: return "array";
    case GgufType::u64: return "u64";
    case GgufType::i64: return "i64";
    case GgufType::f64: return "f64";
  }
  return "?";
}

size_t gguf_type_size(GgufType type) {
  switch (type) {
    case GgufType::u8:
    case GgufType::i8:
    case GgufType::boolean: return 1;
    case GgufType::u16:
    case GgufType::i16: return 2;
    case GgufType::u32:
    case GgufType::i32:
    case GgufType::f32: return 4;
    case GgufType::u64:
    case GgufType::i64:
    case GgufType::f64: return 8;
    case GgufType::string:
    case GgufType::array: return 0;
  }
  return 0;
}

bool gguf_type_valid(uint32_t id) { return id <= static_cast<uint32_t>(GgufType::f64); }

static bool integer_type(GgufType t) {
  switch (t) {
    case GgufType::u8:
    case GgufType::i8:
    case GgufType::u16:
    case GgufType::i16:
    case GgufType::u32:
    case GgufType::i32:
    case GgufType::u64:
    case GgufType::i64: return true;
    default: return false;
  }
}

bool GgufArray::is_integer() const { return integer_type(type); }
bool GgufArray::is_number() const {
  return integer_type(type) || type == GgufType::f32 || type == GgufType::f64;
}

int64_t GgufArray::int_at(uint64_t i) const {
  const uint8_t* p = packed.data() + i * gguf_type_size(type);
  switch (type) {
    case GgufType::u8: return load<uint8_t>(p);
    case GgufType::i8: return load<int8_t>(p);
    case GgufType::u16: return load<uint16_t>(p);
    case GgufType::i16: return load<int16_t>(p);
    case GgufType::u32: return load<uint32_t>(p);
    case GgufType::i32: return load<int32_t>(p);
    case GgufType::u64: return static_cast<int64_t>(load<uint64_t>(p));
    case GgufType::i64: return load<int64_t>(p);
    case GgufType::boolean: return load<uint8_t>(p) != 0;
    case GgufType::f32: return static_cast<int64_t>(load<float>(p));
    case GgufType::f64: return static_cast<int64_t>(load<double>(p));
    default: return 0;
  }
}

double GgufArray::float_at(uint64_t i) const {
  const uint8_t* p = packed.data() + i * gguf_type_size(type);
  switch (type) {
    case GgufType::f32: return load<float>(p);
    case GgufType::f64: return load<double>(p);
    case GgufType::u64: return static_cast<double>(load<uint64_t>(p));
    default: return static_cast<double>(int_at(i));
  }
}

GgufValue GgufValue::strings(std::vector<std::string> v) {
  GgufArray a;
  a.type = GgufType::string;
  a.count = v.size();
  a.strings = std::move(v);
  return array(std::move(a));
}

GgufValue GgufValue::f32s(const std::vector<float>& v) {
  GgufArray a;
  store_all(a, GgufType::f32, v);
  return array(std::move(a));
}

GgufValue GgufValue::i32s(const std::vector<int32_t>& v) {
  GgufArray a;
  store_all(a, GgufType::i32, v);
  return array(std::move(a));
}

bool GgufValue::is_integer() const { return integer_type(type); }
bool GgufValue::is_number() const { return integer_type(type) || type == GgufType::f32 || type == GgufType::f64; }

static std::string describe_array(const GgufArray& a, size_t max_items) {
  std::string out = "[";
  const uint64_t shown = std::min<uint64_t>(a.count, max_items);
  for (uint64_t i = 0; i < shown; ++i) {
    if (i) out += ", ";
    if (a.type == GgufType::string) {
      out += fmt::format("\"{}\"", a.strings[i]);
    } else if (a.type == GgufType::array) {
      out += describe_array(a.arrays[i], max_items);
    } else if (a.type == GgufType::f32 || a.type == GgufType::f64) {
      out += fmt::format("{}", a.float_at(i));
    } else {
      out += fmt::format("{}", a.int_at(i));
    }
  }
  if (a.count > shown) out += fmt::format(", … {} {} in all", a.count, gguf_type_name(a.type));
  return out + "]";
}

std::string GgufValue::describe(size_t max_items) const {
  return std::visit(
      [&](const auto& v) -> std::string {
        using V = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<V, std::string>) {
          return v.size() > 200 ? fmt::format("\"{}…\" ({} bytes)", v.substr(0, 200), v.size())
                                : fmt::format("\"{}\"", v);
        } else if constexpr (std::is_same_v<V, GgufArray>) {
          return describe_array(v, max_items);
        } else {
          return fmt::format("{}", v);
        }
      },
      data);
}

bool operator==(const GgufArray& a, const GgufArray& b) {
  return a.type == b.type && a.count == b.count && a.packed == b.packed && a.strings == b.strings &&
         a.arrays == b.arrays;
}

bool operator==(const GgufValue& a, const GgufValue& b) { return a.type == b.type && a.data == b.data; }

}  // namespace lathe
