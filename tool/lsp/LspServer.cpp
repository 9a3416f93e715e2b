//===- LspServer.cpp ------------------------------------------------------===//

#include "lsp/LspServer.h"

#include "WholeProgram.h"

#include "lsp/FileChecker.h"
#include "lsp/FileUri.h"
#include "lsp/LspDiagnostics.h"
#include "lsp/ProjectLocator.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"

namespace lockgraph::lsp {

namespace json = llvm::json;

Server::Server(llvm::raw_ostream &Out, const TidyConfiguration &Config) : Out(Out), Config(Config) {}

int Server::serve(MessageReader &Reader) {
  while (!ExitStatus) {
    IncomingMessage Message = Reader.read();
    if (Message.What == IncomingMessage::EndOfStream)
      return ShutdownRequested ? 0 : 1;
    handle(Message);
  }
  return *ExitStatus;
}

static bool isValidId(const json::Value &Id) {
  return Id.kind() == json::Value::String || Id.kind() == json::Value::Number;
}

void Server::handle(const IncomingMessage &Message) {
  if (Message.What != IncomingMessage::Message) {
    writeMessage(Out, makeErrorResponse(nullptr, ErrorCode::ParseError, Message.Problem));
    return;
  }
  const json::Object *Object = Message.Value.getAsObject();
  if (!Object) {
    writeMessage(Out, makeErrorResponse(nullptr, ErrorCode::InvalidRequest, "a message must be a JSON object"));
    return;
  }
  const json::Value *Id = Object->get("id");
  if (Id && !isValidId(*Id)) {
    writeMessage(Out, makeErrorResponse(nullptr, ErrorCode::InvalidRequest, "'id' must be a number or a string"));
    return;
  }
  const json::Value *Method = Object->get("method");
  if (!Method) {
    // A response to a request of ours; this server sends none, so it can
    // only be a stray one.
    if (Id && (Object->get("result") || Object->get("error")))
      return;
    writeMessage(Out, makeErrorResponse(Id ? *Id : nullptr, ErrorCode::InvalidRequest,
                                        "a request or notification needs a 'method'"));
    return;
  }
  std::optional<llvm::StringRef> Name = Method->getAsString();
  if (!Name) {
    if (Id)
      writeMessage(Out, makeErrorResponse(*Id, ErrorCode::InvalidRequest, "'method' must be a string"));
    else
      logMessage(Error, "ignored a notification whose 'method' is not a string");
    return;
  }
  const json::Value *Params = Object->get("params");
  if (Id)
    onRequest(*Name, *Id, Params);
  else
    onNotification(*Name, Params);
}

void Server::onRequest(llvm::StringRef Method, const json::Value &Id, const json::Value *Params) {
  auto Reply = [&](json::Value Result) { writeMessage(Out, makeResponse(Id, std::move(Result))); };
  auto Fail = [&](ErrorCode Code, const std::string &Text) {
    writeMessage(Out, makeErrorResponse(Id, Code, Text));
  };
  if (Method == "initialize") {
    if (Initialized)
      return Fail(ErrorCode::InvalidRequest, "the server is already initialized");
    Initialized = true;
    return Reply(initializeResult());
  }
  if (!Initialized)
    return Fail(ErrorCode::ServerNotInitialized, "'" + Method.str() + "' before 'initialize'");
  if (ShutdownRequested)
    return Fail(ErrorCode::InvalidRequest, "'" + Method.str() + "' after 'shutdown'");
  if (Method == "shutdown") {
    ShutdownRequested = true;
    return Reply(nullptr);
  }
  if (Method == "textDocument/codeAction") {
    llvm::Expected<json::Value> Actions = codeActions(Params);
    if (!Actions)
      return Fail(ErrorCode::InvalidParams, llvm::toString(Actions.takeError()));
    return Reply(std::move(*Actions));
  }
  Fail(ErrorCode::MethodNotFound, "lockgraph does not implement '" + Method.str() + "'");
}

void Server::onNotification(llvm::StringRef Method, const json::Value *Params) {
  if (Method == "exit") {
    ExitStatus = ShutdownRequested ? 0 : 1;
    return;
  }
  // Before initialize, notifications other than exit are dropped.
  if (!Initialized || ShutdownRequested)
    return;
  if (Method == "textDocument/didOpen" || Method == "textDocument/didSave")
    didOpenOrSave(Method, Params);
  else if (Method == "textDocument/didClose")
    didClose(Params);
  // Everything else (initialized, didChange, $/cancelRequest, settings) has
  // nothing for lockgraph to do.
}

json::Value Server::initializeResult() const {
  return json::Object{
      {"capabilities",
       json::Object{
           // Files are analysed as saved on disk, so edits in between are
           // not needed; the text sent on open and save locates line ends
           // for the quick fix.
           {"textDocumentSync",
            json::Object{{"openClose", true}, {"change", 0}, {"save", json::Object{{"includeText", true}}}}},
           {"codeActionProvider", json::Object{{"codeActionKinds", json::Array{"quickfix"}}}},
       }},
      {"serverInfo", json::Object{{"name", "lockgraph"}, {"version", LOCKGRAPH_VERSION}}}};
}

/// params.textDocument.uri, or nothing.
static std::optional<std::string> documentUri(const json::Value *Params) {
  const json::Object *P = Params ? Params->getAsObject() : nullptr;
  const json::Object *Doc = P ? P->getObject("textDocument") : nullptr;
  std::optional<llvm::StringRef> Uri = Doc ? Doc->getString("uri") : std::nullopt;
  if (!Uri)
    return std::nullopt;
  return Uri->str();
}

llvm::Expected<json::Value> Server::codeActions(const json::Value *Params) const {
  std::optional<std::string> Uri = documentUri(Params);
  if (!Uri)
    return llvm::createStringError("textDocument/codeAction needs params.textDocument.uri");
  const json::Object *Context = Params->getAsObject()->getObject("context");
  const json::Array *Diagnostics = Context ? Context->getArray("diagnostics") : nullptr;
  if (!Diagnostics)
    return llvm::createStringError("textDocument/codeAction needs params.context.diagnostics");
  if (const json::Array *Only = Context->getArray("only")) {
    bool WantsQuickFix = llvm::any_of(*Only, [](const json::Value &Kind) {
      std::optional<llvm::StringRef> K = Kind.getAsString();
      return K && (*K == "quickfix" || llvm::StringRef("quickfix").starts_with(K->str() + "."));
    });
    if (!WantsQuickFix)
      return json::Array{};
  }
  std::optional<llvm::StringRef> Text;
  if (auto It = Documents.find(*Uri); It != Documents.end())
    Text = It->second;
  return nolintCodeActions(*Diagnostics, *Uri, Text);
}

void Server::didOpenOrSave(llvm::StringRef Method, const json::Value *Params) {
  std::optional<std::string> Uri = documentUri(Params);
  if (!Uri) {
    logMessage(Error, "ignored " + Method.str() + " without params.textDocument.uri");
    return;
  }
  const json::Object *Doc = Params->getAsObject()->getObject("textDocument");
  std::optional<llvm::StringRef> Text = Doc->getString("text");
  if (!Text)
    Text = Params->getAsObject()->getString("text"); // didSave carries it here
  if (Text)
    Documents[*Uri] = Text->str();
  else if (Method == "textDocument/didOpen")
    logMessage(Warning, "didOpen of " + *Uri + " without params.textDocument.text");
  else if (!Documents.count(*Uri))
    Documents[*Uri] = ""; // saved without being opened: analyse it anyway

  std::optional<std::string> File = pathFromFileUri(*Uri);
  if (!File)
    return; // not a file (untitled:, another scheme): nothing to analyse
  if (!llvm::sys::fs::is_regular_file(*File)) {
    logMessage(Warning, "lockgraph: '" + *File + "' is not a file on disk; it is analysed once saved");
    return;
  }
  analyzeAndPublish(*Uri, *File);
}

void Server::didClose(const json::Value *Params) {
  std::optional<std::string> Uri = documentUri(Params);
  if (!Uri) {
    logMessage(Error, "ignored textDocument/didClose without params.textDocument.uri");
    return;
  }
  Documents.erase(*Uri);
  publish(*Uri, json::Array{});
}

void Server::analyzeAndPublish(const std::string &Uri, const std::string &File) {
  FileCheck Check = checkFile(Config, File);
  if (Check.UsedDefaultFlags) {
    std::string Flags = llvm::join(defaultCompilerFlags(), " ");
    std::string Text = "lockgraph: " + Check.DatabaseProblem + "; analysing with default flags (" + Flags +
                       "). For your project's flags, generate compile_commands.json (CMake: "
                       "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON) in the source tree or its build/ directory.";
    logMessage(Info, Text);
    if (!ToldAboutDefaultFlags)
      showMessage(Info, Text);
    ToldAboutDefaultFlags = true;
  }
  for (const std::string &Notice : Check.Notices)
    logMessage(Warning, "lockgraph: " + Notice);
  json::Array Diagnostics = diagnosticsForFile(Check.Report.Findings, File);
  logMessage(Log, "lockgraph: " + File + ": " + std::to_string(Diagnostics.size()) + " diagnostics (" +
                      std::to_string(Check.LinkedUnits) + " other files' facts linked)");
  publish(Uri, std::move(Diagnostics));
  releaseFreedMemory();
}

void Server::publish(const std::string &Uri, json::Array Diagnostics) {
  writeMessage(Out, makeNotification("textDocument/publishDiagnostics",
                                     json::Object{{"uri", Uri}, {"diagnostics", std::move(Diagnostics)}}));
}

void Server::logMessage(MessageType Type, const std::string &Text) {
  writeMessage(Out, makeNotification("window/logMessage", json::Object{{"type", int(Type)}, {"message", Text}}));
}

void Server::showMessage(MessageType Type, const std::string &Text) {
  writeMessage(Out, makeNotification("window/showMessage", json::Object{{"type", int(Type)}, {"message", Text}}));
}

} // namespace lockgraph::lsp
