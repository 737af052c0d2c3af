#include "model/summary.h"

#include <algorithm>
#include <map>

#include "gguf/reader.h"

namespace lathe {
namespace {

// An optional per-model number: absent is 0, present with the wrong type is an error.
Result<uint64_t> optional_uint(const GgufFile& f, const std::string& key) {
  if (!f.has(key)) return uint64_t{0};
  return f.get_uint(key);
}

// A per-layer number that may be one value or an array of one value per layer.
Result<std::vector<uint64_t>> per_layer(const GgufFile& f, const std::string& key, uint64_t layers) {
  const GgufValue* v = f.find(key);
  if (v == nullptr) return std::vector<uint64_t>(layers, 0);
  if (const GgufArray* a = v->as_array()) {
    if (!a->is_integer() || a->count != layers) {
      return make_error("{}: metadata key '{}' must be one integer or {} integers (one per layer)", f.name(),
                        key, layers);
    }
    std::vector<uint64_t> out;
    for (uint64_t i = 0; i < a->count; ++i) {
      int64_t x = a->int_at(i);
      if (x < 0) return make_error("{}: metadata key '{}' has a negative entry", f.name(), key);
      out.push_back(static_cast<uint64_t>(x));
    }
    return out;
  }
  LATHE_TRY(uint64_t one, f.get_uint(key));
  return std::vector<uint64_t>(layers, one);
}

// Layers marked sliding-window in `<arch>.attention.sliding_window_pattern` (bool array), if any.
std::vector<bool> sliding_layers(const GgufFile& f, const std::string& arch, uint64_t layers) {
  std::vector<bool> swa(layers, false);
  const GgufValue* v = f.find(arch + ".attention.sliding_window_pattern");
  const GgufArray* a = v ? v->as_array() : nullptr;
  if (a && a->type == GgufType::boolean && a->count == layers) {
    for (uint64_t i = 0; i < layers; ++i) swa[i] = a->int_at(i) != 0;
  }
  return swa;
}

}  // namespace

std::string file_type_name(uint64_t file_type) {
  static const std::map<uint64_t, std::string> names = {
      {0, "F32"},      {1, "F16"},     {2, "Q4_0"},    {3, "Q4_1"},    {7, "Q8_0"},     {8, "Q5_0"},
      {9, "Q5_1"},     {10, "Q2_K"},   {11, "Q3_K_S"}, {12, "Q3_K_M"}, {13, "Q3_K_L"},  {14, "Q4_K_S"},
      {15, "Q4_K_M"},  {16, "Q5_K_S"}, {17, "Q5_K_M"}, {18, "Q6_K"},   {19, "IQ2_XXS"}, {20, "IQ2_XS"},
      {21, "Q2_K_S"},  {22, "IQ3_XS"}, {23, "IQ3_XXS"}, {24, "IQ1_S"}, {25, "IQ4_NL"},  {26, "IQ3_S"},
      {27, "IQ3_M"},   {28, "IQ2_S"},  {29, "IQ2_M"},  {30, "IQ4_XS"}, {31, "IQ1_M"},   {32, "BF16"},
      {36, "TQ1_0"},   {37, "TQ2_0"},  {38, "MXFP4_MOE"},
  };
  auto it = names.find(file_type);
  return it == names.end() ? std::string() : it->second;
}

Result<ModelSummary> summarize(const GgufFile& f, uint64_t context) {
  ModelSummary s;
  s.path = f.name();
  s.gguf_version = f.version();
  s.file_size = f.file_size();
  s.architecture = f.architecture();
  if (f.has("general.name")) { LATHE_TRY(s.name, f.get_string("general.name")); }
  if (f.has("general.file_type")) {
    LATHE_TRY(uint64_t ft, f.get_uint("general.file_type"));
    s.file_type = file_type_name(ft);
  }

  std::map<DType, TypeShare> shares;
  for (const GgufTensorInfo& t : f.tensors()) {
    TypeShare& share = shares.try_emplace(t.type, TypeShare{t.type}).first->second;
    share.tensors += 1;
    share.elements += t.elements;
    share.bytes += t.size_bytes;
    s.parameters += t.elements;
    s.weight_bytes += t.size_bytes;
  }
  s.tensor_count = f.tensors().size();
  for (const auto& [type, share] : shares) s.types.push_back(share);
  std::sort(s.types.begin(), s.types.end(), [](const TypeShare& a, const TypeShare& b) { return a.bytes > b.bytes; });

  if (f.has("tokenizer.ggml.model")) { LATHE_TRY(s.tokenizer, f.get_string("tokenizer.ggml.model")); }
  if (f.has("tokenizer.ggml.tokens")) {
    LATHE_TRY(const GgufArray* tokens, f.get_array("tokenizer.ggml.tokens"));
    s.vocab_size = tokens->count;
  }
  s.has_chat_template = f.has("tokenizer.chat_template");
  if (s.architecture.empty()) return s;

  const std::string a = s.architecture + ".";
  LATHE_TRY(s.context_length, optional_uint(f, a + "context_length"));
  LATHE_TRY(s.layers, optional_uint(f, a + "block_count"));
  LATHE_TRY(s.d_model, optional_uint(f, a + "embedding_length"));
  LATHE_TRY(s.heads, optional_uint(f, a + "attention.head_count"));
  if (s.layers > 100000) return make_error("{}: '{}block_count' is {}, not a plausible layer count", f.name(), a, s.layers);
  if (s.vocab_size == 0) { LATHE_TRY(s.vocab_size, optional_uint(f, a + "vocab_size")); }

  LATHE_TRY(std::vector<uint64_t> ffn, per_layer(f, a + "feed_forward_length", s.layers));
  LATHE_TRY(std::vector<uint64_t> kv_heads, per_layer(f, a + "attention.head_count_kv", s.layers));
  for (uint64_t x : ffn) s.ffn_length = std::max(s.ffn_length, x);
  for (uint64_t& x : kv_heads) {
    if (x == 0) x = s.heads;  // absent: as many KV heads as query heads
    s.kv_heads = std::max(s.kv_heads, x);
  }

  LATHE_TRY(uint64_t key_length, optional_uint(f, a + "attention.key_length"));
  LATHE_TRY(uint64_t value_length, optional_uint(f, a + "attention.value_length"));
  LATHE_TRY(uint64_t key_length_swa, optional_uint(f, a + "attention.key_length_swa"));
  LATHE_TRY(uint64_t value_length_swa, optional_uint(f, a + "attention.value_length_swa"));
  LATHE_TRY(uint64_t shared_kv_layers, optional_uint(f, a + "attention.shared_kv_layers"));
  if (key_length == 0 && s.heads > 0) key_length = s.d_model / s.heads;
  if (value_length == 0) value_length = key_length;
  if (key_length_swa == 0) key_length_swa = key_length;
  if (value_length_swa == 0) value_length_swa = value_length;
  s.head_dim = key_length;

  // KV cache: F16 K and V at every position of the context, for each layer with its own cache
  // (the last `shared_kv_layers` layers reuse earlier layers' caches).
  s.kv_context = context != 0 ? context : s.context_length;
  const std::vector<bool> swa = sliding_layers(f, s.architecture, s.layers);
  const uint64_t own_cache_layers = s.layers - std::min(shared_kv_layers, s.layers);
  for (uint64_t i = 0; i < own_cache_layers; ++i) {
    const uint64_t k = swa[i] ? key_length_swa : key_length;
    const uint64_t v = swa[i] ? value_length_swa : value_length;
    s.kv_cache_bytes += s.kv_context * kv_heads[i] * (k + v) * 2;
  }
  return s;
}

}  // namespace lathe
