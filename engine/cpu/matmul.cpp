#include "cpu/matmul.h"

#include <algorithm>
#include <vector>

#include "cpu/thread_pool.h"
#include "gguf/quant.h"

namespace lathe::cpu {

Result<WeightView> make_weight_view(DType type, std::span<const uint8_t> bytes, size_t rows, size_t cols,
                                    std::string_view what) {
  const DTypeInfo& info = dtype_info(type);
  if (dequantize_blocks_fn(type) == nullptr) {
    return make_error("[matmul] {}: weight type {} is not supported by the CPU backend", what, info.name);
  }
  if (rows == 0 || cols == 0 || cols % info.block_size != 0) {
    return make_error("[matmul] {}: a {} x {} matrix of {} does not fit its {}-value blocks", what, rows,
                      cols, info.name, info.block_size);
  }
  const size_t row_size = static_cast<size_t>(row_bytes(type, cols));
  if (bytes.size() / row_size < rows || bytes.size() != row_size * rows) {
    return make_error("[matmul] {}: {} bytes for a {} x {} matrix of {} (expected {})", what, bytes.size(),
                      rows, cols, info.name, row_size * rows);
  }
  return WeightView{type, bytes.data(), rows, cols, row_size};
}

float dot(const float* a, const float* b, size_t n) {
  float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    for (size_t k = 0; k < 8; ++k) acc[k] += a[i + k] * b[i + k];
  }
  for (size_t k = 0; i < n; ++i, ++k) acc[k] += a[i] * b[i];
  return ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
}

namespace {

// Rows of w in [begin, end), a tile of kRowTile rows at a time: the tile is dequantized into
// scratch once, then every token's activations are dotted with each of its rows. The tile stays in
// cache while the tokens stream past, and each output element is still one dot() of one row.
constexpr size_t kRowTile = 16;

void matmul_rows(const WeightView& w, const float* x, float* y, size_t tokens, size_t begin, size_t end) {
  const DequantizeBlocksFn to_float = dequantize_blocks_fn(w.type);
  const size_t blocks = w.cols / dtype_info(w.type).block_size;
  thread_local std::vector<float> tile;
  tile.resize(kRowTile * w.cols);
  for (size_t r0 = begin; r0 < end; r0 += kRowTile) {
    const size_t n_rows = std::min(kRowTile, end - r0);
    for (size_t i = 0; i < n_rows; ++i)
      to_float(w.data + (r0 + i) * w.row_bytes, tile.data() + i * w.cols, blocks);
    for (size_t t = 0; t < tokens; ++t) {
      const float* xt = x + t * w.cols;
      float* yt = y + t * w.rows + r0;
      for (size_t i = 0; i < n_rows; ++i) yt[i] = dot(tile.data() + i * w.cols, xt, w.cols);
    }
  }
}

}  // namespace

void matmul(const WeightView& w, const float* x, float* y, size_t tokens, ThreadPool* pool) {
  if (tokens == 0) return;
  auto chunk = [&](size_t begin, size_t end) { matmul_rows(w, x, y, tokens, begin, end); };
  if (pool == nullptr) {
    chunk(0, w.rows);
    return;
  }
  // Hand another thread at least ~64K multiply-adds: below that, waking it costs more than it saves.
  const size_t work_per_row = std::max<size_t>(1, w.cols * tokens);
  const size_t min_rows = std::max<size_t>(1, (size_t{1} << 16) / work_per_row);
  pool->parallel_for(w.rows, chunk, min_rows);
}

void get_rows(const WeightView& w, std::span<const int32_t> ids, float* out) {
  const DequantizeBlocksFn to_float = dequantize_blocks_fn(w.type);
  const size_t blocks = w.cols / dtype_info(w.type).block_size;
  for (size_t i = 0; i < ids.size(); ++i) {
    to_float(w.data + static_cast<size_t>(ids[i]) * w.row_bytes, out + i * w.cols, blocks);
  }
}

}  // namespace lathe::cpu
