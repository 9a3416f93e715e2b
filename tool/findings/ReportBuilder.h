//===- ReportBuilder.h - Turn clang-tidy diagnostics into findings -------===//

#ifndef LOCKGRAPH_TOOL_REPORTBUILDER_H
#define LOCKGRAPH_TOOL_REPORTBUILDER_H

#include "Findings.h"
#include "TidyRunner.h"

namespace lockgraph {

/// Compiler errors make their file an InputFailure; everything else,
/// including compiler warnings the check glob enables, becomes a Finding.
CheckReport buildReport(const std::vector<FileAnalysis> &Analyses,
                        const std::string &SourceRoot);

} // namespace lockgraph

#endif
