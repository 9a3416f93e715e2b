// The parent holds a mutex while forking; the child keeps it (only the
// forking thread survives), releases it and uses locks normally; a busy
// thread in the parent keeps the runtime busy across the forks.
#include <atomic>
#include <cstdio>
#include <mutex>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

std::mutex held, other;

int main() {
  std::atomic<bool> stop{false};
  std::thread busy([&] {
    while (!stop) {
      std::mutex a, b;
      std::lock_guard<std::mutex> la(a);
      std::lock_guard<std::mutex> lb(b);
    }
  });
  for (int i = 0; i < 10; ++i) {
    held.lock();
    pid_t pid = fork();
    if (pid == 0) {
      held.unlock();
      std::lock_guard<std::mutex> a(held);
      std::lock_guard<std::mutex> b(other);
      _exit(0);
    }
    held.unlock();
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      std::printf("child %d failed with status %d\n", i, status);
      return 1;
    }
  }
  stop = true;
  busy.join();
  std::printf("forks ok\n");
}
