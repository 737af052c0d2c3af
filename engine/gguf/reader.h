#pragma once
// Reads GGUF v2/v3 files, memory-mapped. Every count, offset, size and dimension is checked against
// the file's size before use; errors name the file and the key or tensor at fault.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/result.h"
#include "gguf/dtype.h"
#include "gguf/value.h"

namespace lathe {

inline constexpr int kGgufMaxDims = 4;       // as ggml
inline constexpr size_t kGgufMaxName = 63;   // ggml keeps names in char[64]
inline constexpr uint64_t kGgufDefaultAlignment = 32;

struct GgufTensorInfo {
  std::string name;
  int n_dims = 0;
  uint64_t ne[kGgufMaxDims] = {1, 1, 1, 1};  // ggml order: ne[0] is the contiguous (row) length
  DType type = DType::F32;
  uint64_t offset = 0;       // from the start of the data section
  uint64_t elements = 0;
  uint64_t size_bytes = 0;

  uint64_t rows() const { return elements / ne[0]; }
  std::string shape_string() const;  // "[4096, 32000]"
};

class GgufFile {
 public:
  // Maps and validates a file.
  static Result<GgufFile> open(const std::filesystem::path& path);
  // Validates bytes already in memory; `name` is used in errors. The bytes are copied.
  static Result<GgufFile> parse(std::span<const uint8_t> bytes, std::string name);

  const std::string& name() const { return name_; }
  uint32_t version() const { return version_; }
  uint64_t file_size() const { return size_; }
  uint64_t alignment() const { return alignment_; }
  uint64_t data_offset() const { return data_offset_; }

  // Metadata in file order.
  const std::vector<std::pair<std::string, GgufValue>>& metadata() const { return metadata_; }
  const GgufValue* find(std::string_view key) const;
  bool has(std::string_view key) const { return find(key) != nullptr; }

  // Typed look-ups; the error names the file and key (missing, or of another type).
  Result<uint64_t> get_uint(std::string_view key) const;   // any integer type, >= 0
  Result<int64_t> get_int(std::string_view key) const;     // any integer type
  Result<double> get_float(std::string_view key) const;    // f32, f64 or any integer
  Result<bool> get_bool(std::string_view key) const;
  Result<std::string> get_string(std::string_view key) const;
  Result<const GgufArray*> get_array(std::string_view key) const;
  // `architecture` from general.architecture, or "" when absent.
  std::string architecture() const;

  const std::vector<GgufTensorInfo>& tensors() const { return tensors_; }
  const GgufTensorInfo* find_tensor(std::string_view name) const;
  // The tensor's bytes inside the mapped file (validated to lie within it).
  std::span<const uint8_t> tensor_data(const GgufTensorInfo& tensor) const;

 private:
  class Mapping;
  static Result<GgufFile> parse_mapping(std::shared_ptr<const Mapping> mapping, std::string name);

  std::shared_ptr<const Mapping> mapping_;
  const uint8_t* base_ = nullptr;
  uint64_t size_ = 0;
  std::string name_;
  uint32_t version_ = 0;
  uint64_t alignment_ = kGgufDefaultAlignment;
  uint64_t data_offset_ = 0;
  std::vector<std::pair<std::string, GgufValue>> metadata_;
  std::unordered_map<std::string, size_t> metadata_index_;
  std::vector<GgufTensorInfo> tensors_;
  std::unordered_map<std::string, size_t> tensor_index_;
};

}  // namespace lathe
