//===- JsonOutput.h - lockgraph's own JSON format ------------------------===//
//
// The schema is documented in docs/formats.md; bump JsonFormatVersion when
// a field changes meaning or disappears (adding fields does not).
//
//===----------------------------------------------------------------------===//

#ifndef LOCKGRAPH_TOOL_JSONOUTPUT_H
#define LOCKGRAPH_TOOL_JSONOUTPUT_H

#include "Findings.h"

#include "llvm/Support/raw_ostream.h"

namespace lockgraph {

inline constexpr int JsonFormatVersion = 1;

void writeJson(llvm::raw_ostream &OS, const CheckReport &Report);

} // namespace lockgraph

#endif
