#pragma once
// A cancel flag shared between the thread that asks for a stop and the one doing the work.
// Work checks it between layers (and between tokens), so a cancel lands within one layer's time.

#include <atomic>
#include <memory>

namespace lathe {

class CancelToken {
 public:
  CancelToken() : flag_(std::make_shared<std::atomic<bool>>(false)) {}

  void cancel() const { flag_->store(true, std::memory_order_relaxed); }
  void reset() const { flag_->store(false, std::memory_order_relaxed); }
  bool cancelled() const { return flag_->load(std::memory_order_relaxed); }

 private:
  std::shared_ptr<std::atomic<bool>> flag_;
};

}  // namespace lathe
