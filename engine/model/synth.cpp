#include "model/synth.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <thread>
#include <vector>

#include "gguf/quant.h"

namespace lathe {
namespace {

// clang-format off
const std::array kShapes = {
    //          name            arch      d     ffn    L   H   KV  hd   vocab   ctx     tied  bias  sandw rope     eps    caps      swa
    SynthShape{"llama-3.2-1b", "llama",  2048,  8192, 16, 32,  8,  64, 128256, 131072, true,  false, false, 500000, 1e-5f, 0, 0,     0},
    SynthShape{"llama-3.1-8b", "llama",  4096, 14336, 32, 32,  8, 128, 128256, 131072, false, false, false, 500000, 1e-5f, 0, 0,     0},
    SynthShape{"qwen2.5-0.5b", "qwen2",   896,  4864, 24, 14,  2,  64, 151936,  32768, true,  true,  false, 1e6,    1e-6f, 0, 0,     0},
    SynthShape{"gemma-2-2b",   "gemma2", 2304,  9216, 26,  8,  4, 256, 256000,   8192, true,  false, true,  10000,  1e-6f, 50, 30, 4096},
};
// clang-format on

constexpr float kWeightStd = 0.02f;

uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// Roughly normal values (sum of four uniforms), deterministic per (seed, tensor, row).
void random_row(uint64_t seed, uint64_t tensor, uint64_t row, std::span<float> out) {
  uint64_t state = seed ^ (tensor * 0x100000001B3ull) ^ (row * 0xD6E8FEB86659FD93ull);
  const float scale = kWeightStd * std::sqrt(3.0f) / 65536.0f;  // the sum's spread is 65536 / sqrt(3)
  for (float& x : out) {
    uint64_t r = splitmix64(state);
    int64_t sum = static_cast<int64_t>(r & 0xFFFF) + ((r >> 16) & 0xFFFF) + ((r >> 32) & 0xFFFF) + (r >> 48);
    x = static_cast<float>(sum - 2 * 0xFFFF) * scale;
  }
}

// Fills a [rows, ne0] matrix of `type` with random rows on every core.
GgufWriter::Fill random_matrix(uint64_t seed, uint64_t tensor, uint64_t ne0, uint64_t rows, DType type) {
  return [=](std::span<uint8_t> out) -> Result<void> {
    const uint64_t row_size = row_bytes(type, ne0);
    const unsigned threads = std::max(1u, std::min<unsigned>(std::thread::hardware_concurrency(), 64));
    std::vector<Result<void>> status(threads);
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t) {
      pool.emplace_back([&, t] {
        std::vector<float> values(ne0);
        for (uint64_t r = t; r < rows; r += threads) {
          random_row(seed, tensor, r, values);
          Result<void> q = quantize(type, values, out.subspan(r * row_size, row_size));
          if (!q.ok()) {
            status[t] = std::move(q);
            return;
          }
        }
      });
    }
    for (std::thread& th : pool) th.join();
    for (Result<void>& s : status) {
      if (!s.ok()) return std::move(s).error();
    }
    return {};
  };
}

GgufWriter::Fill constant_vector(float value, uint64_t n) {
  return [=](std::span<uint8_t> out) -> Result<void> {
    std::vector<float> values(n, value);
    return quantize(DType::F32, values, out);
  };
}

// A SentencePiece-style vocab: <unk>, <s>, </s>, 256 byte tokens, then pieces of growing length.
void add_vocab(GgufWriter& w, uint32_t size) {
  std::vector<std::string> tokens = {"<unk>", "<s>", "</s>"};
  std::vector<int32_t> types = {2, 3, 3};  // unknown, control, control
  for (int b = 0; b < 256 && tokens.size() < size; ++b) {
    tokens.push_back(fmt::format("<0x{:02X}>", b));
    types.push_back(6);  // byte
  }
  const std::string space = "\xE2\x96\x81";  // ▁
  std::vector<std::string> level = {""};
  while (tokens.size() < size) {
    std::vector<std::string> next;
    for (const std::string& prefix : level) {
      for (char c = 'a'; c <= 'z'; ++c) next.push_back(prefix + c);
    }
    for (const std::string& piece : next) {
      for (const std::string& t : {space + piece, piece}) {
        if (tokens.size() < size) {
          tokens.push_back(t);
          types.push_back(1);  // normal
        }
      }
    }
    level = std::move(next);
  }
  std::vector<float> scores(tokens.size());
  for (size_t i = 0; i < scores.size(); ++i) scores[i] = i < 259 ? 0.0f : -static_cast<float>(i);
  w.set("tokenizer.ggml.model", GgufValue::string("llama"));
  w.set("tokenizer.ggml.tokens", GgufValue::strings(std::move(tokens)));
  w.set("tokenizer.ggml.scores", GgufValue::f32s(scores));
  w.set("tokenizer.ggml.token_type", GgufValue::i32s(types));
  w.set("tokenizer.ggml.unknown_token_id", GgufValue::u32(0));
  w.set("tokenizer.ggml.bos_token_id", GgufValue::u32(1));
  w.set("tokenizer.ggml.eos_token_id", GgufValue::u32(2));
  w.set("tokenizer.ggml.add_bos_token", GgufValue::boolean(true));
  w.set("tokenizer.ggml.add_eos_token", GgufValue::boolean(false));
}

uint32_t file_type_id(SynthType type) {
  switch (type) {
    case SynthType::F16: return 1;
    case SynthType::Q8_0: return 7;
    case SynthType::Q4_0: return 2;
    case SynthType::Q4_K_M: return 15;
  }
  return 0;
}

}  // namespace

