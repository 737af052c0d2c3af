#pragma once
// ggml tensor types: ids as stored in GGUF files, block layouts, and what Lathe can decode.

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace lathe {

enum class DType : uint32_t {
  F32 = 0,
  F16 = 1,
  Q4_0 = 2,
  Q4_1 = 3,
  Q5_0 = 6,
  Q5_1 = 7,
  Q8_0 = 8,
  Q8_1 = 9,
  Q2_K = 10,
  Q3_K = 11,
  Q4_K = 12,
  Q5_K = 13,
  Q6_K = 14,
  Q8_K = 15,
  IQ2_XXS = 16,
  IQ2_XS = 17,
  IQ3_XXS = 18,
  IQ1_S = 19,
  IQ4_NL = 20,
  IQ3_S = 21,
  IQ2_S = 22,
  IQ4_XS = 23,
  I8 = 24,
  I16 = 25,
  I32 = 26,
  I64 = 27,
  F64 = 28,
  IQ1_M = 29,
  BF16 = 30,
  TQ1_0 = 34,
  TQ2_0 = 35,
  MXFP4 = 39,
};

struct DTypeInfo {
  DType type;
  std::string_view name;   // as ggml names it ("q4_K")
  uint32_t block_size;     // elements per block
  uint32_t type_size;      // bytes per block
  bool can_dequantize;     // Lathe has a CPU dequantizer for it
  bool can_quantize;       // Lathe has a CPU quantizer for it
};

// The layout of a type id read from a file, or nullopt for an id ggml does not define.
std::optional<DTypeInfo> dtype_info(uint32_t id);
const DTypeInfo& dtype_info(DType type);

// Looks a type up by its ggml name, case-insensitively ("Q4_K", "q8_0", "f16").
std::optional<DType> dtype_from_name(std::string_view name);

// Every type ggml defines, in id order.
std::span<const DTypeInfo> all_dtypes();

// Bytes taken by `elements` values of `type`; elements must be a multiple of the block size.
inline uint64_t row_bytes(DType type, uint64_t elements) {
  const DTypeInfo& info = dtype_info(type);
  return elements / info.block_size * info.type_size;
}

}  // namespace lathe
