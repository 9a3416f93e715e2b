// Coroutine tasks and an async mutex instrumented with lockgraph's async
// hooks (lockgraph/hooks.h), the way a coroutine library would: the owner
// token is the task the scheduler is running (its frame, set around each
// resume), so a lock belongs to the task, not to the thread.
//   inverted     task 1 takes a then b, task 2 later b then a: reported
//   interleaved  task 2 takes b on the thread while task 1 holds a, and a
//                later task takes b then a: silent (no task held a, b)
//   migrate      a task holding a suspends and resumes on another thread,
//                which releases it: silent
#include <lockgraph/hooks.h>

#include <coroutine>
#include <cstring>
#include <deque>
#include <exception>
#include <source_location>
#include <thread>

namespace {

struct Task {
  struct promise_type {
    Task get_return_object() { return {std::coroutine_handle<promise_type>::from_promise(*this)}; }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() { std::terminate(); }
  };
  std::coroutine_handle<promise_type> handle;
};

// The scheduler: a run queue, and the task being run on this thread.
std::deque<std::coroutine_handle<>> ready;
thread_local const void* currentTask = nullptr;

void resume(std::coroutine_handle<> h) {
  const void* outer = currentTask;
  currentTask = h.address();
  h.resume();
  currentTask = outer;
}

void runReady() {
  while (!ready.empty()) {
    std::coroutine_handle<> h = ready.front();
    ready.pop_front();
    resume(h);
  }
}

void runOne() {
  std::coroutine_handle<> h = ready.front();
  ready.pop_front();
  resume(h);
}

void start(Task task) { ready.push_back(task.handle); }

struct Yield {
  bool await_ready() { return false; }
  void await_suspend(std::coroutine_handle<> h) { ready.push_back(h); }
  void await_resume() {}
};

class AsyncMutex {
public:
  explicit AsyncMutex(const char* name) {
    lockgraph::detail::register_lock(state_, lockgraph::detail::LockKind::plain, name,
                                     std::source_location::current());
  }
  ~AsyncMutex() { lockgraph::detail::unregister_lock(state_, locked_); }

  struct LockOperation {
    AsyncMutex& m;
    bool await_ready() { return !m.locked_ && (m.locked_ = true); }
    void await_suspend(std::coroutine_handle<> h) { m.waiters_.push_back(h); }
    void await_resume() {
      lockgraph::detail::async_acquired(m.state_, currentTask, lockgraph::detail::AccessMode::exclusive, false);
    }
  };
  LockOperation lock() { return {*this}; }

  void unlock() {
    lockgraph::detail::async_released(state_, currentTask, lockgraph::detail::AccessMode::exclusive);
    if (waiters_.empty()) {
      locked_ = false;
      return;
    }
    ready.push_back(waiters_.front()); // handed over: stays locked
    waiters_.pop_front();
  }

private:
  lockgraph::detail::LockState state_;
  bool locked_ = false;
  std::deque<std::coroutine_handle<>> waiters_;
};

AsyncMutex a{"Async::a"};
AsyncMutex b{"Async::b"};

Task takeInOrder(AsyncMutex& first, AsyncMutex& second) {
  co_await first.lock();
  co_await Yield{};
  co_await second.lock();
  second.unlock();
  first.unlock();
}

Task holdAcrossYield(AsyncMutex& m) {
  co_await m.lock();
  co_await Yield{};
  m.unlock();
}

} // namespace

int main(int argc, char** argv) {
  const char* mode = argc > 1 ? argv[1] : "inverted";
  if (std::strcmp(mode, "inverted") == 0) {
    start(takeInOrder(a, b));
    runReady();
    start(takeInOrder(b, a));
    runReady();
  } else if (std::strcmp(mode, "interleaved") == 0) {
    start(holdAcrossYield(a)); // takes a, suspends holding it
    start(holdAcrossYield(b)); // takes b on the same thread meanwhile
    runReady();
    start(takeInOrder(b, a));
    runReady();
  } else if (std::strcmp(mode, "migrate") == 0) {
    start(holdAcrossYield(a));
    runOne(); // takes a and suspends holding it
    std::thread([] { runReady(); }).join(); // resumed and released on another thread
    start(holdAcrossYield(a)); // and taken again here: not a relock
    runReady();
  } else {
    return 2;
  }
  return 0;
}
