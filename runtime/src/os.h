// Thin wrappers over the kernel interfaces the runtime needs. Nothing here
// allocates with malloc or takes a pthread lock: the runtime runs inside
// interposed pthread calls, possibly while an allocator holds its own locks.
#pragma once

#include <cstddef>
#include <cstdint>

namespace lockgraph::rt {

// Zeroed, private, lazily committed memory. Aborts the process with a message
// when the kernel refuses: running on without the runtime's tables would
// silently miss findings.
void* mapPages(std::size_t bytes);
void unmapPages(void* address, std::size_t bytes);

std::uint64_t monotonicNanos();
int currentOsThreadId();

// Writes the whole buffer to a file descriptor, retrying short writes.
void writeAll(int fd, const char* data, std::size_t size);
// The same, saying whether it all went (errno tells why not).
bool writeFully(int fd, const char* data, std::size_t size);

// Prints "lockgraph: <message>" on stderr and aborts; for broken invariants
// of the runtime itself, never for findings about the program.
[[noreturn]] void fatal(const char* message);

} // namespace lockgraph::rt