std::span<const SynthShape> synth_shapes() { return kShapes; }

Result<SynthShape> find_synth_shape(const std::string& name) {
  std::string known;
  for (const SynthShape& s : kShapes) {
    if (s.name == name) return s;
    known += (known.empty() ? "" : ", ") + s.name;
  }
  return make_error("unknown shape '{}' (known: {})", name, known);
}

Result<SynthType> parse_synth_type(const std::string& name) {
  if (name == "F16" || name == "f16") return SynthType::F16;
  if (name == "Q8_0" || name == "q8_0") return SynthType::Q8_0;
  if (name == "Q4_0" || name == "q4_0") return SynthType::Q4_0;
  if (name == "Q4_K_M" || name == "q4_k_m") return SynthType::Q4_K_M;
  return make_error("unknown type '{}' (known: F16, Q8_0, Q4_0, Q4_K_M)", name);
}

DType synth_matrix_type(const SynthShape& shape, SynthType type, const std::string& role, int layer, uint64_t ne0) {
  switch (type) {
    case SynthType::F16: return DType::F16;
    case SynthType::Q8_0: return DType::Q8_0;
    case SynthType::Q4_0: return DType::Q4_0;
    case SynthType::Q4_K_M: break;
  }
  // llama.cpp's Q4_K_M: Q6_K for the output matrix (the embedding when tied), and for attn_v and
  // ffn_down in the first and last eighth of the layers and every third layer between.
  const bool output = role == "output" || (role == "token_embd" && shape.tied_output);
  const int n = static_cast<int>(shape.layers);
  const bool more_bits = layer >= 0 && (layer < n / 8 || layer >= 7 * n / 8 || (layer - n / 8) % 3 == 2);
  DType t = (output || ((role == "attn_v" || role == "ffn_down") && more_bits)) ? DType::Q6_K : DType::Q4_K;
  // Rows that are not whole 256-value super-blocks fall back as llama-quantize does.
  if (ne0 % 256 != 0) t = t == DType::Q6_K ? DType::Q8_0 : DType::Q5_0;
  return t;
}

