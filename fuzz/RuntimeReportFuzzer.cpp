//===- RuntimeReportFuzzer.cpp - libFuzzer target: runtime reports ---------===//
//
// parseRuntimeReport reads `lockgraph run --report-path` output for graph
// and merge: any bytes must give a report or an error.
//
//===----------------------------------------------------------------------===//

#include "RuntimeReport.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  llvm::StringRef Text(reinterpret_cast<const char *>(Data), Size);
  llvm::Expected<lockgraph::RuntimeReport> Report = lockgraph::parseRuntimeReport(Text, "fuzz.json");
  if (!Report)
    llvm::consumeError(Report.takeError());
  return 0;
}
