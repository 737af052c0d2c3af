#pragma once
// How much stack the current thread has left. The interpreter and parser recurse once per nesting
// level; besides their depth limits they stop when the thread's stack runs low, so a template that
// is merely deep cannot crash a thread with a small stack (macOS gives secondary threads 512 KiB).

#include <cstddef>

namespace lathe::jinja {

// Bytes between the caller's frame and the end of this thread's stack; SIZE_MAX where the platform
// does not say (then only the depth limits apply).
size_t stack_remaining();

// What must stay free for everything a nesting level may call (formatting buffers, unwinding).
inline constexpr size_t kStackReserve = 192 * 1024;

}  // namespace lathe::jinja
