// llama: Llama 2 and 3.x, Mistral, TinyLlama, SmolLM and the many models that share the block.
//
//   x = token_embd[tokens]
//   for each layer:
//     x = x + attention(attn_norm(x))     RoPE "normal" (adjacent pairs), GQA, optional q/k/v/o biases
//     x = x + ffn(ffn_norm(x))            SwiGLU: down(silu(gate x) * up x)
//   logits = output(output_norm(x))       output.weight, or token_embd when tied
//
// rope_freqs.weight, when present (Llama 3.1+), divides the RoPE frequencies.

#include "cpu/elementwise.h"
#include "gguf/reader.h"
#include "model/architectures.h"
#include "model/blocks.h"

namespace lathe {
namespace {

struct LlamaLayer {
  std::vector<float> attn_norm;  // [d_model]
  AttentionWeights attn;
  std::vector<float> ffn_norm;  // [d_model]
  FfnWeights ffn;
};

class LlamaModel final : public Model {
 public:
  LlamaModel(std::shared_ptr<const GgufFile> file, ModelHParams hp, int threads)
      : Model(std::move(file), std::move(hp), threads) {}

  Result<void> load_weights() {
    const ModelHParams& hp = hparams();
    const WeightLoader w(file());
    const size_t d = hp.d_model;
    if (hp.n_rot == 0)
      return make_error("{}: llama needs RoPE, but 'llama.rope.dimension_count' is 0", file().name());
    if (file().has("llama.expert_count")) {
      LATHE_TRY(uint64_t experts, file().get_uint("llama.expert_count"));
      if (experts > 0)
        return make_error("{}: mixture-of-experts llama models are not supported yet", file().name());
    }

    LATHE_TRY(token_embd_, w.linear("token_embd.weight", d, hp.n_vocab));
    LATHE_TRY(output_norm_, w.vector("output_norm.weight", d));
    if (w.has("output.weight")) {
      LATHE_TRY(output_, w.linear("output.weight", d, hp.n_vocab));
    } else {
      output_ = token_embd_;  // tied
    }
    LATHE_TRY(rope_freqs_, w.optional_vector("rope_freqs.weight", hp.n_rot / 2));

    for (size_t l = 0; l < hp.n_layer; ++l) {
      LlamaLayer L;
      LATHE_TRY(L.attn_norm, w.vector(layer_weight(l, "attn_norm"), d));
      LATHE_TRY(L.attn.q, w.linear(l, "attn_q", d, hp.q_dim(), Bias::optional));
      LATHE_TRY(L.attn.k, w.linear(l, "attn_k", d, hp.k_dim(l), Bias::optional));
      LATHE_TRY(L.attn.v, w.linear(l, "attn_v", d, hp.v_dim(l), Bias::optional));
      LATHE_TRY(L.attn.o, w.linear(l, "attn_output", hp.n_head * hp.head_dim_v, d, Bias::optional));
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
      const LlamaLayer& L = layers_[l];
      AttentionConfig attn = attention_config(hp, l);
      if (!rope_freqs_.empty()) attn.rope.freq_factors = rope_freqs_.data();

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
  std::vector<LlamaLayer> layers_;
  std::vector<float> output_norm_;
  Linear output_;                  // [d_model, n_vocab]
  std::vector<float> rope_freqs_;  // [n_rot / 2] or empty
};

}  // namespace

Result<std::unique_ptr<Model>> load_llama(std::shared_ptr<const GgufFile> file, ModelHParams hparams,
                                          const LoadOptions& options) {
  auto model = std::make_unique<LlamaModel>(std::move(file), std::move(hparams), options.threads);
  LATHE_CHECK(model->load_weights());
  return std::unique_ptr<Model>(std::move(model));
}

}  // namespace lathe
