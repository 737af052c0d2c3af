#pragma once
// Weights found by llama.cpp's tensor names ("blk.3.attn_q.weight") in a mapped GGUF file, each
// checked against the shape the hyper-parameters give it; errors name the tensor, its shape and
// the expected one. Matrices stay in the file's type and bytes (views into the mapping, which the
// model keeps alive); norm weights and biases are dequantized to f32 once, at load.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "cpu/matmul.h"

namespace lathe {

class GgufFile;

// A projection y = W x + b: the unit lora_linear works on. Adapters will attach here.
struct Linear {
  cpu::WeightView weight;   // rows = output features, cols = input features
  std::vector<float> bias;  // [rows], or empty for none

  size_t in() const { return weight.cols; }
  size_t out() const { return weight.rows; }
};

// "blk.{layer}.{role}.weight" / ".bias"
std::string layer_weight(size_t layer, const std::string& role);
std::string layer_bias(size_t layer, const std::string& role);

enum class Bias { none, optional, required };

class WeightLoader {
 public:
  explicit WeightLoader(const GgufFile& file) : file_(file) {}

  bool has(const std::string& name) const;

  // A matrix of ggml shape [cols, rows]: `rows` outputs of `cols` inputs each.
  Result<cpu::WeightView> matrix(const std::string& name, size_t cols, size_t rows) const;
  // A vector of n values (norm weight, bias, frequency factors) dequantized to f32.
  Result<std::vector<float>> vector(const std::string& name, size_t n) const;
  // As vector(), but empty when the tensor is absent.
  Result<std::vector<float>> optional_vector(const std::string& name, size_t n) const;

  // blk.{layer}.{role}.weight as a Linear of `in` inputs and `out` outputs, with its
  // blk.{layer}.{role}.bias as `bias` says.
  Result<Linear> linear(size_t layer, const std::string& role, size_t in, size_t out,
                        Bias bias = Bias::none) const;
  // A Linear from a full tensor name, no bias (token_embd.weight, output.weight).
  Result<Linear> linear(const std::string& name, size_t in, size_t out) const;

 private:
  const GgufFile& file_;
};

}  // namespace lathe
