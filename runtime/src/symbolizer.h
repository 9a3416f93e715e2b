// Turns return addresses into function, file and line, only when a report is
// printed. Runs llvm-symbolizer as one child process kept for the run and
// fed queries (addr2line, or llvm-symbolizer when that fails, as a child
// process per batch and module), so the runtime never links a debug-info
// reader.
#pragma once

#include <cstdint>

namespace lockgraph::rt {

struct SourceFrame {
  const void* pc = nullptr;
  const char* function = nullptr; // nullptr when unknown
  const char* file = nullptr;     // nullptr when unknown
  int line = 0;
  int column = 0;
  const char* module = nullptr;
  bool inlined = false; // an inlined call inside the frame before it
};

// Symbolizes `pcs` (return addresses, outermost last) into `out`, expanding
// inlined calls into their own frames. Returns how many frames were written.
// Results are cached; strings live in the runtime's arena. Not reentrant:
// callers serialize (the reporter holds its lock).
std::uint32_t symbolize(const void* const* pcs, std::uint32_t count, SourceFrame* out,
                        std::uint32_t capacity);

// The name of the global or static variable that contains `address`, or
// nullptr (heap and stack objects, no llvm-symbolizer, no symbol table).
// Same caching and serialization as symbolize().
const char* symbolizeData(const void* address);

// Where a lock in static storage lives, in terms that mean the same in
// every process running the module, wherever it is loaded: the module,
// the offset from its load address, and the variable with the offset
// inside it (symbol nullptr when unknown). module is nullptr for heap and
// stack addresses. Same caching and serialization as symbolize().
struct DataLocation {
  const char* module = nullptr;
  std::uintptr_t moduleOffset = 0;
  const char* symbol = nullptr;
  std::uintptr_t symbolOffset = 0;
};
DataLocation locateData(const void* address);

// Test support: how many symbolizer processes this process started.
std::uint32_t symbolizerProcessesStarted();

// In a forked child: the parent's symbolizer process is not this one's.
void resetSymbolizerAfterFork();

} // namespace lockgraph::rt
