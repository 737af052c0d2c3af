#pragma once
// Writes GGUF v3 files: metadata in insertion order, tensor infos, then each tensor's data padded to
// the alignment. Tensor data is produced one tensor at a time by a fill callback, so writing a
// multi-gigabyte model holds only one tensor in memory. The file appears atomically (temp + rename).

#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/cancel.h"
#include "core/result.h"
#include "gguf/dtype.h"
#include "gguf/value.h"

namespace lathe {

class GgufFile;

class GgufWriter {
 public:
  // Fills the tensor's bytes (exactly its size).
  using Fill = std::function<Result<void>(std::span<uint8_t> out)>;

  // Sets a key, replacing an earlier value for it in place.
  void set(const std::string& key, GgufValue value);
  // Alignment of tensor data; written as general.alignment when not the default 32.
  Result<void> set_alignment(uint32_t alignment);

  // ne in ggml order (ne[0] is the row length). The name, shape and type are checked here.
  Result<void> add_tensor(std::string name, std::vector<uint64_t> ne, DType type, Fill fill);
  Result<void> add_tensor(std::string name, std::vector<uint64_t> ne, DType type, std::vector<uint8_t> bytes);

  // Copies every key and tensor of a file, as a starting point for edits.
  Result<void> copy_from(const GgufFile& file);

  // Called after each tensor with (bytes written, bytes in all); returning false cancels the write.
  using Progress = std::function<bool(uint64_t done, uint64_t total)>;
  Result<void> write(const std::filesystem::path& path, const Progress& progress = {}) const;

  size_t tensor_count() const { return tensors_.size(); }

 private:
  struct Tensor {
    std::string name;
    std::vector<uint64_t> ne;
    DType type;
    uint64_t size_bytes;
    Fill fill;
  };
  std::vector<std::pair<std::string, GgufValue>> metadata_;
  std::vector<Tensor> tensors_;
  uint32_t alignment_ = 32;
};

}  // namespace lathe
