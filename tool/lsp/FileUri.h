//===- FileUri.h - file:// URIs <-> absolute paths -------------------------===//
//
// LSP names documents by URI. Only file URIs name something lockgraph can
// analyse; anything else (untitled:, a remote scheme) is not a file.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_TOOL_LSP_FILEURI_H
#define LOCKGRAPH_TOOL_LSP_FILEURI_H

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

namespace lockgraph::lsp {

/// "file:///a%20b/c.cpp" -> "/a b/c.cpp"; nothing for other schemes, an
/// authority other than empty or "localhost", or broken percent-escapes.
std::optional<std::string> pathFromFileUri(llvm::StringRef Uri);

/// "/a b/c.cpp" -> "file:///a%20b/c.cpp" (RFC 3986: every byte other than
/// unreserved characters and '/' is percent-encoded).
std::string fileUriFromPath(llvm::StringRef AbsolutePath);

} // namespace lockgraph::lsp

#endif
