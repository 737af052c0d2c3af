#pragma once
// SPIR-V compiled from shaders/*.comp at build time and linked into the binary.

#include <cstddef>
#include <cstdint>

namespace lathe {

struct EmbeddedShader {
  const char* name;     // the .comp file's name without extension
  const uint32_t* code;
  size_t words;
};

// The shader compiled from shaders/<name>.comp, or nullptr.
const EmbeddedShader* find_shader(const char* name);

}  // namespace lathe
