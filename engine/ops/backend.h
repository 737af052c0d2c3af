#pragma once
// The operations a forward pass (and later the training backward pass) is written in, whatever
// runs them. Architecture files and blocks (model/) call an ops::Backend; the CPU backend
// (ops/cpu_backend.h) runs each op at once on the host through cpu/ (the reference), the Vulkan
// backend (ops/vk_backend.h) records each op into a command buffer and runs it on submit().
//
//   ops::Tensor x = b.alloc(n, d);
//   b.get_rows(token_embd, tokens, x);
//   ops::Tensor h = b.alloc(n, d);
//   b.rms_norm(x, attn_norm, h, eps);
//   ...
//   b.download(logits_tensor, logits.values);   // waits for the work recorded so far
//
// Tensors are handles (plain values) to f32 or i32 matrices [rows, cols], row-major, in memory the
// backend owns. Scratch tensors (alloc) live until release(mark) of a mark taken before them;
// persistent tensors (constant, persistent) and weights live as long as the backend. A view
// (rows(), reshape()) shares its tensor's memory. An op's output may alias an input only where
// its comment says so.
//
// Ops record or run in order; an op sees the results of every op before it. Errors from the
// device (out of memory, device lost) surface at submit() and download(): ops themselves do not
// fail, so a pass checks once per layer.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "core/result.h"
#include "cpu/attention.h"
#include "cpu/matmul.h"
#include "cpu/rope.h"

namespace lathe::ops {

enum class Elem : uint8_t { f32, i32 };

struct Tensor {
  uint32_t buffer = 0;  // the backend's allocation; 0 = no tensor
  size_t offset = 0;    // in elements from the allocation's start
  size_t rows = 0;
  size_t cols = 0;
  Elem elem = Elem::f32;

  bool empty() const { return buffer == 0; }
  size_t size() const { return rows * cols; }
  // Rows [first, first + count) of this tensor.
  Tensor slice_rows(size_t first, size_t count) const {
    Tensor t = *this;
    t.offset += first * cols;
    t.rows = count;
    return t;
  }
  // The same elements seen as [rows, cols]; rows * cols must equal size().
  Tensor reshape(size_t new_rows, size_t new_cols) const {
    Tensor t = *this;
    t.rows = new_rows;
    t.cols = new_cols;
    return t;
  }
};

// A weight matrix in its GGUF type (rows = outputs, cols = inputs), uploaded once.
struct Weight {
  uint32_t id = 0;  // 0 = none
  DType type = DType::F32;
  size_t rows = 0;
  size_t cols = 0;

  bool empty() const { return id == 0; }
};

enum class Glu { silu, gelu };  // gated units: act(gate) * up

class Backend {
 public:
  virtual ~Backend() = default;

  // "cpu", "vulkan (<device name>)": what the status line and errors show.
  virtual std::string name() const = 0;

  // ---- memory ----
  // A matrix from the file's bytes (a view into the mapping: the caller keeps it alive).
  virtual Result<Weight> upload_weight(const cpu::WeightView& w) = 0;
  // A persistent f32 tensor holding `values` (norm weights, biases, RoPE frequency factors).
  virtual Result<Tensor> constant(std::span<const float> values, size_t rows, size_t cols) = 0;
  // A persistent tensor of zeros (KV caches).
  virtual Result<Tensor> persistent(size_t rows, size_t cols, Elem elem = Elem::f32) = 0;
  // Scratch: valid until release() of a mark taken before it.
  virtual Tensor alloc(size_t rows, size_t cols, Elem elem = Elem::f32) = 0;
  virtual size_t mark() const = 0;
  virtual void release(size_t mark) = 0;

  // Host <-> backend. upload() is ordered with the ops around it; download() waits for every op
  // recorded so far, then copies.
  virtual void upload(std::span<const float> values, Tensor dst) = 0;
  virtual void upload_i32(std::span<const int32_t> values, Tensor dst) = 0;
  virtual Result<void> download(Tensor src, std::span<float> out) = 0;
  // Runs what was recorded and waits for it (the per-layer boundary of prefill and training).
  // A no-op on the CPU.
  virtual Result<void> submit() = 0;

  // ---- ops ----
  // out[i] = rows ids[i] of w, dequantized. ids: i32 [n, 1]; out: [n, w.cols].
  virtual void get_rows(const Weight& w, Tensor ids, Tensor out) = 0;
  // y: [tokens, w.rows] = x: [tokens, w.cols] · wᵀ.
  virtual void matmul(const Weight& w, Tensor x, Tensor y) = 0;
  // y[r] += bias for every row r; bias: [1, y.cols]. In place.
  virtual void add_row(Tensor y, Tensor bias) = 0;
  // y = x / rms(x) * w, per row; w: [1, x.cols], or empty for no weight. y may alias x.
  virtual void rms_norm(Tensor x, Tensor w, Tensor y, float eps) = 0;
  // x: [tokens, heads * head_dim] rotated in place; positions: i32 [tokens, 1];
  // freq_factors: [1, n_rot / 2] or empty. p.freq_factors is ignored (the tensor is used).
  virtual void rope(Tensor x, size_t heads, Tensor positions, const cpu::RopeParams& p, Tensor freq_factors) = 0;
  // Writes rows of src [tokens, row] to rows `first_slot ..` of dst [context, row].
  virtual void write_rows(Tensor src, Tensor dst, size_t first_slot) = 0;
  // Causal attention of q over the first n_keys rows of k and v (a KV cache layer).
  // q: [tokens, n_head * head_dim_k]; k: [>= n_keys, n_kv_head * head_dim_k];
  // v: [>= n_keys, n_kv_head * head_dim_v]; q_positions: i32 [tokens, 1], each < n_keys;
  // out: [tokens, n_head * head_dim_v].
  virtual void attention(Tensor q, Tensor q_positions, Tensor k, Tensor v, size_t n_keys,
                         const cpu::AttentionParams& p, Tensor out) = 0;
  // Element-wise, same shapes; out may alias either input.
  virtual void add(Tensor a, Tensor b, Tensor out) = 0;
  virtual void mul(Tensor a, Tensor b, Tensor out) = 0;
  virtual void scale(Tensor x, float s, Tensor out) = 0;
  // out = cap * tanh(x / cap).
  virtual void softcap(Tensor x, float cap, Tensor out) = 0;
  // out = act(gate) * up; out may alias gate or up.
  virtual void glu(Glu act, Tensor gate, Tensor up, Tensor out) = 0;
  // out = gelu(x) (tanh approximation, as ggml).
  virtual void gelu(Tensor x, Tensor out) = 0;
  // dst = src, same shapes.
  virtual void copy(Tensor src, Tensor dst) = 0;
};

// Scratch taken inside a scope is released when it ends.
class ScratchScope {
 public:
  explicit ScratchScope(Backend& b) : b_(b), mark_(b.mark()) {}
  ~ScratchScope() { b_.release(mark_); }
  ScratchScope(const ScratchScope&) = delete;
  ScratchScope& operator=(const ScratchScope&) = delete;

 private:
  Backend& b_;
  size_t mark_;
};

}  // namespace lathe::ops
