// libFuzzer target: any bytes through the GGUF reader, the model summary and the dequantizers.
// Whatever the input, the result is a GgufFile or an Error; nothing crashes, leaks or reads out of bounds.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "gguf/quant.h"
#include "gguf/reader.h"
#include "model/summary.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto file = lathe::GgufFile::parse({data, size}, "fuzz.gguf");
  if (!file.ok()) return 0;
  (void)lathe::summarize(*file, 0);
  for (const auto& [key, value] : file->metadata()) (void)value.describe();
  std::vector<float> out;
  for (const lathe::GgufTensorInfo& t : file->tensors()) {
    const lathe::DTypeInfo& info = lathe::dtype_info(t.type);
    if (!info.can_dequantize || t.elements == 0) continue;
    // The first row, at most 4096 values: enough to exercise every block decoder on hostile bytes.
    const uint64_t n = std::min<uint64_t>(t.ne[0], 4096) / info.block_size * info.block_size;
    out.resize(n);
    (void)lathe::dequantize(t.type, file->tensor_data(t).first(n / info.block_size * info.type_size), out);
  }
  return 0;
}
