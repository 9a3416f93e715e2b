//===- LspDiagnostics.h - Findings as LSP diagnostics and quick fixes ------===//
//
// Turns lockgraph's findings model (Findings.h, the same one the text,
// JSON and SARIF writers read) into `textDocument/publishDiagnostics`
// diagnostics, and answers `textDocument/codeAction` with the quick fix
// that appends `// NOLINT(check)` to the line a finding is reported on.
//
// Positions: findings count columns in bytes; LSP counts UTF-16 code units
// (the protocol's default encoding), so columns are converted using the
// text of the line the finding carries.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_TOOL_LSP_LSPDIAGNOSTICS_H
#define LOCKGRAPH_TOOL_LSP_LSPDIAGNOSTICS_H

#include "Findings.h"

#include "llvm/Support/JSON.h"

#include <vector>

namespace lockgraph::lsp {

/// The value of every diagnostic's "source".
inline constexpr const char *DiagnosticSource = "lockgraph";

/// The diagnostics to show in \p File (absolute path): findings reported in
/// it, and findings reported elsewhere whose notes pass through it (a
/// cross-file lock-order cycle), shown at their first note in \p File with
/// the reported location as the first related information.
llvm::json::Array diagnosticsForFile(const std::vector<Finding> &Findings, llvm::StringRef File);

/// UTF-16 code units before byte column \p ByteColumn (1-based) of \p LineText.
unsigned utf16Column(llvm::StringRef LineText, unsigned ByteColumn);

/// Quick fixes for the diagnostics a client sent back in a codeAction
/// request on \p Uri: for each lockgraph diagnostic, a WorkspaceEdit that
/// appends " // NOLINT(<check>)" to the line the finding is reported on.
/// \p DocumentText (the document as last opened or saved) locates the end
/// of the line when the diagnostic does not carry it.
llvm::json::Array nolintCodeActions(const llvm::json::Array &Diagnostics, llvm::StringRef Uri,
                                    std::optional<llvm::StringRef> DocumentText);

} // namespace lockgraph::lsp

#endif