Result<void> write_synth_model(const SynthShape& s, SynthType type, const std::filesystem::path& path,
                               uint64_t seed, const GgufWriter::Progress& progress) {
  GgufWriter w;
  const std::string a = s.architecture + ".";
  w.set("general.architecture", GgufValue::string(s.architecture));
  w.set("general.name", GgufValue::string("synthetic " + s.name + " (random weights)"));
  w.set("general.file_type", GgufValue::u32(file_type_id(type)));
  w.set("general.quantization_version", GgufValue::u32(2));
  w.set(a + "context_length", GgufValue::u32(s.context));
  w.set(a + "embedding_length", GgufValue::u32(s.d_model));
  w.set(a + "block_count", GgufValue::u32(s.layers));
  w.set(a + "feed_forward_length", GgufValue::u32(s.ffn_length));
  w.set(a + "attention.head_count", GgufValue::u32(s.heads));
  w.set(a + "attention.head_count_kv", GgufValue::u32(s.kv_heads));
  w.set(a + "attention.layer_norm_rms_epsilon", GgufValue::f32(s.rms_eps));
  w.set(a + "rope.freq_base", GgufValue::f32(static_cast<float>(s.rope_base)));
  if (s.head_dim * s.heads != s.d_model) {
    w.set(a + "attention.key_length", GgufValue::u32(s.head_dim));
    w.set(a + "attention.value_length", GgufValue::u32(s.head_dim));
  }
  if (s.architecture == "llama") {
    w.set(a + "rope.dimension_count", GgufValue::u32(s.head_dim));
    w.set(a + "vocab_size", GgufValue::u32(s.vocab));
  }
  if (s.attn_softcap > 0) w.set(a + "attn_logit_softcapping", GgufValue::f32(s.attn_softcap));
  if (s.final_softcap > 0) w.set(a + "final_logit_softcapping", GgufValue::f32(s.final_softcap));
  if (s.sliding_window > 0) w.set(a + "attention.sliding_window", GgufValue::u32(s.sliding_window));
  add_vocab(w, s.vocab);

  uint64_t tensor_id = 0;
  auto matrix = [&](const std::string& name, const std::string& role, int layer, uint64_t ne0,
                    uint64_t ne1) -> Result<void> {
    const DType t = synth_matrix_type(s, type, role, layer, ne0);
    return w.add_tensor(name, {ne0, ne1}, t, random_matrix(seed, tensor_id++, ne0, ne1, t));
  };
  auto vector = [&](const std::string& name, uint64_t n, float value) -> Result<void> {
    ++tensor_id;
    return w.add_tensor(name, {n}, DType::F32, constant_vector(value, n));
  };
  auto bias = [&](const std::string& name, uint64_t n) -> Result<void> {
    return w.add_tensor(name, {n}, DType::F32, random_matrix(seed, tensor_id++, n, 1, DType::F32));
  };

  const uint64_t q_dim = uint64_t{s.heads} * s.head_dim, kv_dim = uint64_t{s.kv_heads} * s.head_dim;
  LATHE_CHECK(matrix("token_embd.weight", "token_embd", -1, s.d_model, s.vocab));
  for (uint32_t i = 0; i < s.layers; ++i) {
    const int l = static_cast<int>(i);
    const std::string b = fmt::format("blk.{}.", i);
    LATHE_CHECK(vector(b + "attn_norm.weight", s.d_model, 1.0f));
    LATHE_CHECK(matrix(b + "attn_q.weight", "attn_q", l, s.d_model, q_dim));
    LATHE_CHECK(matrix(b + "attn_k.weight", "attn_k", l, s.d_model, kv_dim));
    LATHE_CHECK(matrix(b + "attn_v.weight", "attn_v", l, s.d_model, kv_dim));
    if (s.qkv_bias) {
      LATHE_CHECK(bias(b + "attn_q.bias", q_dim));
      LATHE_CHECK(bias(b + "attn_k.bias", kv_dim));
      LATHE_CHECK(bias(b + "attn_v.bias", kv_dim));
    }
    LATHE_CHECK(matrix(b + "attn_output.weight", "attn_output", l, q_dim, s.d_model));
    if (s.sandwich_norms) LATHE_CHECK(vector(b + "post_attention_norm.weight", s.d_model, 1.0f));
    LATHE_CHECK(vector(b + "ffn_norm.weight", s.d_model, 1.0f));
    LATHE_CHECK(matrix(b + "ffn_gate.weight", "ffn_gate", l, s.d_model, s.ffn_length));
    LATHE_CHECK(matrix(b + "ffn_up.weight", "ffn_up", l, s.d_model, s.ffn_length));
    LATHE_CHECK(matrix(b + "ffn_down.weight", "ffn_down", l, s.ffn_length, s.d_model));
    if (s.sandwich_norms) LATHE_CHECK(vector(b + "post_ffw_norm.weight", s.d_model, 1.0f));
  }
  LATHE_CHECK(vector("output_norm.weight", s.d_model, 1.0f));
  if (!s.tied_output) LATHE_CHECK(matrix("output.weight", "output", -1, s.d_model, s.vocab));
  return w.write(path, progress);
}

}  // namespace lathe
