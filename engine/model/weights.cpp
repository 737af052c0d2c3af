#include "model/weights.h"

#include <cmath>

#include "gguf/quant.h"
#include "gguf/reader.h"

namespace lathe {

std::string layer_weight(size_t layer, const std::string& role) {
  return fmt::format("blk.{}.{}.weight", layer, role);
}
std::string layer_bias(size_t layer, const std::string& role) {
  return fmt::format("blk.{}.{}.bias", layer, role);
}

namespace {

// "[256, 128]" for the expected ggml shape.
std::string shape_string(std::initializer_list<size_t> ne) {
  std::string s = "[";
  for (size_t n : ne) s += (s.size() > 1 ? ", " : "") + std::to_string(n);
  return s + "]";
}

Result<const GgufTensorInfo*> find(const GgufFile& file, const std::string& name) {
  const GgufTensorInfo* t = file.find_tensor(name);
  if (t == nullptr) return make_error("{}: tensor '{}' is missing", file.name(), name);
  return t;
}

}  // namespace

bool WeightLoader::has(const std::string& name) const { return file_.find_tensor(name) != nullptr; }

Result<cpu::WeightView> WeightLoader::matrix(const std::string& name, size_t cols, size_t rows) const {
  LATHE_TRY(const GgufTensorInfo* t, find(file_, name));
  if (t->n_dims > 2 || t->ne[0] != cols || t->ne[1] != rows) {
    return make_error("{}: tensor '{}' has shape {}, expected {}", file_.name(), name, t->shape_string(),
                      shape_string({cols, rows}));
  }
  return cpu::make_weight_view(t->type, file_.tensor_data(*t), rows, cols,
                               fmt::format("{}: tensor '{}'", file_.name(), name));
}

Result<std::vector<float>> WeightLoader::vector(const std::string& name, size_t n) const {
  LATHE_TRY(const GgufTensorInfo* t, find(file_, name));
  if (t->n_dims != 1 || t->ne[0] != n) {
    return make_error("{}: tensor '{}' has shape {}, expected {}", file_.name(), name, t->shape_string(),
                      shape_string({n}));
  }
  std::vector<float> values(n);
  if (auto r = dequantize(t->type, file_.tensor_data(*t), values); !r.ok()) {
    return make_error("{}: tensor '{}': {}", file_.name(), name, r.error().message);
  }
  for (size_t i = 0; i < n; ++i) {
    if (!std::isfinite(values[i])) {
      return make_error("{}: tensor '{}' holds {} at index {}", file_.name(), name, values[i], i);
    }
  }
  return values;
}

Result<std::vector<float>> WeightLoader::optional_vector(const std::string& name, size_t n) const {
  if (!has(name)) return std::vector<float>{};
  return vector(name, n);
}

Result<Linear> WeightLoader::linear(size_t layer, const std::string& role, size_t in, size_t out,
                                    Bias bias) const {
  Linear l;
  LATHE_TRY(l.weight, matrix(layer_weight(layer, role), in, out));
  const std::string bias_name = layer_bias(layer, role);
  if (bias == Bias::required || (bias == Bias::optional && has(bias_name))) {
    LATHE_TRY(l.bias, vector(bias_name, out));
  }
  return l;
}

Result<Linear> WeightLoader::linear(const std::string& name, size_t in, size_t out) const {
  Linear l;
  LATHE_TRY(l.weight, matrix(name, in, out));
  return l;
}

}  // namespace lathe
