#include "tokenizer/jinja_stack.h"

#include <cstdint>

#if defined(__linux__) || defined(__APPLE__)
#include <pthread.h>
#endif

namespace lathe::jinja {

namespace {

// The lowest address of this thread's stack (stacks grow down on every platform Lathe runs on),
// or 0 when unknown.
uintptr_t stack_low() {
  uintptr_t low = 0;
#if defined(__linux__)
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) == 0) {
    void* addr = nullptr;
    size_t size = 0;
    if (pthread_attr_getstack(&attr, &addr, &size) == 0) low = reinterpret_cast<uintptr_t>(addr);
    pthread_attr_destroy(&attr);
  }
#elif defined(__APPLE__)
  const auto top = reinterpret_cast<uintptr_t>(pthread_get_stackaddr_np(pthread_self()));
  low = top - pthread_get_stacksize_np(pthread_self());
#endif
  return low;
}

}  // namespace

size_t stack_remaining() {
  thread_local const uintptr_t low = stack_low();
  if (low == 0) return SIZE_MAX;
  const auto here = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  return here > low ? here - low : 0;
}

}  // namespace lathe::jinja
