//===- LspDiagnostics.cpp -------------------------------------------------===//

#include "lsp/LspDiagnostics.h"

#include "CheckCatalog.h"
#include "lsp/FileUri.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/ConvertUTF.h"

namespace lockgraph::lsp {

namespace json = llvm::json;

enum LspSeverity { SeverityError = 1, SeverityWarning = 2, SeverityInformation = 3 };

unsigned utf16Column(llvm::StringRef LineText, unsigned ByteColumn) {
  llvm::StringRef Before = LineText.take_front(ByteColumn == 0 ? 0 : ByteColumn - 1);
  llvm::SmallVector<llvm::UTF16, 128> Units;
  if (!llvm::convertUTF8ToUTF16String(Before, Units))
    return unsigned(Before.size()); // not UTF-8: bytes are the best guess
  return unsigned(Units.size());
}

static json::Value position(unsigned Line, unsigned Character) {
  return json::Object{{"line", int64_t(Line)}, {"character", int64_t(Character)}};
}

/// The range of the (qualified) name or keyword a point names (`co_await`,
/// `std::lock_guard`), so editors underline a word rather than a character.
static json::Value rangeAt(const SourcePoint &P) {
  unsigned Line = P.Line ? P.Line - 1 : 0;
  llvm::StringRef Text = P.LineText;
  size_t Start = P.Column ? P.Column - 1 : 0;
  size_t End = Start;
  auto IsWordByte = [](char C) { return llvm::isAlnum(C) || C == '_' || uint8_t(C) >= 0x80; };
  while (End < Text.size()) {
    if (IsWordByte(Text[End]))
      ++End;
    else if (End > Start && Text.substr(End).starts_with("::") && End + 2 < Text.size() &&
             IsWordByte(Text[End + 2]))
      End += 2;
    else
      break;
  }
  if (End == Start && End < Text.size())
    ++End; // an operator or punctuation: one character
  return json::Object{{"start", position(Line, utf16Column(Text, unsigned(Start + 1)))},
                      {"end", position(Line, utf16Column(Text, unsigned(End + 1)))}};
}

static json::Value location(const SourcePoint &P) {
  return json::Object{{"uri", fileUriFromPath(P.File)}, {"range", rangeAt(P)}};
}

/// Where the NOLINT quick fix inserts: the end of the reported line.
static json::Value nolintTarget(const SourcePoint &P) {
  unsigned Line = P.Line ? P.Line - 1 : 0;
  return json::Object{{"uri", fileUriFromPath(P.File)},
                      {"position", position(Line, utf16Column(P.LineText, unsigned(P.LineText.size() + 1)))}};
}

static json::Object diagnosticAt(const Finding &F, const SourcePoint &ShownAt) {
  std::string Message = F.Message;
  json::Array Related;
  if (F.Where && F.Where->File != ShownAt.File)
    Related.push_back(json::Object{{"location", location(*F.Where)},
                                   {"message", "reported here: " + F.Message}});
  for (const FindingNote &N : F.Notes) {
    if (N.Where)
      Related.push_back(json::Object{{"location", location(*N.Where)}, {"message", N.Message}});
    else
      Message += "\n" + N.Message; // LSP related information needs a location
  }
  json::Object D{{"range", rangeAt(ShownAt)},
                 {"severity", int(F.Level == Severity::Error     ? SeverityError
                                     : F.Level == Severity::Note ? SeverityInformation
                                                                 : SeverityWarning)},
                 {"code", F.Check},
                 {"source", DiagnosticSource},
                 {"message", std::move(Message)},
                 {"data", json::Object{{"nolint", nolintTarget(*F.Where)}}}};
  if (std::optional<std::string> Help = checkHelpUri(F.Check))
    D["codeDescription"] = json::Object{{"href", *Help}};
  if (!Related.empty())
    D["relatedInformation"] = std::move(Related);
  return D;
}

json::Array diagnosticsForFile(const std::vector<Finding> &Findings, llvm::StringRef File) {
  json::Array Out;
  for (const Finding &F : Findings) {
    if (!F.Where)
      continue;
    if (F.Where->File == File) {
      Out.push_back(diagnosticAt(F, *F.Where));
      continue;
    }
    for (const FindingNote &N : F.Notes)
      if (N.Where && N.Where->File == File) {
        Out.push_back(diagnosticAt(F, *N.Where));
        break;
      }
  }
  return Out;
}

/// The position after the last character of line \p Line of \p Text.
static std::optional<json::Value> endOfLine(llvm::StringRef Text, int64_t Line) {
  llvm::SmallVector<llvm::StringRef, 0> Lines;
  Text.split(Lines, '\n');
  if (Line < 0 || size_t(Line) >= Lines.size())
    return std::nullopt;
  llvm::StringRef LineText = Lines[Line].rtrim('\r');
  return position(unsigned(Line), utf16Column(LineText, unsigned(LineText.size() + 1)));
}

json::Array nolintCodeActions(const json::Array &Diagnostics, llvm::StringRef Uri,
                              std::optional<llvm::StringRef> DocumentText) {
  json::Array Actions;
  for (const json::Value &V : Diagnostics) {
    const json::Object *D = V.getAsObject();
    if (!D || D->getString("source") != DiagnosticSource)
      continue;
    std::optional<llvm::StringRef> Check = D->getString("code");
    if (!Check || Check->empty())
      continue;
    std::string TargetUri = Uri.str();
    std::optional<json::Value> At;
    const json::Object *Data = D->getObject("data");
    const json::Object *Nolint = Data ? Data->getObject("nolint") : nullptr;
    if (Nolint && Nolint->getString("uri") && Nolint->get("position")) {
      TargetUri = Nolint->getString("uri")->str();
      At = *Nolint->get("position");
    } else if (DocumentText) {
      // A client that does not send back "data": the diagnostic's own line.
      const json::Object *Range = D->getObject("range");
      const json::Object *Start = Range ? Range->getObject("start") : nullptr;
      if (std::optional<int64_t> Line = Start ? Start->getInteger("line") : std::nullopt)
        At = endOfLine(*DocumentText, *Line);
    }
    if (!At)
      continue;
    json::Object Edit{{"range", json::Object{{"start", *At}, {"end", *At}}},
                      {"newText", (" // NOLINT(" + *Check + ")").str()}};
    json::Object Changes;
    Changes[TargetUri] = json::Array{std::move(Edit)};
    Actions.push_back(json::Object{
        {"title", ("Suppress " + *Check + " on this line (NOLINT)").str()},
        {"kind", "quickfix"},
        {"diagnostics", json::Array{V}},
        {"edit", json::Object{{"changes", std::move(Changes)}}}});
  }
  return Actions;
}

} // namespace lockgraph::lsp
