// Error and Result: how failures travel between layers.
//
// A workflow error (States.Runtime, States.TaskFailed, a function's own error name) is data:
// an Error with the `error` name that Retry/Catch match on and a human-readable `cause`.
// No C++ exception crosses a layer boundary; functions that can fail return Result<T>.
//
// Thread-safety: plain values; safe to copy and move between threads.
#ifndef AUTORETRAIN_COMMON_RESULT_H_
#define AUTORETRAIN_COMMON_RESULT_H_

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace autoretrain {

// A named failure, as Step Functions reports it: `error` (for example "States.Runtime") and
// `cause` (the message). Both may be empty strings, as AWS allows for Fail states.
struct Error {
  std::string error;
  std::string cause;

  friend bool operator==(const Error&, const Error&) = default;
};

// Either a value or an Error. Accessing the wrong alternative is a programmer error (asserts).
template <class T>
class [[nodiscard]] Result {
 public:
  // Implicit by design. Separate copy and move overloads: a by-value parameter would cost an
  // extra move of every returned value (out-of-line for JSON values).
  Result(const T& value) : data_(std::in_place_index<0>, value) {}          // NOLINT
  Result(T&& value) : data_(std::in_place_index<0>, std::move(value)) {}    // NOLINT
  Result(Error error) : data_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool ok() const { return data_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(data_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(data_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(data_));
  }
  const Error& error() const {
    assert(!ok());
    return std::get<1>(data_);
  }
  Error&& take_error() {
    assert(!ok());
    return std::get<1>(std::move(data_));
  }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Error> data_;
};

// Result of an operation that yields nothing on success.
struct Unit {};
using Status = Result<Unit>;
inline Status OkStatus() { return Unit{}; }

}  // namespace autoretrain

#endif  // AUTORETRAIN_COMMON_RESULT_H_
