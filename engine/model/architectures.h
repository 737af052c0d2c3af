#pragma once
// The loaders of the architectures with a forward pass, one per file (llama.cpp, qwen2.cpp, ...).
// A new architecture adds a declaration here and a line to the table in model.cpp.

#include <memory>

#include "model/model.h"

namespace lathe {

using ArchitectureLoader = Result<std::unique_ptr<Model>> (*)(std::shared_ptr<const GgufFile> file,
                                                              ModelHParams hparams,
                                                              const LoadOptions& options);

Result<std::unique_ptr<Model>> load_llama(std::shared_ptr<const GgufFile> file, ModelHParams hparams,
                                          const LoadOptions& options);
Result<std::unique_ptr<Model>> load_qwen2(std::shared_ptr<const GgufFile> file, ModelHParams hparams,
                                          const LoadOptions& options);

}  // namespace lathe
