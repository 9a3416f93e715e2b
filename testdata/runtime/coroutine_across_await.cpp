// A coroutine that holds a lock across co_await and resumes on another
// thread, which then unlocks it: reported as lock-across-await, with the
// frame that acquired it (before suspending, on the first thread) and the
// one that released it (after resuming). `fixed` releases the lock before
// suspending: silent.
#include "task.h" // testdata/cli/Inputs: an eager coroutine type

#include <coroutine>
#include <cstring>
#include <mutex>
#include <thread>

std::mutex sessions;
std::thread resumer;

struct ResumeOnAnotherThread {
  bool await_ready() { return false; }
  void await_suspend(std::coroutine_handle<> h) { resumer = std::thread([h] { h.resume(); }); }
  void await_resume() {}
};

int requests = 0;

Task handleHoldingTheLock() {
  std::unique_lock<std::mutex> session(sessions);
  ++requests;
  co_await ResumeOnAnotherThread{};
  session.unlock();
}

Task handleFixed() {
  {
    std::lock_guard<std::mutex> session(sessions);
    ++requests;
  }
  co_await ResumeOnAnotherThread{};
}

int main(int argc, char **argv) {
  if (argc > 1 && std::strcmp(argv[1], "fixed") == 0)
    handleFixed();
  else
    handleHoldingTheLock();
  resumer.join();
}
