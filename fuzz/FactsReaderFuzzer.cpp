//===- FactsReaderFuzzer.cpp - libFuzzer target: facts files ---------------===//
//
// parseFacts reads facts files from caches and build steps: any bytes must
// give facts or an error, never a crash, a hang or undefined behaviour.
//
//===----------------------------------------------------------------------===//

#include "analysis/FactsFile.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  llvm::StringRef Text(reinterpret_cast<const char *>(Data), Size);
  llvm::Expected<lockgraph::TUFacts> Facts = lockgraph::parseFacts(Text);
  if (!Facts)
    llvm::consumeError(Facts.takeError());
  return 0;
}
