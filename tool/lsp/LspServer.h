//===- LspServer.h - `lockgraph lsp`: state and message dispatch ----------===//
//
// A Language Server Protocol server with one job: lockgraph's findings as
// diagnostics. It follows the protocol's lifecycle (initialize, initialized,
// shutdown, exit), analyses a file when it is opened or saved, publishes
// its diagnostics, clears them when it is closed, and offers the NOLINT
// quick fix. It assumes nothing about other servers on the same files
// (clangd beside it) and writes nothing into the project but the facts
// cache `lockgraph check` already keeps.
//
// Every malformed input gets an answer and leaves the server serving: a
// message without a usable header or with a body that is not JSON gets a
// ParseError response (with a null id, as JSON-RPC prescribes when the id
// cannot be known), a message that is not a request gets InvalidRequest,
// missing parameters get InvalidParams (requests) or a log message
// (notifications).
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_TOOL_LSP_LSPSERVER_H
#define LOCKGRAPH_TOOL_LSP_LSPSERVER_H

#include "TidyConfiguration.h"
#include "lsp/JsonRpcTransport.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <map>
#include <optional>
#include <string>

namespace lockgraph::lsp {

class Server {
public:
  Server(llvm::raw_ostream &Out, const TidyConfiguration &Config);

  /// Serves messages from \p Reader until `exit` or the end of input and
  /// returns the process exit status: 0 when `shutdown` came first, else 1.
  int serve(MessageReader &Reader);

private:
  void handle(const IncomingMessage &Message);
  void onRequest(llvm::StringRef Method, const llvm::json::Value &Id, const llvm::json::Value *Params);
  void onNotification(llvm::StringRef Method, const llvm::json::Value *Params);

  llvm::json::Value initializeResult() const;
  /// Answers textDocument/codeAction; an error message when params are bad.
  llvm::Expected<llvm::json::Value> codeActions(const llvm::json::Value *Params) const;
  void didOpenOrSave(llvm::StringRef Method, const llvm::json::Value *Params);
  void didClose(const llvm::json::Value *Params);

  /// Analyses the document and publishes its diagnostics.
  void analyzeAndPublish(const std::string &Uri, const std::string &File);
  void publish(const std::string &Uri, llvm::json::Array Diagnostics);

  enum MessageType { Error = 1, Warning = 2, Info = 3, Log = 4 };
  void logMessage(MessageType Type, const std::string &Text);
  void showMessage(MessageType Type, const std::string &Text);

  llvm::raw_ostream &Out;
  const TidyConfiguration &Config;
  bool Initialized = false;
  bool ShutdownRequested = false;
  std::optional<int> ExitStatus;
  bool ToldAboutDefaultFlags = false;
  /// Open documents by URI: their text as last opened or saved.
  std::map<std::string, std::string> Documents;
};

} // namespace lockgraph::lsp

#endif
