//===- FactsCommand.h - `lockgraph facts` and `lockgraph graph` -----------===//
//
// `facts` extracts one translation unit's lock-order facts: a pure function
// of its compile command (and configuration), so a build system can run it
// as a build action. `graph` links facts files (or analyses a compilation
// database) and writes the whole-program lock-order graph as DOT or JSON.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_TOOL_FACTSCOMMAND_H
#define LOCKGRAPH_TOOL_FACTSCOMMAND_H

#include "llvm/ADT/ArrayRef.h"

#include <string>

namespace lockgraph {

/// `Args` are the arguments after `lockgraph facts`.
int runFactsCommand(llvm::ArrayRef<std::string> Args);

/// `Args` are the arguments after `lockgraph graph`.
int runGraphCommand(llvm::ArrayRef<std::string> Args);

} // namespace lockgraph

#endif
