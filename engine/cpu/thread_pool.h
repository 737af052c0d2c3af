#pragma once
// A small fixed pool of worker threads for the CPU backend's data-parallel loops.
//
// parallel_for splits [0, n) into one contiguous chunk per thread (the calling thread takes the
// first) and returns when every chunk is done. Which thread computes an element never changes the
// arithmetic, so results do not depend on the thread count. Calls from several threads are
// serialised; a call from inside a running chunk runs inline (no nested parallelism).

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace lathe::cpu {

class ThreadPool {
 public:
  // `threads` counts the calling thread: 1 runs everything inline. 0 means one per hardware thread.
  explicit ThreadPool(int threads = 0);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int size() const { return static_cast<int>(workers_.size()) + 1; }

  using ChunkFn = std::function<void(size_t begin, size_t end)>;
  // Runs fn over [0, n); fn must not throw. `min_chunk` is the least work worth handing to another thread:
  // with n < 2 * min_chunk the loop runs inline.
  void parallel_for(size_t n, const ChunkFn& fn, size_t min_chunk = 1);

 private:
  void worker_loop(size_t index);

  std::vector<std::thread> workers_;
  std::mutex call_mutex_;  // one parallel_for at a time

  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable done_;
  uint64_t generation_ = 0;  // bumped for each job
  size_t pending_ = 0;       // worker chunks not yet finished
  bool stopping_ = false;
  const ChunkFn* job_ = nullptr;
  size_t job_n_ = 0;
  size_t job_chunks_ = 0;  // chunks in this job (<= size())
};

// The pool's chunk i of n items split into `chunks` contiguous ranges.
inline size_t chunk_begin(size_t n, size_t chunks, size_t i) { return n * i / chunks; }

}  // namespace lathe::cpu
