#pragma once
// The keys and values of one sequence, for every layer that keeps its own, in f32 on the host.
//
// Slot p of a layer holds the key and value at position p (keys after RoPE). `length()` positions
// (0 .. length-1) are valid; a forward pass writes positions length.. onward, or rewrites from an
// earlier position to continue a shortened sequence. Layers may differ in KV heads and head
// dimensions (gemma4); a model whose layers share caches maps several layers onto one cache layer.

#include <cstddef>
#include <vector>

#include "core/result.h"

namespace lathe {

struct KvLayerShape {
  size_t n_kv_head = 0;
  size_t head_dim_k = 0;
  size_t head_dim_v = 0;

  size_t k_row() const { return n_kv_head * head_dim_k; }  // floats per position
  size_t v_row() const { return n_kv_head * head_dim_v; }
  bool operator==(const KvLayerShape&) const = default;
};

class KvCache {
 public:
  // Allocates context x (k_row + v_row) floats per layer. Fails with a message giving the size
  // when that is implausible or the allocation fails.
  static Result<KvCache> create(std::vector<KvLayerShape> layers, size_t context);

  size_t context() const { return context_; }
  size_t length() const { return length_; }
  size_t layer_count() const { return layers_.size(); }
  const KvLayerShape& shape(size_t layer) const { return layers_[layer]; }
  const std::vector<KvLayerShape>& shapes() const { return layers_; }
  size_t bytes() const;

  // k: [context, n_kv_head, head_dim_k]; v: [context, n_kv_head, head_dim_v]
  float* k(size_t layer) { return k_[layer].data(); }
  float* v(size_t layer) { return v_[layer].data(); }
  const float* k(size_t layer) const { return k_[layer].data(); }
  const float* v(size_t layer) const { return v_[layer].data(); }

  // Marks positions [0, n) valid; n <= context. Shrinking forgets the later positions.
  void set_length(size_t n) { length_ = n < context_ ? n : context_; }
  void clear() { length_ = 0; }

 private:
  std::vector<KvLayerShape> layers_;
  size_t context_ = 0;
  size_t length_ = 0;
  std::vector<std::vector<float>> k_, v_;
};

}  // namespace lathe
