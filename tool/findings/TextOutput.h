//===- TextOutput.h - clang-style diagnostics for people -----------------===//

#ifndef LOCKGRAPH_TOOL_TEXTOUTPUT_H
#define LOCKGRAPH_TOOL_TEXTOUTPUT_H

#include "Findings.h"

#include "llvm/Support/raw_ostream.h"

namespace lockgraph {

struct TextStyle {
  bool Color = false;
  /// Paths under this directory are shown relative to it, as the user
  /// most likely typed them.
  std::string DisplayRoot;
};

/// `file:line:col: warning: message [check]`, the source line and a caret,
/// then the same for each note.
void writeTextFindings(llvm::raw_ostream &OS, const CheckReport &Report,
                       const TextStyle &Style);

/// One `lockgraph: error: ...` line per input that could not be analyzed,
/// followed by the compiler's first error with its source line.
void writeTextFailures(llvm::raw_ostream &OS, const CheckReport &Report,
                       const TextStyle &Style);

/// "lockgraph: 2 findings in 1 file (3 files analyzed)".
void writeSummary(llvm::raw_ostream &OS, const CheckReport &Report);

/// "1 file", "3 files": \p N and \p Singular, with an "s" unless N is 1.
std::string counted(size_t N, llvm::StringRef Singular);

} // namespace lockgraph

#endif
