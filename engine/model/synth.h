#pragma once
// Random-weight models with the shapes of real ones, for benchmarks and tests. The files carry the
// metadata keys and tensor names llama.cpp expects, and a SentencePiece-style vocab of the real size.

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>

#include "core/result.h"
#include "gguf/dtype.h"
#include "gguf/writer.h"

namespace lathe {

struct SynthShape {
  std::string name;          // "llama-3.2-1b"
  std::string architecture;  // general.architecture: llama, qwen2, gemma2
  uint32_t d_model, ffn_length, layers, heads, kv_heads, head_dim, vocab, context;
  bool tied_output;          // no output.weight: the embedding doubles as the output matrix
  bool qkv_bias;             // qwen2
  bool sandwich_norms;       // gemma2: post-attention and post-ffn norms
  double rope_base;
  float rms_eps;
  float attn_softcap, final_softcap;  // gemma2; 0 = none
  uint32_t sliding_window;            // gemma2; 0 = none
};

std::span<const SynthShape> synth_shapes();
Result<SynthShape> find_synth_shape(const std::string& name);

// F16, Q8_0 and Q4_0 put every matrix in that type (llama-quantize --pure); Q4_K_M follows
// llama.cpp's mix. Norms and biases stay F32.
enum class SynthType { F16, Q8_0, Q4_0, Q4_K_M };
Result<SynthType> parse_synth_type(const std::string& name);

// The type a matrix of `ne0` columns gets. `layer` is -1 for tensors outside the blocks.
// `role` is the tensor name without "blk.N." and ".weight" ("attn_v", "token_embd", "output").
DType synth_matrix_type(const SynthShape& shape, SynthType type, const std::string& role, int layer, uint64_t ne0);

Result<void> write_synth_model(const SynthShape& shape, SynthType type, const std::filesystem::path& path,
                               uint64_t seed, const GgufWriter::Progress& progress = {});

}  // namespace lathe
