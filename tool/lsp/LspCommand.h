//===- LspCommand.h - `lockgraph lsp` -------------------------------------===//

#ifndef LOCKGRAPH_TOOL_LSP_LSPCOMMAND_H
#define LOCKGRAPH_TOOL_LSP_LSPCOMMAND_H

#include "llvm/ADT/ArrayRef.h"

#include <string>

namespace lockgraph {

/// `Args` are the arguments after `lockgraph lsp`. Serves the Language
/// Server Protocol on standard input and output.
int runLspCommand(llvm::ArrayRef<std::string> Args);

} // namespace lockgraph

#endif
