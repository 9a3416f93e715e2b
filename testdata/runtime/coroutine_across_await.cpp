// A coroutine that holds a lock across co_await and resumes on another
// thread, which then unlocks it: reported as lock-across-await, with the
// frame that acquired it (before suspending, on the first thread) and the
// one that released it (after resuming). `fixed` releases the lock before
// suspending: silent.
#include "task.h" // testdata/cli/Inputs: an eager coroutine type

#include <atomic>
#include <coroutine>
#include <cstring>
#include <mutex>
#include <thread>

std::mutex sessions;
std::thread resumer;

// `exited`: the coroutine is started by a thread that ends before it resumes.
std::atomic<bool> mayResume{true};
struct ResumeOnAnotherThread {
  bool await_ready() { return false; }
  void await_suspend(std::coroutine_handle<> h) {
    resumer = std::thread([h] {
      while (!mayResume.load())
        std::this_thread::yield();
      h.resume();
    });
  }
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
  if (argc > 1 && std::strcmp(argv[1], "fixed") == 0) {
    handleFixed();
  } else if (argc > 1 && std::strcmp(argv[1], "exited") == 0) {
    mayResume = false;
    std::thread([] { handleHoldingTheLock(); }).join();
    mayResume = true;
  } else {
    handleHoldingTheLock();
  }
  resumer.join();
}
