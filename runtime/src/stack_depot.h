// Stacks are captured as raw return addresses and stored once, deduplicated,
// under a 32-bit id; symbolization waits until a report is printed.
#pragma once

#include <cstdint>

namespace lockgraph::rt {

using StackId = std::uint32_t;
constexpr StackId kNoStack = 0;

struct StackView {
  const void* const* frames = nullptr;
  std::uint32_t size = 0;
};

// Captures the calling thread's stack starting at the frame that returns to
// `firstUserPc` (the return address seen by the runtime's entry point), so
// the runtime's own frames are left out. Stores at most `maxFrames` frames.
StackId captureStack(const void* firstUserPc, int maxFrames);

// Stores a one-frame stack; used for acquisition sites on the fast path.
StackId storeStack(const void* const* frames, std::uint32_t size);

StackView stackFrames(StackId id);

void lockStackDepotForFork();
void unlockStackDepotAfterFork();
void resetStackDepotAfterFork();

} // namespace lockgraph::rt
