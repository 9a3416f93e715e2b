#include "arena.h"

#include "os.h"

#include <cstdint>
#include <cstring>

namespace lockgraph::rt {

namespace {
constexpr std::size_t kChunkBytes = 1u << 20;
Arena theArena;
} // namespace

Arena& globalArena() { return theArena; }

void* Arena::allocate(std::size_t bytes, std::size_t alignment) {
  SpinGuard guard(lock_);
  auto aligned = [&] {
    auto p = reinterpret_cast<std::uintptr_t>(cursor_);
    return reinterpret_cast<char*>((p + alignment - 1) & ~(alignment - 1));
  };
  char* start = aligned();
  if (cursor_ == nullptr || start + bytes > end_) {
    std::size_t chunk = bytes + alignment > kChunkBytes ? bytes + alignment : kChunkBytes;
    cursor_ = static_cast<char*>(mapPages(chunk));
    end_ = cursor_ + chunk;
    start = aligned();
  }
  cursor_ = start + bytes;
  return start;
}

const char* Arena::copyString(const char* text) {
  if (text == nullptr)
    return nullptr;
  std::size_t n = std::strlen(text) + 1;
  char* copy = static_cast<char*>(allocate(n, 1));
  std::memcpy(copy, text, n);
  return copy;
}

} // namespace lockgraph::rt
