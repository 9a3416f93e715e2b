//===- JsonRpcTransport.cpp -----------------------------------------------===//

#include "lsp/JsonRpcTransport.h"
#include "analysis/BoundedJson.h"

#include "llvm/ADT/StringExtras.h"

#include <cstring>

namespace lockgraph::lsp {

namespace json = llvm::json;

// A Content-Length beyond this is treated as a broken header rather than
// an allocation request.
static constexpr size_t MaxBodyBytes = size_t(256) << 20;

std::optional<std::string> MessageReader::readHeaderLine() {
  std::string Line;
  int C;
  while ((C = std::fgetc(In)) != EOF) {
    if (C == '\n') {
      if (!Line.empty() && Line.back() == '\r')
        Line.pop_back();
      return Line;
    }
    Line.push_back(char(C));
  }
  if (Line.empty())
    return std::nullopt;
  return Line; // a last line without newline: let the caller judge it
}

IncomingMessage MessageReader::read() {
  std::optional<size_t> Length;
  std::string Problem;
  bool SawAnyLine = false;
  while (true) {
    std::optional<std::string> Line = readHeaderLine();
    if (!Line)
      return IncomingMessage{}; // end of input (possibly inside a header)
    if (Line->empty()) {
      if (!SawAnyLine)
        continue; // stray blank lines between messages
      break;
    }
    SawAnyLine = true;
    llvm::StringRef Text(*Line);
    // A body sent with a wrong (short) length leaves its tail in front of
    // the next header; finding the header inside the line resynchronises.
    size_t At = Text.find_insensitive("content-length:"); // header names ignore case
    if (At == llvm::StringRef::npos) {
      if (Text.contains(':'))
        continue; // other headers (Content-Type) are allowed and ignored
      Problem = "malformed header line '" + Text.take_front(80).str() + "'";
      continue;
    }
    llvm::StringRef Value = Text.substr(At + strlen("Content-Length:")).trim();
    size_t N = 0;
    if (Value.getAsInteger(10, N) || N > MaxBodyBytes) {
      Problem = "invalid Content-Length '" + Value.take_front(40).str() + "'";
      Length.reset();
      continue;
    }
    Length = N;
    Problem.clear();
  }
  if (!Length) {
    IncomingMessage Bad;
    Bad.What = IncomingMessage::BadHeader;
    Bad.Problem = Problem.empty() ? "message header without Content-Length" : Problem;
    return Bad;
  }
  std::string Body(*Length, '\0');
  size_t Got = Body.empty() ? 0 : std::fread(Body.data(), 1, Body.size(), In);
  if (Got != Body.size())
    return IncomingMessage{}; // the client went away mid-message
  llvm::Expected<json::Value> Parsed = parseJsonBounded(Body);
  if (!Parsed) {
    IncomingMessage Bad;
    Bad.What = IncomingMessage::BadJson;
    Bad.Problem = "message body is not JSON: " + llvm::toString(Parsed.takeError());
    return Bad;
  }
  IncomingMessage Good;
  Good.What = IncomingMessage::Message;
  Good.Value = std::move(*Parsed);
  return Good;
}

void writeMessage(llvm::raw_ostream &Out, const json::Value &Message) {
  std::string Body;
  llvm::raw_string_ostream(Body) << Message;
  Out << "Content-Length: " << Body.size() << "\r\n\r\n" << Body;
  Out.flush();
}

json::Value makeResponse(json::Value Id, json::Value Result) {
  return json::Object{{"jsonrpc", "2.0"}, {"id", std::move(Id)}, {"result", std::move(Result)}};
}

json::Value makeErrorResponse(json::Value Id, ErrorCode Code, llvm::StringRef Message) {
  return json::Object{{"jsonrpc", "2.0"},
                      {"id", std::move(Id)},
                      {"error", json::Object{{"code", int(Code)}, {"message", Message}}}};
}

json::Value makeNotification(llvm::StringRef Method, json::Value Params) {
  return json::Object{{"jsonrpc", "2.0"}, {"method", Method}, {"params", std::move(Params)}};
}

} // namespace lockgraph::lsp
