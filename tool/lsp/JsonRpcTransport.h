//===- JsonRpcTransport.h - LSP base protocol: framed JSON-RPC messages ---===//
//
// The Language Server Protocol's base protocol: each message is a header
// part ("Content-Length: N\r\n", optionally "Content-Type: ...\r\n", then an
// empty line) followed by N bytes of JSON. Reading distinguishes the ways a
// client can get this wrong, so the server can answer each with the right
// JSON-RPC error and keep serving instead of giving up.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_TOOL_LSP_JSONRPCTRANSPORT_H
#define LOCKGRAPH_TOOL_LSP_JSONRPCTRANSPORT_H

#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdio>
#include <optional>
#include <string>

namespace lockgraph::lsp {

/// JSON-RPC 2.0 and LSP error codes.
enum class ErrorCode : int {
  ParseError = -32700,
  InvalidRequest = -32600,
  MethodNotFound = -32601,
  InvalidParams = -32602,
  InternalError = -32603,
  ServerNotInitialized = -32002,
};

struct IncomingMessage {
  enum Kind {
    Message,     // Value holds the parsed JSON
    EndOfStream, // the client closed its end
    BadHeader,   // no usable Content-Length; the header block was skipped
    BadJson,     // the body was read but is not JSON
  } What = EndOfStream;
  llvm::json::Value Value = nullptr;
  /// What was wrong, for BadHeader and BadJson (shown to the user).
  std::string Problem;
};

/// Reads messages from a stream (standard input in the server, a memory
/// stream in the tests).
class MessageReader {
public:
  explicit MessageReader(std::FILE *In) : In(In) {}

  /// Blocks until the next message, a malformed one, or the end of input.
  IncomingMessage read();

private:
  std::optional<std::string> readHeaderLine();

  std::FILE *In;
};

/// Writes one framed message and flushes, so the client sees it at once.
void writeMessage(llvm::raw_ostream &Out, const llvm::json::Value &Message);

/// {"jsonrpc": "2.0", "id": Id, "result": Result}
llvm::json::Value makeResponse(llvm::json::Value Id, llvm::json::Value Result);
/// {"jsonrpc": "2.0", "id": Id, "error": {"code": Code, "message": Message}}
llvm::json::Value makeErrorResponse(llvm::json::Value Id, ErrorCode Code, llvm::StringRef Message);
/// {"jsonrpc": "2.0", "method": Method, "params": Params}
llvm::json::Value makeNotification(llvm::StringRef Method, llvm::json::Value Params);

} // namespace lockgraph::lsp

#endif
