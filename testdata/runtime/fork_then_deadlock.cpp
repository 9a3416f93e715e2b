// The parent, whose watchdog runs, forks; the child deadlocks two threads
// on each other. The child's own watchdog (started by the child's first
// runtime slow path, not in the fork handler) reports it and ends the
// child with the findings status, which the parent passes on.
#include <atomic>
#include <mutex>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

std::mutex a, b;
std::atomic<int> ready{0};

int main() {
  { std::lock_guard<std::mutex> warmUp(a); } // the parent's runtime and watchdog start
  pid_t pid = fork();
  if (pid == 0) {
    std::thread t1([] {
      std::lock_guard<std::mutex> x(a);
      ready++;
      while (ready < 2) {
      }
      std::lock_guard<std::mutex> y(b);
    });
    std::thread t2([] {
      std::lock_guard<std::mutex> x(b);
      ready++;
      while (ready < 2) {
      }
      std::lock_guard<std::mutex> y(a);
    });
    t1.join();
    t2.join();
    _exit(0);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
