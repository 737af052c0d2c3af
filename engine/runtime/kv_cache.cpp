#include "runtime/kv_cache.h"

#include <new>

namespace lathe {

Result<KvCache> KvCache::create(std::vector<KvLayerShape> layers, size_t context) {
  if (context == 0) return make_error("[kv_cache] the context must hold at least one token");
  // Refuse sizes that overflow or cannot be meant (over 1 TiB) before trying to allocate them.
  constexpr double kLimit = 1099511627776.0;
  double total = 0;
  for (const KvLayerShape& s : layers) {
    total += static_cast<double>(context) * static_cast<double>(s.k_row() + s.v_row()) * sizeof(float);
  }
  if (total > kLimit) {
    return make_error(
        "[kv_cache] {} tokens of context need {:.1f} GiB of f32 keys and values; choose a shorter context",
        context, total / (1024.0 * 1024 * 1024));
  }
  KvCache cache;
  cache.layers_ = std::move(layers);
  cache.context_ = context;
  try {
    for (const KvLayerShape& s : cache.layers_) {
      cache.k_.emplace_back(context * s.k_row());
      cache.v_.emplace_back(context * s.v_row());
    }
  } catch (const std::bad_alloc&) {
    return make_error("[kv_cache] out of memory allocating {:.1f} MiB for {} tokens of context",
                      total / (1024.0 * 1024), context);
  }
  return cache;
}

size_t KvCache::bytes() const {
  size_t n = 0;
  for (const KvLayerShape& s : layers_) n += context_ * (s.k_row() + s.v_row()) * sizeof(float);
  return n;
}

}  // namespace lathe
