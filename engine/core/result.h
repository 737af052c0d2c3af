#pragma once
// Result<T>: a value or an Error whose message names the file, field or op that failed.
// The engine reports every failure through this type; it never exits or aborts on bad input.

#include <string>
#include <utility>
#include <variant>

#include <fmt/format.h>

namespace lathe {

struct Error {
  std::string message;
};

// Builds an Error from a fmt format string: make_error("{}: bad key '{}'", path, key).
template <class... Args>
Error make_error(fmt::format_string<Args...> format, Args&&... args) {
  return Error{fmt::format(format, std::forward<Args>(args)...)};
}

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}
  Result(Error error) : state_(std::move(error)) {}

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& { return std::get<1>(state_); }
  Error&& error() && { return std::get<1>(std::move(state_)); }

 private:
  std::variant<T, Error> state_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), failed_(true) {}

  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  const Error& error() const& { return error_; }
  Error&& error() && { return std::move(error_); }

 private:
  Error error_;
  bool failed_ = false;
};

}  // namespace lathe

#define LATHE_CONCAT_INNER(a, b) a##b
#define LATHE_CONCAT(a, b) LATHE_CONCAT_INNER(a, b)

// LATHE_TRY(auto x, make_x()); — binds the value or returns the error from the enclosing function.
#define LATHE_TRY(decl, expr) LATHE_TRY_IMPL(LATHE_CONCAT(lathe_try_, __LINE__), decl, expr)
#define LATHE_TRY_IMPL(tmp, decl, expr)      \
  auto tmp = (expr);                         \
  if (!tmp.ok()) return std::move(tmp).error(); \
  decl = std::move(tmp).value()

// LATHE_CHECK(do_something()); — for Result<void>: returns the error if there is one.
#define LATHE_CHECK(expr)                                          \
  do {                                                             \
    auto lathe_check_result = (expr);                              \
    if (!lathe_check_result.ok()) return std::move(lathe_check_result).error(); \
  } while (0)
