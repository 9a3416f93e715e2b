//===- BaselineFuzzer.cpp - libFuzzer target: baseline files ---------------===//
//
// parseBaseline reads --baseline files that CI jobs keep: any bytes must
// give a baseline or an error.
//
//===----------------------------------------------------------------------===//

#include "Baseline.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  llvm::StringRef Text(reinterpret_cast<const char *>(Data), Size);
  llvm::Expected<lockgraph::Baseline> B = lockgraph::parseBaseline(Text);
  if (!B)
    llvm::consumeError(B.takeError());
  return 0;
}
