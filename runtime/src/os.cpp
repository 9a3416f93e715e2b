#include "os.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace lockgraph::rt {

void* mapPages(std::size_t bytes) {
  void* p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED)
    fatal("cannot map memory for the runtime's tables");
  return p;
}

void unmapPages(void* address, std::size_t bytes) { ::munmap(address, bytes); }

std::uint64_t monotonicNanos() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1000000000u +
         static_cast<std::uint64_t>(ts.tv_nsec);
}

int currentOsThreadId() { return static_cast<int>(::syscall(SYS_gettid)); }

bool writeFully(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return false;
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

void writeAll(int fd, const char* data, std::size_t size) { writeFully(fd, data, size); }

void fatal(const char* message) {
  static const char prefix[] = "lockgraph: internal error: ";
  writeAll(2, prefix, sizeof(prefix) - 1);
  writeAll(2, message, std::strlen(message));
  writeAll(2, "\n", 1);
  std::abort();
}

} // namespace lockgraph::rt
