//===- CheckCommand.h - `lockgraph check` --------------------------------===//

#ifndef LOCKGRAPH_TOOL_CHECKCOMMAND_H
#define LOCKGRAPH_TOOL_CHECKCOMMAND_H

#include "llvm/ADT/ArrayRef.h"

#include <string>

namespace lockgraph {

/// Exit statuses shared by every subcommand; documented in --help and
/// docs/command-line.md.
enum ExitStatus : int {
  ExitClean = 0,
  ExitFindings = 1,
  ExitUsageOrInputError = 2,
};

/// `Args` are the arguments after `lockgraph check`.
int runCheckCommand(llvm::ArrayRef<std::string> Args);

} // namespace lockgraph

#endif
