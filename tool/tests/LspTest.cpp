// The language server's pieces that need no clang: message framing, file
// URIs, and findings turned into diagnostics and NOLINT quick fixes.
#include "lsp/FileUri.h"
#include "lsp/JsonRpcTransport.h"
#include "lsp/LspDiagnostics.h"

#include <gtest/gtest.h>

#include <cstdio>

using namespace lockgraph;
using namespace lockgraph::lsp;
namespace json = llvm::json;

namespace {

/// Reads every message of \p Input, as the server would.
std::vector<IncomingMessage> readAll(std::string Input) {
  std::FILE *In = fmemopen(Input.data(), Input.size(), "r");
  MessageReader Reader(In);
  std::vector<IncomingMessage> Out;
  while (true) {
    IncomingMessage M = Reader.read();
    if (M.What == IncomingMessage::EndOfStream)
      break;
    Out.push_back(std::move(M));
  }
  std::fclose(In);
  return Out;
}

std::string framed(llvm::StringRef Body) { return "Content-Length: " + std::to_string(Body.size()) + "\r\n\r\n" + Body.str(); }

TEST(MessageReader, ReadsConsecutiveMessages) {
  auto Messages = readAll(framed(R"({"id":1})") + framed(R"({"id":2})"));
  ASSERT_EQ(Messages.size(), 2u);
  EXPECT_EQ(Messages[1].What, IncomingMessage::Message);
  EXPECT_EQ(Messages[1].Value.getAsObject()->getInteger("id"), 2);
}

TEST(MessageReader, AcceptsContentTypeAndBareNewlines) {
  auto Messages = readAll("Content-Type: application/vscode-jsonrpc; charset=utf-8\nContent-Length: 2\n\n{}");
  ASSERT_EQ(Messages.size(), 1u);
  EXPECT_EQ(Messages[0].What, IncomingMessage::Message);
}

TEST(MessageReader, HeaderNamesIgnoreCase) {
  auto Messages = readAll("content-length: 2\r\n\r\n{}");
  ASSERT_EQ(Messages.size(), 1u);
  EXPECT_EQ(Messages[0].What, IncomingMessage::Message);
}

TEST(MessageReader, HeaderWithoutLengthIsBadAndTheNextMessageStillReads) {
  auto Messages = readAll("Content-Type: x\r\n\r\n" + framed("{}"));
  ASSERT_EQ(Messages.size(), 2u);
  EXPECT_EQ(Messages[0].What, IncomingMessage::BadHeader);
  EXPECT_NE(Messages[0].Problem.find("Content-Length"), std::string::npos);
  EXPECT_EQ(Messages[1].What, IncomingMessage::Message);
}

TEST(MessageReader, NonNumericAndHugeLengthsAreBadHeaders) {
  auto Messages = readAll("Content-Length: ten\r\n\r\nContent-Length: 99999999999\r\n\r\n");
  ASSERT_EQ(Messages.size(), 2u);
  EXPECT_EQ(Messages[0].What, IncomingMessage::BadHeader);
  EXPECT_EQ(Messages[1].What, IncomingMessage::BadHeader);
}

TEST(MessageReader, BodyThatIsNotJsonIsBadJson) {
  auto Messages = readAll(framed("{\"id\": ") + framed("{}"));
  ASSERT_EQ(Messages.size(), 2u);
  EXPECT_EQ(Messages[0].What, IncomingMessage::BadJson);
  EXPECT_EQ(Messages[1].What, IncomingMessage::Message);
}

TEST(MessageReader, ResynchronisesAfterAShortLength) {
  // The length covers only "{}"; the rest of the body runs into the next
  // header line, which is found inside it.
  auto Messages = readAll("Content-Length: 2\r\n\r\n{}xyz" + framed(R"({"id":3})"));
  ASSERT_EQ(Messages.size(), 2u);
  EXPECT_EQ(Messages[1].Value.getAsObject()->getInteger("id"), 3);
}

TEST(MessageReader, TruncatedBodyIsTheEndOfInput) {
  EXPECT_TRUE(readAll("Content-Length: 10\r\n\r\n{}").empty());
}

TEST(WriteMessage, FramesWithTheByteLength) {
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  writeMessage(OS, json::Object{{"text", "\xc3\xa9"}});
  EXPECT_EQ(Out, "Content-Length: 13\r\n\r\n{\"text\":\"\xc3\xa9\"}");
}

TEST(FileUri, RoundTripsPathsWithSpacesAndNonAscii) {
  std::string Path = "/src/my dir/caf\xc3\xa9#1.cpp";
  std::string Uri = fileUriFromPath(Path);
  EXPECT_EQ(Uri, "file:///src/my%20dir/caf%C3%A9%231.cpp");
  EXPECT_EQ(pathFromFileUri(Uri), Path);
}

TEST(FileUri, AcceptsLocalhostAndLowerCaseEscapes) {
  EXPECT_EQ(pathFromFileUri("file://localhost/a%2fb"), "/a/b");
}

TEST(FileUri, RejectsOtherSchemesAndBrokenEscapes) {
  EXPECT_EQ(pathFromFileUri("untitled:Untitled-1"), std::nullopt);
  EXPECT_EQ(pathFromFileUri("file://server/share/a.cpp"), std::nullopt);
  EXPECT_EQ(pathFromFileUri("file:///a%2"), std::nullopt);
}

Finding awaitFinding() {
  Finding F;
  F.Check = "lockgraph-lock-across-await";
  F.Message = "lock 'm' is held across co_await";
  F.Where = SourcePoint{"/src/a.cpp", 10, 3, "  co_await x;"};
  F.Notes.push_back({"'m' acquired here", SourcePoint{"/src/a.cpp", 8, 31, "  std::lock_guard<std::mutex> g(m);"}});
  F.Notes.push_back({"a note without location", std::nullopt});
  return F;
}

TEST(Diagnostics, CarryCodeSourceLinkRangeAndNotes) {
  json::Array Out = diagnosticsForFile({awaitFinding()}, "/src/a.cpp");
  ASSERT_EQ(Out.size(), 1u);
  const json::Object &D = *Out[0].getAsObject();
  EXPECT_EQ(D.getString("code"), "lockgraph-lock-across-await");
  EXPECT_EQ(D.getString("source"), "lockgraph");
  EXPECT_EQ(D.getInteger("severity"), 2);
  EXPECT_EQ(D.getObject("codeDescription")->getString("href"),
            "https://docs.example/lockgraph/docs/checks/lockgraph-lock-across-await.md");
  json::Value Range = json::parse(R"({"start":{"line":9,"character":2},"end":{"line":9,"character":10}})").get();
  EXPECT_EQ(json::Value(json::Object(*D.getObject("range"))), Range);
  const json::Array &Related = *D.getArray("relatedInformation");
  ASSERT_EQ(Related.size(), 1u);
  EXPECT_EQ(Related[0].getAsObject()->getString("message"), "'m' acquired here");
  EXPECT_EQ(Related[0].getAsObject()->getObject("location")->getString("uri"), "file:///src/a.cpp");
  // A note without a location cannot be related information: it is kept in the message.
  EXPECT_EQ(D.getString("message"), "lock 'm' is held across co_await\na note without location");
}

TEST(Diagnostics, RangeCoversAQualifiedName) {
  Finding F = awaitFinding();
  F.Where = SourcePoint{"/src/a.cpp", 4, 3, "  std::lock_guard g(m); x::"};
  const json::Object &Range = *(*diagnosticsForFile({F}, "/src/a.cpp")[0].getAsObject()).getObject("range");
  EXPECT_EQ(Range.getObject("end")->getInteger("character"), 17);
  F.Where->Column = 25; // "x::" at the end of the line: only "x"
  const json::Object &Tail = *(*diagnosticsForFile({F}, "/src/a.cpp")[0].getAsObject()).getObject("range");
  EXPECT_EQ(Tail.getObject("end")->getInteger("character"), 25);
}

TEST(Diagnostics, OnlyForTheRequestedFile) {
  EXPECT_TRUE(diagnosticsForFile({awaitFinding()}, "/src/b.cpp").empty());
}

TEST(Diagnostics, FindingReportedElsewhereIsShownAtItsFirstNoteInTheFile) {
  Finding F = awaitFinding();
  F.Check = "lockgraph-lock-order";
  F.Notes[0].Where->File = "/src/b.cpp";
  json::Array Out = diagnosticsForFile({F}, "/src/b.cpp");
  ASSERT_EQ(Out.size(), 1u);
  const json::Object &D = *Out[0].getAsObject();
  EXPECT_EQ(D.getObject("range")->getObject("start")->getInteger("line"), 7);
  const json::Object &First = *(*D.getArray("relatedInformation"))[0].getAsObject();
  EXPECT_EQ(First.getObject("location")->getString("uri"), "file:///src/a.cpp");
  // Its NOLINT belongs where the finding is reported.
  EXPECT_EQ(D.getObject("data")->getObject("nolint")->getString("uri"), "file:///src/a.cpp");
}

TEST(Diagnostics, ColumnsCountUtf16CodeUnits) {
  // "é" is two bytes and one UTF-16 unit; "😀" four bytes and two units.
  EXPECT_EQ(utf16Column("\xc3\xa9x", 3), 1u);
  EXPECT_EQ(utf16Column("\xf0\x9f\x98\x80x", 5), 2u);
  EXPECT_EQ(utf16Column("abc", 1), 0u);
}

TEST(NolintAction, AppendsToTheEndOfTheReportedLine) {
  json::Array Diagnostics = diagnosticsForFile({awaitFinding()}, "/src/a.cpp");
  json::Array Actions = nolintCodeActions(Diagnostics, "file:///src/a.cpp", std::nullopt);
  ASSERT_EQ(Actions.size(), 1u);
  const json::Object &A = *Actions[0].getAsObject();
  EXPECT_EQ(A.getString("kind"), "quickfix");
  const json::Array &Edits = *A.getObject("edit")->getObject("changes")->getArray("file:///src/a.cpp");
  json::Value Expected = json::parse(
      R"json({"range":{"start":{"line":9,"character":13},"end":{"line":9,"character":13}},"newText":" // NOLINT(lockgraph-lock-across-await)"})json")
      .get();
  EXPECT_EQ(Edits[0], Expected);
}

TEST(NolintAction, WithoutDataUsesTheDocumentText) {
  json::Value D = json::parse(
      R"({"source":"lockgraph","code":"lockgraph-double-lock","range":{"start":{"line":1,"character":0},"end":{"line":1,"character":1}}})").get();
  json::Array Actions = nolintCodeActions(json::Array{D}, "file:///a.cpp", llvm::StringRef("int a;\r\n  m.lock();\r\n"));
  ASSERT_EQ(Actions.size(), 1u);
  const json::Object &Edit = *(*Actions[0].getAsObject()->getObject("edit")->getObject("changes")->getArray(
      "file:///a.cpp"))[0].getAsObject();
  EXPECT_EQ(Edit.getObject("range")->getObject("start")->getInteger("character"), 11);
}

TEST(NolintAction, IgnoresOtherSourcesAndDiagnosticsWithoutCode) {
  json::Value Clangd = json::parse(R"({"source":"clangd","code":"x","range":{"start":{"line":0,"character":0}}})").get();
  json::Value NoCode = json::parse(R"({"source":"lockgraph","range":{"start":{"line":0,"character":0}}})").get();
  EXPECT_TRUE(nolintCodeActions(json::Array{Clangd, NoCode}, "file:///a.cpp", llvm::StringRef("x\n")).empty());
}

} // namespace
