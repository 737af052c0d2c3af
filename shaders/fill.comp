#version 450
// Writes value + index into every element: the smallest useful check that a device runs our SPIR-V.
// One invocation per element, 64 per workgroup.
layout(local_size_x = 64) in;
layout(std430, binding = 0) writeonly buffer Out { float data[]; } out_buf;
layout(push_constant) uniform Params { uint count; float value; } params;

void main() {
  uint i = gl_GlobalInvocationID.x;
  if (i < params.count) out_buf.data[i] = params.value + float(i);
}
