#include "flat_map.h"

#include "os.h"

namespace lockgraph::rt {

std::size_t FlatMap::hash(std::uint64_t key) {
  return static_cast<std::size_t>(mixHash(0x51ed27ull, key));
}

std::uint64_t* FlatMap::find(std::uint64_t key) {
  if (capacity_ == 0)
    return nullptr;
  for (std::size_t i = hash(key) & (capacity_ - 1);; i = (i + 1) & (capacity_ - 1)) {
    if (slots_[i].key == key)
      return &slots_[i].value;
    if (slots_[i].key == kEmpty)
      return nullptr;
  }
}

std::uint64_t* FlatMap::insert(std::uint64_t key, std::uint64_t value, bool* inserted) {
  if (std::uint64_t* existing = find(key)) {
    if (inserted)
      *inserted = false;
    return existing;
  }
  if ((used_ + 1) * 2 > capacity_)
    grow();
  std::size_t i = hash(key) & (capacity_ - 1);
  while (slots_[i].key != kEmpty && slots_[i].key != kErased)
    i = (i + 1) & (capacity_ - 1);
  if (slots_[i].key == kEmpty)
    ++used_;
  slots_[i] = {key, value};
  ++size_;
  if (inserted)
    *inserted = true;
  return &slots_[i].value;
}

void FlatMap::erase(std::uint64_t key) {
  if (capacity_ == 0)
    return;
  for (std::size_t i = hash(key) & (capacity_ - 1);; i = (i + 1) & (capacity_ - 1)) {
    if (slots_[i].key == key) {
      slots_[i].key = kErased;
      --size_;
      return;
    }
    if (slots_[i].key == kEmpty)
      return;
  }
}

void FlatMap::grow() {
  Slot* old = slots_;
  std::size_t oldCapacity = capacity_;
  // Erased slots are dropped by the rehash, so a map that churns keys does
  // not grow without bound; only live keys decide the new size.
  std::size_t capacity = 1024;
  while (capacity < (size_ + 1) * 4)
    capacity *= 2;
  slots_ = static_cast<Slot*>(mapPages(capacity * sizeof(Slot)));
  capacity_ = capacity;
  size_ = 0;
  used_ = 0;
  for (std::size_t i = 0; i < oldCapacity; ++i)
    if (old[i].key != kEmpty && old[i].key != kErased)
      insert(old[i].key, old[i].value, nullptr);
  if (old)
    unmapPages(old, oldCapacity * sizeof(Slot));
}

} // namespace lockgraph::rt
