//===- SarifOutput.h - SARIF 2.1.0 for code-scanning services ------------===//
//
// How findings map onto SARIF is documented in docs/formats.md.
//
//===----------------------------------------------------------------------===//

#ifndef LOCKGRAPH_TOOL_SARIFOUTPUT_H
#define LOCKGRAPH_TOOL_SARIFOUTPUT_H

#include "Findings.h"

#include "llvm/Support/raw_ostream.h"

namespace lockgraph {

void writeSarif(llvm::raw_ostream &OS, const CheckReport &Report);

/// `file://` URI of an absolute path, percent-encoding what URIs reserve.
std::string fileUri(llvm::StringRef AbsolutePath);

} // namespace lockgraph

#endif
