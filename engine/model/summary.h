#pragma once
// What `lathe-cli info` and the app's model library show about a GGUF file: shape, weight types and
// the memory a load would need. Works on any valid GGUF (a vocab-only file has no layers).

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"
#include "gguf/dtype.h"

namespace lathe {

class GgufFile;

struct TypeShare {
  DType type;
  uint64_t tensors = 0;
  uint64_t elements = 0;
  uint64_t bytes = 0;
};

struct ModelSummary {
  std::string path;
  std::string name;           // general.name
  std::string architecture;   // general.architecture
  std::string file_type;      // from general.file_type ("Q4_K_M"), or "" when absent
  uint32_t gguf_version = 0;
  uint64_t file_size = 0;
  uint64_t tensor_count = 0;
  uint64_t parameters = 0;
  std::vector<TypeShare> types;  // by bytes, largest first

  uint64_t context_length = 0;
  uint64_t layers = 0;
  uint64_t d_model = 0;
  uint64_t ffn_length = 0;    // the largest, when it varies per layer
  uint64_t heads = 0;
  uint64_t kv_heads = 0;      // the largest, when it varies per layer
  uint64_t head_dim = 0;      // key length of full-attention layers

  uint64_t vocab_size = 0;
  std::string tokenizer;      // tokenizer.ggml.model ("llama" = SentencePiece, "gpt2" = byte-level BPE)
  bool has_chat_template = false;

  uint64_t weight_bytes = 0;
  uint64_t kv_context = 0;        // the context the KV estimate is for
  uint64_t kv_cache_bytes = 0;    // F16 K and V for every layer that keeps its own cache
  uint64_t load_bytes() const { return weight_bytes + kv_cache_bytes; }
};

// `context` sizes the KV-cache estimate; 0 means the model's own context length.
Result<ModelSummary> summarize(const GgufFile& file, uint64_t context = 0);

// llama.cpp's names for general.file_type values ("Q4_K_M"), or "" for an unknown value.
std::string file_type_name(uint64_t file_type);

}  // namespace lathe
