#include "cpu/thread_pool.h"

#include <algorithm>

namespace lathe::cpu {
namespace {

thread_local bool t_inside_chunk = false;  // this thread is running a chunk of some pool's job

struct ChunkScope {
  ChunkScope() { t_inside_chunk = true; }
  ~ChunkScope() { t_inside_chunk = false; }
};

}  // namespace

ThreadPool::ThreadPool(int threads) {
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  threads = std::min(threads, 256);
  for (int i = 1; i < threads; ++i) workers_.emplace_back([this, i] { worker_loop(static_cast<size_t>(i)); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (std::thread& t : workers_) t.join();
}

void ThreadPool::parallel_for(size_t n, const ChunkFn& fn, size_t min_chunk) {
  if (n == 0) return;
  min_chunk = std::max<size_t>(min_chunk, 1);
  const size_t chunks = std::min<size_t>(static_cast<size_t>(size()), n / min_chunk);
  if (chunks <= 1 || t_inside_chunk) {
    fn(0, n);
    return;
  }

  std::lock_guard call(call_mutex_);
  {
    std::lock_guard lock(mutex_);
    job_ = &fn;
    job_n_ = n;
    job_chunks_ = chunks;
    pending_ = chunks - 1;
    ++generation_;
  }
  wake_.notify_all();
  {
    ChunkScope scope;
    fn(0, chunk_begin(n, chunks, 1));
  }
  std::unique_lock lock(mutex_);
  done_.wait(lock, [this] { return pending_ == 0; });
  job_ = nullptr;
}

void ThreadPool::worker_loop(size_t index) {
  uint64_t seen = 0;
  for (;;) {
    const ChunkFn* fn = nullptr;
    size_t begin = 0, end = 0;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || generation_ != seen; });
      if (stopping_) return;
      seen = generation_;
      if (index >= job_chunks_) continue;  // this job has fewer chunks than threads
      fn = job_;
      begin = chunk_begin(job_n_, job_chunks_, index);
      end = chunk_begin(job_n_, job_chunks_, index + 1);
    }
    {
      ChunkScope scope;
      (*fn)(begin, end);
    }
    {
      std::lock_guard lock(mutex_);
      if (--pending_ == 0) done_.notify_one();
    }
  }
}

}  // namespace lathe::cpu
