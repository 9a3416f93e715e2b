// Open-addressing map from non-zero 64-bit keys to 64-bit values, backed by
// mmap and grown by rehashing. Not synchronized: every user guards it with a
// SpinLock. Used where the runtime must not allocate (edge index, stack
// depot, lock classes, reported cycles).
#pragma once

#include <cstddef>
#include <cstdint>

namespace lockgraph::rt {

class FlatMap {
public:
  // Returns a pointer to the value for `key`, or nullptr.
  std::uint64_t* find(std::uint64_t key);
  // Inserts `key` with `value` unless present; returns the stored value slot
  // and whether it was inserted.
  std::uint64_t* insert(std::uint64_t key, std::uint64_t value, bool* inserted);
  void erase(std::uint64_t key);
  std::size_t size() const { return size_; }

private:
  struct Slot {
    std::uint64_t key;
    std::uint64_t value;
  };
  static constexpr std::uint64_t kEmpty = 0;
  static constexpr std::uint64_t kErased = ~std::uint64_t{0};

  void grow();
  static std::size_t hash(std::uint64_t key);

  Slot* slots_ = nullptr;
  std::size_t capacity_ = 0; // power of two
  std::size_t size_ = 0;
  std::size_t used_ = 0; // live + erased slots
};

// A 64-bit mix used for every hash in the runtime (chain keys, stacks).
inline std::uint64_t mixHash(std::uint64_t h, std::uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
  h ^= h >> 31;
  h *= 0xbf58476d1ce4e5b9ull;
  h ^= h >> 29;
  return h;
}

} // namespace lockgraph::rt
