// A small thread pool and a fire-and-forget coroutine type. `co_await
// pool.schedule()` suspends the coroutine and resumes it on a pool thread,
// which is exactly why a lock held across it is a bug: the thread that
// unlocks is not the thread that locked.
#pragma once

#include <condition_variable>
#include <coroutine>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace svc {

class ThreadPool {
public:
  explicit ThreadPool(unsigned threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool &) = delete;
  ThreadPool &operator=(const ThreadPool &) = delete;

  void post(std::function<void()> job);
  /// Blocks until every posted job, including jobs posted by jobs, ran.
  void drain();

  auto schedule() {
    struct Awaiter {
      ThreadPool &pool;
      bool await_ready() const noexcept { return false; }
      void await_suspend(std::coroutine_handle<> h) { pool.post([h] { h.resume(); }); }
      void await_resume() const noexcept {}
    };
    return Awaiter{*this};
  }

private:
  void work();

  std::mutex mu_;
  std::condition_variable ready_;
  std::condition_variable idle_;
  std::deque<std::function<void()>> jobs_;
  unsigned busy_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

/// A coroutine that starts at once and frees itself when it finishes.
struct Task {
  struct promise_type {
    Task get_return_object() noexcept { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() noexcept {}
    void unhandled_exception() noexcept { std::terminate(); }
  };
};

} // namespace svc
