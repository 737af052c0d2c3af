// qwen2: Qwen2 and Qwen2.5.
//
//   x = token_embd[tokens]
//   for each layer:
//     x = x + attention(attn_norm(x))     q/k/v biases, RoPE NeoX (halves), GQA
//     x = x + ffn(ffn_norm(x))            SwiGLU: down(silu(gate x) * up x)
//   logits = output(output_norm(x))       tied to token_embd unless output.weight is present

#include "cpu/elementwise.h"
#include "gguf/reader.h"
#include "model/architectures.h"
#include "model/blocks.h"

namespace lathe {
namespace {

struct Qwen2Layer {
  std::vector<float> attn_norm;  // [d_model]
  AttentionWeights attn;         // q, k, v with biases; o without
  std::vector<float> ffn_norm;   // [d_model]
  FfnWeights ffn;
};

class Qwen2Model final : public Model {
 public:
  Qwen2Model(std::shared_ptr<const GgufFile> file, ModelHParams hp, int threads)
      : Model(std::move(file), std::move(hp), threads) {}

  Result<void> load_weights() {
    const ModelHParams& hp = hparams();
    const WeightLoader w(file());
    const size_t d = hp.d_model;
    if (hp.n_rot == 0)
      return make_error("{}: qwen2 needs RoPE, but 'qwen2.rope.dimension_count' is 0", file().name());

    LATHE_TRY(token_embd_, w.linear("token_embd.weight", d, hp.n_vocab));
    LATHE_TRY(output_norm_, w.vector("output_norm.weight", d));
    if (w.has("output.weight")) {
      LATHE_TRY(output_, w.linear("output.weight", d, hp.n_vocab));
    } else {
      output_ = token_embd_;  // tied
    }

    for (size_t l = 0; l < hp.n_layer; ++l) {
      Qwen2Layer L;
      LATHE_TRY(L.attn_norm, w.vector(layer_weight(l, "attn_norm"), d));
      LATHE_TRY(L.attn.q, w.linear(l, "attn_q", d, hp.q_dim(), Bias::required));
      LATHE_TRY(L.attn.k, w.linear(l, "attn_k", d, hp.k_dim(l), Bias::required));
      LATHE_TRY(L.attn.v, w.linear(l, "attn_v", d, hp.v_dim(l), Bias::required));
      LATHE_TRY(L.attn.o, w.linear(l, "attn_output", hp.n_head * hp.head_dim_v, d));
      LATHE_TRY(L.ffn_norm, w.vector(layer_weight(l, "ffn_norm"), d));
      LATHE_TRY(L.ffn.gate, w.linear(l, "ffn_gate", d, hp.n_ff[l]));
      LATHE_TRY(L.ffn.up, w.linear(l, "ffn_up", d, hp.n_ff[l]));
      LATHE_TRY(L.ffn.down, w.linear(l, "ffn_down", hp.n_ff[l], d));
      layers_.push_back(std::move(L));
    }
    return {};
  }

 protected:
  Result<void> run(ForwardPass& pass, KvCache& cache, Logits& logits) override {
    const ModelHParams& hp = hparams();
    const size_t n = pass.size(), d = hp.d_model;
    std::vector<float> x(n * d), h(n * d), y(n * d);  // x: [n, d] residual stream; h, y: scratch

    cpu::get_rows(token_embd_.weight, pass.tokens(), x.data());
    for (size_t l = 0; l < hp.n_layer; ++l) {
      LATHE_CHECK(pass.begin_layer(l));
      const Qwen2Layer& L = layers_[l];
      const AttentionConfig attn = attention_config(hp, l);  // NeoX RoPE from the architecture

      norm(L.attn_norm, x.data(), h.data(), n, hp.rms_eps);
      self_attention(L.attn, attn, h.data(), pass, cache, l, y.data());
      cpu::add(x.data(), y.data(), x.data(), n * d);

      norm(L.ffn_norm, x.data(), h.data(), n, hp.rms_eps);
      gated_ffn(L.ffn, Activation::silu, h.data(), n, y.data(), pass.pool());
      cpu::add(x.data(), y.data(), x.data(), n * d);
      pass.record_layer(l, x.data());
    }
    LATHE_CHECK(pass.begin_output());
    output_head(output_norm_, hp.rms_eps, output_, 0.0f, x.data(), pass, logits);
    return {};
  }

 private:
  Linear token_embd_;  // [d_model, n_vocab]
  std::vector<Qwen2Layer> layers_;
  std::vector<float> output_norm_;
  Linear output_;  // [d_model, n_vocab]
};

}  // namespace

Result<std::unique_ptr<Model>> load_qwen2(std::shared_ptr<const GgufFile> file, ModelHParams hparams,
                                          const LoadOptions& options) {
  auto model = std::make_unique<Qwen2Model>(std::move(file), std::move(hparams), options.threads);
  LATHE_CHECK(model->load_weights());
  return std::unique_ptr<Model>(std::move(model));
}

}  // namespace lathe
